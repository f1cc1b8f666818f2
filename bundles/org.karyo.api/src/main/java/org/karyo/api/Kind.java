package org.karyo.api;

/** What went wrong, independent of any transport. The REST layer maps each kind to one HTTP status. */
public enum Kind {
    /** The input is invalid; {@link KaryoException#errors()} names the fields. */
    INVALID,
    /** The caller is not authenticated. */
    UNAUTHENTICATED,
    /** The caller is authenticated but lacks the right. */
    FORBIDDEN,
    /** The object does not exist, or the caller may not know that it exists. */
    NOT_FOUND,
    /** The request conflicts with the current state (duplicate key, wrong state). */
    CONFLICT,
    /** The caller's version of the object is stale (HTTP If-Match). */
    PRECONDITION_FAILED,
    /** The request is too large. */
    TOO_LARGE,
    /** The service is temporarily unavailable (maintenance, module not ready). */
    UNAVAILABLE,
    /** The caller sent too many requests (login back-off); {@link KaryoException#retryAfter()} says when to retry. */
    TOO_MANY_REQUESTS,
    /** The request is well-formed but cannot be processed for this object (a region query on a BCF file). */
    UNPROCESSABLE,
    /** The range asked for cannot be served (beyond the end of an object). */
    RANGE_NOT_SATISFIABLE
}
