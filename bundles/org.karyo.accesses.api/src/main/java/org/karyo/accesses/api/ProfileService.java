package org.karyo.accesses.api;

import java.util.Optional;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Profiles; listing needs {@code accesses.manage_users}. */
@ProviderType
public interface ProfileService {
    Page<Profile> list(Caller caller, Optional<String> userId, Optional<String> search, PageRequest page);
}
