package org.karyo.omics.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.karyo.api.KaryoException;
import org.karyo.omics.api.RecordFormat;

/** Parsing of the omics resources' path and query parameters; a bad one is a 400 naming it. */
final class Params {
    private Params() {}

    /** A part number ({@code 1..10000}). */
    static int part(String raw) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw KaryoException.invalid("part", "must be a part number from 1 to 10000");
    }

    /** The byte count of {@code Content-Length}, or -1 when absent. */
    static long contentLength(String raw) {
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        try {
            long n = Long.parseLong(raw.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw KaryoException.invalid("Content-Length", "must be a number of bytes");
    }

    /**
     * The sample names of {@code ?samples=a,b}: {@code null} when absent (every visible sample), empty when present
     * but empty (sites only), in the order given (duplicates are for the service to refuse).
     */
    static List<String> samples(String raw) {
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : raw.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** {@code vcf}, {@code bed} or {@code json} in any case, or {@code null} when absent. */
    static RecordFormat format(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return RecordFormat.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KaryoException.invalid("format", "must be vcf, bed or json");
        }
    }
}
