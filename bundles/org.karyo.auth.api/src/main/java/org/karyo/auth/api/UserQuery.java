package org.karyo.auth.api;

import java.util.Optional;

/**
 * User list filters (Cohort360's {@code /users/}).
 *
 * @param search case-insensitive substring of username, first name, last name or e-mail
 * @param kind persons or service accounts only
 * @param active active or disabled only
 * @param localOnly only users created locally (Cohort360's {@code manual_only})
 */
public record UserQuery(Optional<String> search, Optional<UserKind> kind, Optional<Boolean> active, boolean localOnly) {
    public static final UserQuery ALL = new UserQuery(Optional.empty(), Optional.empty(), Optional.empty(), false);
}
