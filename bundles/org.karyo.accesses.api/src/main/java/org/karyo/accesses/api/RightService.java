package org.karyo.accesses.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Every stored right, sorted by category then key. */
@ProviderType
public interface RightService {
    List<Right> list();
}
