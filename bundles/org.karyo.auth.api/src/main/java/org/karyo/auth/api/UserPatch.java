package org.karyo.auth.api;

import java.util.Optional;

/** Changes to a user; absent fields stay as they are. {@code email} present but empty clears it. */
public record UserPatch(
        Optional<String> firstname,
        Optional<String> lastname,
        Optional<Optional<String>> email,
        Optional<Boolean> active,
        Optional<char[]> password) {}
