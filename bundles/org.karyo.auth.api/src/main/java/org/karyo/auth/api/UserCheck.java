package org.karyo.auth.api;

import java.util.Optional;

/**
 * The answer of a user check.
 *
 * @param username the checked name
 * @param found whether it exists locally or is known to a provider
 * @param local whether it exists locally
 * @param provider the provider that knows it, when not local
 * @param firstname, lastname, email what the provider reports
 */
public record UserCheck(
        String username,
        boolean found,
        boolean local,
        Optional<String> provider,
        Optional<String> firstname,
        Optional<String> lastname,
        Optional<String> email) {}
