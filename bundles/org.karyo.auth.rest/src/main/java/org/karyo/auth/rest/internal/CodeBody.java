package org.karyo.auth.rest.internal;

import org.karyo.api.Validator;

/** {@code {code}}: a current one-time code (or, to disable the second factor, a recovery code). */
public record CodeBody(String code) {

    String required() {
        new Validator()
                .check(code != null && !code.isBlank(), "code", "is required")
                .throwIfInvalid();
        return code.strip();
    }

    @Override
    public String toString() {
        return "CodeBody[]";
    }
}
