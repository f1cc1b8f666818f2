package org.karyo.accesses.impl.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.karyo.api.KaryoException;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;

/** ORDER BY / LIMIT / OFFSET from a {@link PageRequest}, over a whitelist of orderable fields. */
final class Paging {
    private Paging() {}

    /**
     * The ORDER BY clause: the requested keys (each must be in {@code columns}), then {@code tieBreak}.
     *
     * @param columns wire field name → SQL expression
     * @param defaultOrder the clause body when the request orders by nothing
     * @param tieBreak a unique expression appended last, so that pages are stable
     * @throws KaryoException INVALID naming {@code ordering} for a field outside the whitelist
     */
    static String orderBy(PageRequest page, Map<String, String> columns, String defaultOrder, String tieBreak) {
        List<Sort> sorts = page == null ? List.of() : page.ordering();
        StringBuilder sb = new StringBuilder(" ORDER BY ");
        if (sorts.isEmpty()) {
            sb.append(defaultOrder);
        } else {
            boolean first = true;
            for (Sort s : sorts) {
                String column = columns.get(s.field());
                if (column == null) {
                    throw KaryoException.invalid(
                            "ordering",
                            "cannot order by '" + s.field() + "'; allowed: "
                                    + String.join(", ", new TreeSet<>(columns.keySet())));
                }
                if (!first) {
                    sb.append(", ");
                }
                sb.append(column).append(s.descending() ? " DESC" : " ASC");
                first = false;
            }
        }
        return sb.append(", ").append(tieBreak).toString();
    }

    static int limit(PageRequest page) {
        return page == null ? PageRequest.DEFAULT_LIMIT : Math.max(1, page.limit());
    }

    static int offset(PageRequest page) {
        return page == null ? 0 : Math.max(0, page.offset());
    }

    /** A page cut from a list that is already complete and ordered. */
    static <T> org.karyo.api.Page<T> slice(List<T> all, PageRequest page) {
        int limit = limit(page);
        int offset = offset(page);
        List<T> part = offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + limit));
        return new org.karyo.api.Page<>(all.size(), limit, offset, part);
    }
}
