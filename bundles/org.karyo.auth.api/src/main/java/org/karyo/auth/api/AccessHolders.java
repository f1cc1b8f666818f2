package org.karyo.auth.api;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The users who hold an access that is valid now: the {@code with_access} filter of the user list (Cohort360's
 * {@code /users/?with_access=true}). The access module provides it; without that module no user holds an access.
 */
@ConsumerType
public interface AccessHolders {

    /** The ids of the active users with at least one access valid now. */
    Set<String> userIdsWithCurrentAccess();
}
