package org.karyo.projects.impl.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.security.Scope;

/** List queries: the configured largest page, the ordering whitelist and the perimeter scope filter. */
final class Paging {
    private Paging() {}

    /**
     * Checks a page request against the largest page and the orderable fields.
     *
     * @throws org.karyo.api.KaryoException INVALID naming {@code limit}, {@code offset} or {@code ordering}
     */
    static void check(PageRequest page, int maxPageSize, Set<String> orderable) {
        Objects.requireNonNull(page, "page");
        Validator v = new Validator();
        v.check(page.limit() >= 1 && page.limit() <= maxPageSize, "limit", "must be between 1 and " + maxPageSize);
        v.check(page.offset() >= 0, "offset", "must be between 0 and " + Integer.MAX_VALUE);
        for (Sort s : page.ordering()) {
            v.check(
                    orderable.contains(s.field()),
                    "ordering",
                    "cannot order by '" + echo(s.field()) + "'; allowed: "
                            + String.join(", ", orderable.stream().sorted().toList()));
        }
        v.throwIfInvalid();
    }

    static <T> Page<T> empty(PageRequest page) {
        return new Page<>(0, page.limit(), page.offset(), List.of());
    }

    /** Appends {@code AND column = ANY(?)} unless the scope covers everything. */
    static void scope(StringBuilder where, List<Object> params, String column, Scope scope) {
        if (!scope.isAll()) {
            where.append(" AND ").append(column).append(" = ANY(?)");
            params.add(scope.boxedPerimeterIds());
        }
    }

    private static String echo(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
