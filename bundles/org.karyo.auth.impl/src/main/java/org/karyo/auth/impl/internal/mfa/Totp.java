package org.karyo.auth.impl.internal.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238, on HOTP RFC 4226) over {@link Mac}: HmacSHA1, HmacSHA256 or HmacSHA512,
 * 6 to 8 digits, a period in seconds. Immutable and thread-safe.
 */
final class Totp {

    /** The parameters Karyo enrols with, which every authenticator app understands. */
    static final Totp DEFAULT = new Totp(Algorithm.SHA1, 6, 30);

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final Algorithm algorithm;
    private final int digits;
    private final int period;

    Totp(Algorithm algorithm, int digits, int period) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("a TOTP code has 6 to 8 digits, not " + digits);
        }
        if (period < 1) {
            throw new IllegalArgumentException("a TOTP period is at least one second, not " + period);
        }
        this.digits = digits;
        this.period = period;
    }

    Algorithm algorithm() {
        return algorithm;
    }

    int digits() {
        return digits;
    }

    int period() {
        return period;
    }

    /** The time step that {@code epochSecond} falls in (RFC 6238 {@code T}, with {@code T0 = 0}). */
    long step(long epochSecond) {
        return Math.floorDiv(epochSecond, period);
    }

    /** The code for a time step, zero-padded to {@link #digits()}. */
    String code(byte[] key, long step) {
        byte[] hash = hmac(key, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        int otp = binary % POWERS[digits];
        return String.format(Locale.ROOT, "%0" + digits + "d", otp);
    }

    /** Whether {@code candidate} is the code of {@code step}, compared in constant time. */
    boolean matches(byte[] key, long step, String candidate) {
        byte[] expected = code(key, step).getBytes(StandardCharsets.US_ASCII);
        byte[] given = candidate.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** Whether {@code candidate} has the shape of a code: exactly {@link #digits()} ASCII digits. */
    boolean looksLikeCode(String candidate) {
        if (candidate.length() != digits) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm.jca);
            mac.init(new SecretKeySpec(key, algorithm.jca));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.jca, e);
        }
    }

    /** The HMAC behind a TOTP, named as in {@code otpauth://} URIs. */
    enum Algorithm {
        SHA1("HmacSHA1"),
        SHA256("HmacSHA256"),
        SHA512("HmacSHA512");

        private final String jca;

        Algorithm(String jca) {
            this.jca = jca;
        }
    }
}
