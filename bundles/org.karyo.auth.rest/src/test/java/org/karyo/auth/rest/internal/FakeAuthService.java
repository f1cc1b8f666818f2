package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.AuthService;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.TokenPair;
import org.karyo.auth.api.User;

/** Logs in anyone whose password is {@value #PASSWORD}; remembers what it received. */
final class FakeAuthService implements AuthService {
    static final String PASSWORD = "correct horse battery staple";
    static final Map<String, Object> JWKS =
            Map.of("keys", java.util.List.of(Map.of("kty", "RSA", "kid", "k1", "n", "0vx7", "e", "AQAB")));

    private final FakeUserService users;
    private final Instant expiresAt;

    LoginRequest lastLogin;
    /** The password array the service received: the resource must wipe it once the service returns. */
    char[] receivedPassword;
    /** A copy of the password taken while the service ran. */
    String passwordDuringCall;

    ClientInfo lastClient;
    String lastRefreshToken;
    Caller lastLogoutCaller;
    Optional<String> lastLogoutToken;
    boolean mfaEnrolmentRequired;

    FakeAuthService(FakeUserService users, Instant expiresAt) {
        this.users = users;
        this.expiresAt = expiresAt;
    }

    @Override
    public LoginResult login(LoginRequest request, ClientInfo client) {
        lastLogin = request;
        lastClient = client;
        if (request.provider().isPresent()) {
            User u = users.find("oidc-user").orElseThrow();
            return new LoginResult(u, Optional.empty(), "access-oidc", "refresh-oidc", expiresAt, false);
        }
        receivedPassword = request.password().orElseThrow();
        passwordDuringCall = new String(receivedPassword);
        User u = users.find(request.username().orElseThrow())
                .filter(x -> passwordDuringCall.equals(PASSWORD))
                .orElseThrow(() -> KaryoException.unauthenticated("Wrong username or password"));
        return new LoginResult(
                u, u.lastLogin(), "access-" + u.id(), "refresh-" + u.id(), expiresAt, mfaEnrolmentRequired);
    }

    @Override
    public TokenPair refresh(String refreshToken, ClientInfo client) {
        lastRefreshToken = refreshToken;
        lastClient = client;
        if (!refreshToken.startsWith("refresh-")) {
            // as the identity module answers (RFC 6749 §5.2)
            throw new KaryoException(
                    org.karyo.api.Kind.INVALID,
                    "invalid-grant",
                    "The refresh token is invalid, expired or already used",
                    null,
                    java.util.Map.of("error", "invalid_grant"),
                    null);
        }
        return new TokenPair("access-2", "refresh-2", expiresAt);
    }

    @Override
    public void logout(Caller caller, Optional<String> refreshToken) {
        lastLogoutCaller = caller;
        lastLogoutToken = refreshToken;
    }

    @Override
    public Map<String, Object> jwks() {
        return JWKS;
    }
}
