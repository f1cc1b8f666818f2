package org.karyo.auth.rest.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * Passwords at the edge. JSON bodies carry them as strings; the services take {@code char[]}, which the resource wipes
 * as soon as the service returns (or throws), so that no password outlives its request in a mutable buffer.
 */
final class Secrets {
    private Secrets() {}

    /** A fresh array of the password's characters, or empty for {@code null}. */
    static Optional<char[]> chars(String password) {
        return password == null ? Optional.empty() : Optional.of(password.toCharArray());
    }

    /** Overwrites the array, if any. */
    static void wipe(Optional<char[]> password) {
        password.ifPresent(p -> Arrays.fill(p, '\0'));
    }
}
