package org.karyo.auth.impl.internal.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-use recovery codes: 16 random characters of the lower-case base32 alphabet (80 bits), shown as
 * {@code abcd-efgh-ijkl-mnop}. They are high-entropy, so a plain SHA-256 of the normalised code is a safe way to store
 * them (no salt or slow hash needed: there is no dictionary to attack).
 */
final class RecoveryCodes {
    static final int COUNT = 10;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int LENGTH = 16;

    private RecoveryCodes() {}

    /** {@link #COUNT} new codes, formatted for display. */
    static List<String> generate(SecureRandom random) {
        List<String> codes = new ArrayList<>(COUNT);
        while (codes.size() < COUNT) {
            StringBuilder code = new StringBuilder(LENGTH + 3);
            for (int i = 0; i < LENGTH; i++) {
                if (i > 0 && i % 4 == 0) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String c = code.toString();
            if (!codes.contains(c)) {
                codes.add(c);
            }
        }
        return List.copyOf(codes);
    }

    /** The code as typed, without separators and blanks, in lower case. */
    static String normalise(String typed) {
        StringBuilder out = new StringBuilder(typed.length());
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c != '-' && c != ' ' && c != '\t') {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** Whether a normalised input has the shape of a recovery code. */
    static boolean looksLikeCode(String normalised) {
        if (normalised.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < normalised.length(); i++) {
            if (ALPHABET.indexOf(normalised.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The stored form of a code (as typed or as generated). */
    static byte[] hash(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(normalise(code).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
