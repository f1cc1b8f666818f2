package org.karyo.accesses.rest.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;

/** Decoding of the query parameters the access resources share; every failure is recorded on the parameter. */
final class Params {

    /** The largest page a client may ask for: Cohort360's {@code PAGINATION_MAX_LIMIT}. */
    static final int MAX_LIMIT = 30_000;

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private Params() {}

    /** {@code ?limit=&offset=}; the service's own ordering (the contract names no orderable fields). */
    static PageRequest page(String limit, String offset, Validator v) {
        return v.collect(() -> PageRequest.parse(limit, offset, null, Set.of(), List.of(), MAX_LIMIT), null);
    }

    /** An optional positive id. */
    static Optional<Long> id(String name, String raw, Validator v) {
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
    static long requiredId(String name, String raw, Validator v) {
        if (raw == null || raw.isBlank()) {
            v.check(false, name, "is required");
            return 0;
        }
        return id(name, raw, v).orElse(0L);
    }

    /** Comma-separated positive ids ({@code ?perimeters_ids=1,2}). */
    static List<Long> ids(String name, String raw, Validator v) {
        return v.collect(() -> List.copyOf(Filters.values(name, raw, Params::positive)), List.of());
    }

    /** Comma-separated values ({@code ?type_source_value=hospital,pole}). */
    static List<String> values(String raw) {
        return List.copyOf(Filters.values(raw));
    }

    /** {@code true} or {@code false}, any case. */
    static Optional<Boolean> bool(String name, String raw, Validator v) {
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

    /** A free-text filter; blank means none. */
    static Optional<String> text(String raw) {
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }

    /** A page of service records as a page of response DTOs. */
    static <T, R> Page<R> map(Page<T> page, Function<T, R> mapper) {
        return new Page<>(
                page.count(),
                page.limit(),
                page.offset(),
                page.results().stream().map(mapper).toList());
    }

    /** {@code 201 Created} with {@code Location} = the collection's path + {@code /id}. */
    static Response created(UriInfo uri, long id, Object entity) {
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(id)).build();
        return Response.created(location).entity(entity).build();
    }

    private static Long positive(String s) {
        long id = Long.parseLong(s); // NumberFormatException is an IllegalArgumentException: "unknown value"
        if (id <= 0) {
            throw new IllegalArgumentException("not a positive id");
        }
        return id;
    }
}
