package org.karyo.rest.support;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;

/**
 * The one decoding of query parameters for every REST bundle: each failure is recorded on the {@link Validator} under
 * the parameter's name, so one 400 names every bad parameter at once. Blank means absent.
 */
public final class QueryParams {
    private QueryParams() {}

    /**
     * {@code ?limit=&offset=&ordering=}: {@code ordering} is checked against {@code orderable} (wire names), with
     * {@code dflt} when absent; {@code maxLimit} is the largest page the operation serves.
     */
    public static PageRequest page(
            String limit,
            String offset,
            String ordering,
            Set<String> orderable,
            List<Sort> dflt,
            int maxLimit,
            Validator v) {
        return v.collect(() -> PageRequest.parse(limit, offset, ordering, orderable, dflt, maxLimit), null);
    }

    /** {@code ?limit=&offset=} of an operation with its own fixed ordering. */
    public static PageRequest page(String limit, String offset, int maxLimit, Validator v) {
        return page(limit, offset, null, Set.of(), List.of(), maxLimit, v);
    }

    /** An optional positive id. */
    public static Optional<Long> id(String name, String raw, Validator v) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(raw.strip());
            if (id > 0) {
                return Optional.of(id);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        v.check(false, name, "must be a positive integer id");
        return Optional.empty();
    }

    /** A required positive id. */
    public static long requiredId(String name, String raw, Validator v) {
        if (raw == null || raw.isBlank()) {
            v.check(false, name, "is required");
            return 0;
        }
        return id(name, raw, v).orElse(0L);
    }

    /** Comma-separated positive ids ({@code ?perimeters_ids=1,2}), in the order given, without repeats. */
    public static List<Long> ids(String name, String raw, Validator v) {
        return v.collect(() -> List.copyOf(Filters.values(name, raw, QueryParams::positive)), List.of());
    }

    /** Comma-separated values ({@code ?type_source_value=hospital,pole}). */
    public static List<String> values(String raw) {
        return List.copyOf(Filters.values(raw));
    }

    /** {@code true} or {@code false}, any case. */
    public static Optional<Boolean> bool(String name, String raw, Validator v) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return Optional.of(Boolean.TRUE);
            case "false":
                return Optional.of(Boolean.FALSE);
            default:
                v.check(false, name, "must be true or false");
                return Optional.empty();
        }
    }

    /** A free-text filter. */
    public static Optional<String> text(String raw) {
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }

    /** A page of service records as a page of response records. */
    public static <T, R> Page<R> map(Page<T> page, Function<T, R> mapper) {
        return new Page<>(
                page.count(),
                page.limit(),
                page.offset(),
                page.results().stream().map(mapper).toList());
    }

    private static Long positive(String s) {
        long id = Long.parseLong(s); // NumberFormatException is an IllegalArgumentException: "unknown value"
        if (id <= 0) {
            throw new IllegalArgumentException("not a positive id");
        }
        return id;
    }
}
