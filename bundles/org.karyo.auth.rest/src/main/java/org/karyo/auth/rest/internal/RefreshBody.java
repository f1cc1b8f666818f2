package org.karyo.auth.rest.internal;

import org.karyo.api.Validator;
import org.karyo.api.json.Nullable;

/** The body of {@code POST /auth/refresh}: {@code {refresh_token[, client_id]}} (Cohort360's is the first alone). */
public record RefreshBody(String refreshToken, @Nullable String clientId) {

    void validate() {
        Validator v = new Validator();
        v.check(refreshToken != null && !refreshToken.isBlank(), "refresh_token", "is required");
        v.check(
                clientId == null || clientId.matches("[A-Za-z0-9._:-]{1,64}"),
                "client_id",
                "must be 1 to 64 letters, digits or . _ : -");
        v.throwIfInvalid();
    }

    String clientIdOrDefault() {
        return clientId == null ? LoginBody.DEFAULT_CLIENT_ID : clientId;
    }

    @Override
    public String toString() {
        return "RefreshBody[client_id=" + clientId + "]";
    }
}
