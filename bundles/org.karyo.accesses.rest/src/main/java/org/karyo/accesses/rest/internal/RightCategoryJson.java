package org.karyo.accesses.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.karyo.accesses.api.Right;

/**
 * A heading of {@code GET /api/accesses/rights} (Cohort360's right categories).
 *
 * @param name the category
 * @param isGlobal whether every right in it is global
 * @param rights its rights, by key
 */
record RightCategoryJson(String name, boolean isGlobal, List<RightJson> rights) {

    /** Groups rights by category, keeping the order in which categories first appear. */
    static List<RightCategoryJson> group(List<Right> rights) {
        Map<String, List<RightJson>> byCategory = new LinkedHashMap<>();
        for (Right r : rights) {
            byCategory.computeIfAbsent(r.category(), c -> new ArrayList<>()).add(RightJson.of(r));
        }
        List<RightCategoryJson> out = new ArrayList<>();
        byCategory.forEach((name, list) ->
                out.add(new RightCategoryJson(name, list.stream().allMatch(RightJson::isGlobal), List.copyOf(list))));
        return List.copyOf(out);
    }
}
