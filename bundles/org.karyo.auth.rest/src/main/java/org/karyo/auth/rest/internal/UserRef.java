package org.karyo.auth.rest.internal;

import org.karyo.auth.api.User;

/** Another user, named briefly (the administrator behind an impersonation). */
public record UserRef(String id, String username, String displayName) {
    static UserRef of(User u) {
        return new UserRef(u.id(), u.username(), u.displayName());
    }
}
