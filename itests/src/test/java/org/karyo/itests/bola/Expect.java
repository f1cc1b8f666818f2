package org.karyo.itests.bola;

/**
 * What each kind of caller gets from an operation, in the order of {@link Who}: anonymous, expired token, a user
 * without any access, a user with an access on a sibling of the object's perimeter, one on an ancestor, one on the
 * object's own perimeter, and the full administrator. {@code 200} stands for any 2xx.
 */
enum Expect {
    /** Anyone, even with stale credentials. */
    PUBLIC(200, 200, 200, 200, 200, 200, 200),
    /** Any authenticated caller; what it returns is the caller's own or filtered data. */
    AUTHENTICATED(401, 401, 200, 200, 200, 200, 200),
    /** A global right that the test role holds: every user with any valid access holds it. */
    GLOBAL_RIGHT(401, 401, 403, 200, 200, 200, 200),
    /** Full administrators only. */
    FULL_ADMIN(401, 401, 403, 403, 403, 403, 200),
    /**
     * An object on a perimeter, behind an {@code @Authenticated} operation: callers who cannot see the perimeter get
     * 404 (its existence is not revealed); an access on the object's perimeter or on an ancestor (inherited) admits.
     */
    OBJECT(401, 401, 404, 404, 200, 200, 200),
    /** An object on a perimeter behind an operation that declares a right no-access users lack. */
    OBJECT_RIGHT(401, 401, 403, 404, 200, 200, 200);

    private final int[] statuses;

    Expect(int... statuses) {
        this.statuses = statuses;
    }

    int status(Who who) {
        return statuses[who.ordinal()];
    }

    /** Whether {@code actual} is what {@code who} should get. */
    boolean matches(Who who, int actual) {
        int expected = status(who);
        return expected == 200 ? actual >= 200 && actual < 300 : actual == expected;
    }
}
