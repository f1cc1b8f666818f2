package org.karyo.omics.api;

import org.karyo.api.json.Nullable;

/**
 * A contig of a file, in file order.
 *
 * @param name its name as the file writes it
 * @param length its length from the header ({@code ##contig=<length=>}), or {@code null}
 * @param records how many records the file holds on it
 */
public record Contig(String name, @Nullable Long length, long records) {}
