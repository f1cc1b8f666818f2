package org.karyo.auth.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.json.Nullable;
import org.karyo.auth.api.LoginRequest;

/**
 * The body of {@code POST /auth/login}: either a password login {@code {username, password[, otp]}} or an OIDC login
 * {@code {provider, auth_code, redirect_uri, code_verifier}}, each with an optional {@code client_id}.
 */
public record LoginBody(
        @Nullable String username,
        @Nullable String password,
        @Nullable String otp,
        @Nullable String provider,
        @Nullable String authCode,
        @Nullable String redirectUri,
        @Nullable String codeVerifier,
        @Nullable String clientId) {

    /** The client id tokens are issued to when the body names none. */
    static final String DEFAULT_CLIENT_ID = "karyo-web";

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final String FORMS =
            "a login is either {username, password[, otp]} or" + " {provider, auth_code, redirect_uri, code_verifier}";

    /** Whether this looks like an OIDC login (any of its fields is present). */
    boolean isOidc() {
        return provider != null || authCode != null || redirectUri != null || codeVerifier != null;
    }

    private boolean isPassword() {
        return username != null || password != null || otp != null;
    }

    /**
     * Checks the body's shape and builds the service request. The password, if any, is copied into a new array that
     * the caller wipes after the login.
     *
     * @throws KaryoException INVALID naming every missing, blank or misplaced field
     */
    LoginRequest toRequest() {
        List<FieldError> errors = new ArrayList<>();
        if (isPassword() && isOidc()) {
            misplaced(errors, "provider", provider);
            misplaced(errors, "auth_code", authCode);
            misplaced(errors, "redirect_uri", redirectUri);
            misplaced(errors, "code_verifier", codeVerifier);
        } else if (isOidc()) {
            required(errors, "provider", provider);
            required(errors, "auth_code", authCode);
            required(errors, "redirect_uri", redirectUri);
            required(errors, "code_verifier", codeVerifier);
        } else {
            required(errors, "username", username);
            if (password == null || password.isEmpty()) {
                errors.add(new FieldError("password", "is required"));
            }
            if (otp != null && otp.isBlank()) {
                errors.add(new FieldError("otp", "must not be blank; leave it out when there is no code"));
            }
        }
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            errors.add(new FieldError("client_id", "must be 1 to 64 letters, digits or . _ : -"));
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        if (isOidc()) {
            return new LoginRequest(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(provider),
                    Optional.of(authCode),
                    Optional.of(redirectUri),
                    Optional.of(codeVerifier));
        }
        return LoginRequest.password(username, password.toCharArray(), otp);
    }

    /** The client id, {@value #DEFAULT_CLIENT_ID} when absent (call after {@link #toRequest()}). */
    String clientIdOrDefault() {
        return clientId == null ? DEFAULT_CLIENT_ID : clientId;
    }

    private static void required(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private static void misplaced(List<FieldError> errors, String field, String value) {
        if (value != null) {
            errors.add(new FieldError(field, "cannot be combined with username, password or otp: " + FORMS));
        }
    }

    /** Never prints the password or the code. */
    @Override
    public String toString() {
        return "LoginBody[" + (isOidc() ? "oidc provider=" + provider : "password username=" + username) + "]";
    }
}
