package org.karyo.auth.api;

import java.util.Optional;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Users. Writes need {@code accesses.manage_users}, run in one unit of work and are audited. Methods without a caller
 * are for other modules (the access module resolving profiles, the console identity) and check nothing.
 */
@ProviderType
public interface UserService {

    Page<User> list(Caller caller, UserQuery query, PageRequest page);

    /** The user, or NOT_FOUND. */
    User get(Caller caller, String username);

    /** Creates a user; INVALID on a username/e-mail that does not match the configured patterns or a weak password. */
    User create(Caller caller, NewUser user);

    User update(Caller caller, String username, UserPatch patch);

    /**
     * Cohort360's {@code /users/{username}/check}: whether the username exists locally, else whether an authentication
     * provider knows it (its identity hook), with the names it reports. NOT_FOUND when neither knows it.
     */
    UserCheck check(Caller caller, String username);

    /** A user by username, for other modules. */
    Optional<User> find(String username);

    /** A user by id, for other modules. */
    Optional<User> byId(String id);
}
