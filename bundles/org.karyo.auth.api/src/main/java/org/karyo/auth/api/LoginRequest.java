package org.karyo.auth.api;

import java.util.Optional;

/**
 * A login: either a password login ({@code username}, {@code password}, optional {@code otp}) or an OIDC login
 * ({@code provider}, {@code authCode}, {@code redirectUri}, {@code codeVerifier}).
 */
public record LoginRequest(
        Optional<String> username,
        Optional<char[]> password,
        Optional<String> otp,
        Optional<String> provider,
        Optional<String> authCode,
        Optional<String> redirectUri,
        Optional<String> codeVerifier) {

    /** A password login. */
    public static LoginRequest password(String username, char[] password, String otp) {
        return new LoginRequest(
                Optional.ofNullable(username),
                Optional.ofNullable(password),
                Optional.ofNullable(otp),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
