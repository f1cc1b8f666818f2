package org.karyo.auth.api;

import java.time.Instant;

/**
 * An identity proven by an external provider.
 *
 * @param provider the provider's name
 * @param subject the provider's {@code sub}
 * @param user the username (from the configured claim) and names
 * @param expiresAt when the proof expires
 */
public record ExternalIdentity(String provider, String subject, ExternalUser user, Instant expiresAt) {}
