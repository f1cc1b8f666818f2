package org.karyo.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Paging and ordering of a list query, validated against a resource's whitelist.
 *
 * @param limit the largest number of results to return (at least 1)
 * @param offset how many results to skip (at least 0)
 * @param ordering the ordering keys, first key first
 */
public record PageRequest(int limit, int offset, List<Sort> ordering) {
    public static final int DEFAULT_LIMIT = 20;

    public PageRequest {
        ordering = List.copyOf(ordering);
    }

    /**
     * Parses the wire form {@code ?limit=&offset=&ordering=-a,b}.
     *
     * @param limit the limit parameter, or {@code null} for {@link #DEFAULT_LIMIT}
     * @param offset the offset parameter, or {@code null} for 0
     * @param ordering comma-separated field names, {@code -} for descending, or {@code null}
     * @param orderable the field names a client may order by
     * @param defaultOrdering the ordering when the client gives none
     * @param maxLimit the largest limit a client may ask for
     * @throws KaryoException of kind {@link Kind#INVALID} naming {@code limit}, {@code offset} or {@code ordering}
     */
    public static PageRequest parse(
            String limit,
            String offset,
            String ordering,
            Set<String> orderable,
            List<Sort> defaultOrdering,
            int maxLimit) {
        List<FieldError> errors = new ArrayList<>();
        int l = parseInt("limit", limit, DEFAULT_LIMIT, 1, maxLimit, errors);
        int o = parseInt("offset", offset, 0, 0, Integer.MAX_VALUE, errors);
        List<Sort> sorts = new ArrayList<>();
        if (ordering != null && !ordering.isBlank()) {
            for (String part : ordering.split(",")) {
                String p = part.trim();
                boolean desc = p.startsWith("-");
                String field = desc ? p.substring(1) : p;
                if (!orderable.contains(field)) {
                    errors.add(new FieldError(
                            "ordering",
                            "cannot order by '" + field + "'; allowed: "
                                    + String.join(
                                            ", ", orderable.stream().sorted().toList())));
                } else if (sorts.stream().noneMatch(s -> s.field().equals(field))) {
                    sorts.add(new Sort(field, desc));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return new PageRequest(l, o, sorts.isEmpty() ? defaultOrdering : sorts);
    }

    private static int parseInt(String name, String value, int dflt, int min, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                errors.add(new FieldError(name, "must be between " + min + " and " + max));
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, "must be an integer"));
            return dflt;
        }
    }
}
