package org.karyo.auth.rest.internal;

/** The rights that the auth endpoints declare (keys of the access module's rights). */
final class Rights {
    private Rights() {}

    /** Users: list, read, create, change, check. */
    static final String MANAGE_USERS = "accesses.manage_users";

    /** Service-account tokens and resetting another user's second factor. */
    static final String FULL_ADMIN = "accesses.full_admin";
}
