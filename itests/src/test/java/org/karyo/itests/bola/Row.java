package org.karyo.itests.bola;

import org.karyo.itests.support.Api;

/**
 * One operation of the matrix: its OpenAPI method and path template, what each caller gets, and the fixture that
 * prepares a call (creating a fresh object for operations that change or delete it).
 */
record Row(String method, String template, Expect expect, Fixture fixture) {

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
