package org.karyo.api;

import java.util.List;

/**
 * One page of a list: the wire form of every Karyo list, {@code {count, limit, offset, results}}.
 *
 * @param count how many results match in total
 * @param limit the page size that was applied
 * @param offset how many results were skipped
 * @param results this page's results
 * @param <T> the result type
 */
public record Page<T>(long count, int limit, int offset, List<T> results) {
    public Page {
        results = List.copyOf(results);
    }
}
