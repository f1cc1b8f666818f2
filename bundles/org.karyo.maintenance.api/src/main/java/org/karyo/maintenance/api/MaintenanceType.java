package org.karyo.maintenance.api;

import java.util.Locale;

/** What a maintenance phase refuses while it is active. On the wire it is {@code partial} or {@code full}. */
public enum MaintenanceType {
    /** Writes (POST, PUT, PATCH, DELETE) are refused; reads are served. */
    PARTIAL,
    /** Every request is refused. */
    FULL;

    /** The wire form: {@code partial} or {@code full}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire form (case-insensitive).
     *
     * @throws IllegalArgumentException when {@code value} is neither {@code partial} nor {@code full}
     */
    public static MaintenanceType parse(String value) {
        if (value != null) {
            for (MaintenanceType t : values()) {
                if (t.wireName().equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown maintenance type '" + value + "'; allowed: partial, full");
    }
}
