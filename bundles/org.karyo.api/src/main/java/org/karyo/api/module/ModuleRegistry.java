package org.karyo.api.module;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The modules whose bundles are installed and started, and the state of their schemas. */
@ProviderType
public interface ModuleRegistry {
    /** Every known module, ordered by name. */
    List<ModuleStatus> modules();
}
