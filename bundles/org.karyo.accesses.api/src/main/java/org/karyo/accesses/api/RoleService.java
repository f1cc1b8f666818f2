package org.karyo.accesses.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Roles. Reading needs authentication; writes need {@code accesses.full_admin} and pass Cohort360's consistency
 * checks (INVALID naming {@code rights}); deleting the full-admin role or a role in use is FORBIDDEN.
 */
@ProviderType
public interface RoleService {

    /** Roles, optionally by name substring and holding all of {@code withRights}. */
    Page<Role> list(Caller caller, Optional<String> name, Set<String> withRights, PageRequest page);

    Role get(Caller caller, long id);

    Role create(Caller caller, String name, Set<String> rights);

    Role update(Caller caller, long id, Optional<String> name, Optional<Set<String>> rights);

    void delete(Caller caller, long id);

    /** The roles the caller may grant on a perimeter (Cohort360's {@code roles/assignable}). */
    List<Role> assignable(Caller caller, long perimeterId);

    /** Users with a valid access with this role on a node the caller can see. */
    Page<RoleHolder> holders(Caller caller, long roleId, Optional<String> name, PageRequest page);

    /** A holder of a role. */
    record RoleHolder(String userId, String username, String displayName, long perimeterId, String perimeterName) {}
}
