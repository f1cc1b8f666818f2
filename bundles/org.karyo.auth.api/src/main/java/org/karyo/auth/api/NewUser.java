package org.karyo.auth.api;

import java.util.Optional;

/**
 * A user to create. A person without a password can log in only through an authentication provider or OIDC; a service
 * account never has a password and authenticates with API tokens.
 */
public record NewUser(
        String username,
        String firstname,
        String lastname,
        Optional<String> email,
        UserKind kind,
        Optional<char[]> password) {}
