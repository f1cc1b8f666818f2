package org.karyo.auth.impl.internal.mfa;

import java.util.Locale;

/** Who must have a second factor (configuration {@code mfa.required}). */
enum MfaPolicy {
    /** Nobody: enrolled users are asked for a code, others are not. */
    NONE,
    /** Full administrators ({@code accesses.full_admin}). */
    ADMINS,
    /** Every user. */
    ALL;

    /**
     * Parses {@code none}, {@code admins} or {@code all}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException on anything else
     */
    static MfaPolicy parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "none", "" -> NONE;
            case "admins" -> ADMINS;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("must be none, admins or all, not '" + value + "'");
        };
    }
}
