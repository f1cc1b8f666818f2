package org.karyo.auth.api;

import java.time.Instant;

/** A new access token and the refresh token that replaces the one just used. */
public record TokenPair(String accessToken, String refreshToken, Instant accessTokenExpiresAt) {}
