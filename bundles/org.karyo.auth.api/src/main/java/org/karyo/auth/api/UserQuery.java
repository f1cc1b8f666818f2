package org.karyo.auth.api;

import java.util.Optional;
import java.util.Set;

/**
 * User list filters (Cohort360's {@code /users/}).
 *
 * @param search case-insensitive substring of username, first name, last name or e-mail
 * @param kind persons or service accounts only
 * @param active active or disabled only
 * @param localOnly only users created locally (Cohort360's {@code manual_only})
 * @param ids only these users, when present (Cohort360's {@code with_access}: the {@link AccessHolders})
 */
public record UserQuery(
        Optional<String> search,
        Optional<UserKind> kind,
        Optional<Boolean> active,
        boolean localOnly,
        Optional<Set<String>> ids) {
    public static final UserQuery ALL = new UserQuery(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public UserQuery {
        ids = ids.map(Set::copyOf);
    }

    /** Without an id filter. */
    public UserQuery(Optional<String> search, Optional<UserKind> kind, Optional<Boolean> active, boolean localOnly) {
        this(search, kind, active, localOnly, Optional.empty());
    }
}
