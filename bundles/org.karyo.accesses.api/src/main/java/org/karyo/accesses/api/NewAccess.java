package org.karyo.accesses.api;

import java.time.Instant;
import java.util.Optional;

/**
 * An access to grant. The user is named by {@code username} (a manual profile is created when it has none) or by
 * {@code profileId}. Start defaults to now, end to start + the configured validity (365 days).
 */
public record NewAccess(
        Optional<String> username,
        Optional<Long> profileId,
        long roleId,
        long perimeterId,
        Optional<Instant> start,
        Optional<Instant> end) {}
