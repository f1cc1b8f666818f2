package org.karyo.itests.bola;

import org.karyo.itests.support.Api;

/**
 * One operation of the matrix: its OpenAPI method and path template, what each caller gets, and the fixture that
 * prepares a call (creating a fresh object for operations that change or delete it). {@code success} is 0 when an
 * admitted caller gets any 2xx, or the one status it gets instead (see {@link #answering(int)}).
 */
record Row(String method, String template, Expect expect, Fixture fixture, int success) {

    Row(String method, String template, Expect expect, Fixture fixture) {
        this(method, template, expect, fixture, 0);
    }

    /**
     * This row, for an operation whose admitted callers get exactly {@code status} instead of a 2xx: a
     * {@code 303 See Other} to a presigned URL, which the matrix's HTTP client does not follow. Refusals are unchanged.
     */
    Row answering(int status) {
        return new Row(method, template, expect, fixture, status);
    }

    /** Whether {@code actual} is what {@code who} should get from this operation. */
    boolean matches(Who who, int actual) {
        return expect.matches(who, actual, success);
    }

    /** What {@code who} should get, for the report ({@code 200} standing for any 2xx). */
    int expected(Who who) {
        int status = expect.status(who);
        return status == 200 && success != 0 ? success : status;
    }

    /** Prepares one call for one caller. */
    @FunctionalInterface
    interface Fixture {
        Call prepare(World world, Who who);
    }

    /** A concrete call; {@code token} overrides the caller's token when not null (a fresh session for a logout). */
    record Call(String path, String body, String contentType, String token, After after) {
        static Call of(String path) {
            return new Call(path, null, null, null, null);
        }

        static Call of(String path, String body) {
            return new Call(path, body, "application/json", null, null);
        }

        /** A call with a raw body of {@code contentType} (a file part, a CSV, a PDF). */
        static Call of(String path, String body, String contentType) {
            return new Call(path, body, contentType, null, null);
        }

        Call withToken(String t) {
            return new Call(path, body, contentType, t, after);
        }

        Call then(After a) {
            return new Call(path, body, contentType, token, a);
        }
    }

    /** Clean-up after a call (for example, removing a second factor that the call enrolled). */
    @FunctionalInterface
    interface After {
        void run(Api.Response response);
    }

    String key() {
        return method + " " + template;
    }
}
