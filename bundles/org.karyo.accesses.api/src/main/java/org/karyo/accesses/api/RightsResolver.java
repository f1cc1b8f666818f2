package org.karyo.accesses.api;

import org.osgi.annotation.versioning.ProviderType;

/** Computes a user's rights from the database, through a cache that any relevant change invalidates. */
@ProviderType
public interface RightsResolver {

    /** The user's rights (cached). */
    UserRights rightsOf(String userId);

    /** The user's rights, bypassing the cache (benchmarks, diagnostics). */
    UserRights compute(String userId);
}
