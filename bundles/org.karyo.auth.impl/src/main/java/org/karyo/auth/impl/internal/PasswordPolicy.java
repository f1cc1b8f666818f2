package org.karyo.auth.impl.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The password policy: a minimum length (and a maximum of {@value #MAX_LENGTH}), at least some of the four character
 * classes, not containing the username, not one of the bundled common passwords ({@code common-passwords.txt}).
 * Messages name the rule, never the password.
 */
public final class PasswordPolicy {
    static final int MAX_LENGTH = 256;
    private static final Set<String> COMMON = load();
    /** Passwords that are never acceptable for the bootstrap administrator, whatever the policy says. */
    private static final Set<String> DEFAULTS =
            Set.of("admin", "administrator", "karaf", "changeme", "changeit", "password", "secret", "root", "karyo");

    private final int minLength;
    private final int minClasses;
    private final boolean rejectCommon;
    private final boolean rejectUsername;

    public PasswordPolicy(int minLength, int minClasses, boolean rejectCommon, boolean rejectUsername) {
        this.minLength = minLength;
        this.minClasses = minClasses;
        this.rejectCommon = rejectCommon;
        this.rejectUsername = rejectUsername;
    }

    public static PasswordPolicy of(AuthSettings s) {
        return new PasswordPolicy(
                s.passwordMinLength(), s.passwordMinClasses(), s.passwordRejectCommon(), s.passwordRejectUsername());
    }

    /** What is wrong with {@code password} for {@code username}; empty when it is acceptable. */
    public List<String> problems(char[] password, String username) {
        List<String> out = new ArrayList<>();
        if (password == null || password.length < minLength) {
            out.add("must be at least " + minLength + " characters long");
            if (password == null) {
                return out;
            }
        }
        if (password.length > MAX_LENGTH) {
            out.add("must be at most " + MAX_LENGTH + " characters long");
        }
        int classes = classes(password);
        if (classes < minClasses) {
            out.add("must mix at least " + minClasses
                    + " of: lower-case letters, upper-case letters, digits, other characters");
        }
        String lower = new String(password).toLowerCase(Locale.ROOT);
        if (rejectUsername
                && username != null
                && username.length() >= 2
                && lower.contains(username.toLowerCase(Locale.ROOT))) {
            out.add("must not contain the username");
        }
        if (rejectCommon && isCommon(lower)) {
            out.add("is too common");
        }
        return out;
    }

    /** Whether the password is a known default (admin, karaf, changeme …) or in the common list. */
    public static boolean isKnownDefault(char[] password) {
        String lower = new String(password).toLowerCase(Locale.ROOT).trim();
        return DEFAULTS.contains(lower) || isCommon(lower);
    }

    private static boolean isCommon(String lower) {
        return COMMON.contains(lower);
    }

    private static int classes(char[] password) {
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (char c : password) {
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    private static Set<String> load() {
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                String s = line.trim();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    out.add(s.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("common-passwords.txt cannot be read", e);
        }
        return Set.copyOf(out);
    }

    /** How many common passwords are bundled (tests). */
    static int commonCount() {
        return COMMON.size();
    }
}
