package org.karyo.accesses.api;

import java.time.Instant;

/** A user's profile (Cohort360's {@code Profile}): accesses hang on it; an inactive profile's accesses grant nothing. */
public record Profile(long id, String userId, String username, String source, boolean active, Instant createdAt) {}
