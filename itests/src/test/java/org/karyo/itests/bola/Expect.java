package org.karyo.itests.bola;

/**
 * What each kind of caller gets from an operation, in the order of {@link Who}: anonymous, expired token, a user
 * without any access, a user with an access on a sibling of the object's perimeter, one on an ancestor, one on the
 * object's own perimeter, and the full administrator. {@code 200} stands for any 2xx, or for the one status of a row
 * that {@linkplain Row#answering(int) answers} with a redirect.
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
    /**
     * Another user's object behind an {@code @Authenticated} operation, which a global right opens (a job: its owner
     * and holders of {@code jobs.manage} see it): a caller without the right gets 404, as for an object that does not
     * exist; the test role holds the right.
     */
    OWNER_OR_RIGHT(401, 401, 404, 200, 200, 200, 200),
    /** An object on a perimeter behind an operation that declares a right no-access users lack. */
    OBJECT_RIGHT(401, 401, 403, 404, 200, 200, 200),
    /**
     * A creation that declares a right and names the object it goes under (a perimeter node, an institution) in its
     * body rather than in its path: a caller who cannot see that object gets the 400 that names the field, the same
     * answer as for an id that does not exist, so the object's existence is not revealed either.
     */
    OBJECT_RIGHT_IN_BODY(401, 401, 403, 400, 200, 200, 200),
    /**
     * A write that names, in its body, the patient whose data it adds (a FHIR resource's {@code subject}): writers who
     * cannot see the patient get the 422 of a reference that does not resolve, the same answer as for a patient that
     * does not exist.
     */
    OBJECT_RIGHT_IN_REFERENCE(401, 401, 403, 422, 200, 200, 200),
    /**
     * A presigned URL served by Karyo: {@code @Public}, because its signature is the credential, so without a valid
     * signature every caller is refused, whatever credentials it sends (a full administrator's too).
     */
    SIGNED(403, 403, 403, 403, 403, 403, 403);

    private final int[] statuses;

    Expect(int... statuses) {
        this.statuses = statuses;
    }

    int status(Who who) {
        return statuses[who.ordinal()];
    }

    /**
     * Whether {@code actual} is what {@code who} should get from an operation whose admitted callers get exactly
     * {@code success} (a redirect), or any 2xx when {@code success} is 0.
     */
    boolean matches(Who who, int actual, int success) {
        int expected = status(who);
        if (expected != 200) {
            return actual == expected;
        }
        return success != 0 ? actual == success : actual >= 200 && actual < 300;
    }
}
