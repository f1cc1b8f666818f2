package org.karyo.auth.api;

import java.util.List;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** TOTP second factor (RFC 6238) of the calling user. */
@ProviderType
public interface MfaService {

    /** Starts (or restarts) enrolment: a new secret, effective only once confirmed. */
    MfaEnrolment enrol(Caller caller);

    /**
     * Confirms enrolment with a current code.
     *
     * @return ten single-use recovery codes, shown once
     */
    List<String> confirm(Caller caller, String code);

    /** Removes the caller's second factor; needs a current code or a recovery code. */
    void disable(Caller caller, String code);

    /** Removes a user's second factor (a full administrator, {@code accesses.full_admin}). */
    void reset(Caller caller, String username);

    /** The new secret: shown once, as an {@code otpauth://totp/...} URI and in base32. */
    record MfaEnrolment(String otpauthUri, String secret) {}
}
