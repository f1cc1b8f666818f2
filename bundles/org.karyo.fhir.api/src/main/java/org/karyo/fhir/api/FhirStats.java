package org.karyo.fhir.api;

import java.util.List;

/**
 * What the store holds.
 *
 * @param types per resource type, by type name
 * @param tables per table of the store, by name: its total relation size (heap, TOAST and every index)
 */
public record FhirStats(List<TypeStats> types, List<TableStats> tables) {

    public FhirStats {
        types = List.copyOf(types);
        tables = List.copyOf(tables);
    }

    /** The total size of all the store's tables, in bytes. */
    public long totalBytes() {
        return tables.stream().mapToLong(TableStats::bytes).sum();
    }

    /**
     * One resource type.
     *
     * @param type the type
     * @param current its resources whose current version is not a deletion
     * @param deleted its resources whose current version is a deletion
     * @param bodyBytes the stored size of the current versions' bodies (after compression)
     */
    public record TypeStats(String type, long current, long deleted, long bodyBytes) {}

    /**
     * One table.
     *
     * @param table its name
     * @param rows its estimated number of rows
     * @param bytes {@code pg_total_relation_size}
     */
    public record TableStats(String table, long rows, long bytes) {}
}
