package org.karyo.auth.api;

import java.util.Optional;

/** A user as an external directory or identity provider reports it. */
public record ExternalUser(
        String username, Optional<String> firstname, Optional<String> lastname, Optional<String> email) {}
