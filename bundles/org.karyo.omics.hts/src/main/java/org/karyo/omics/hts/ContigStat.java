package org.karyo.omics.hts;

/**
 * A contig of a genomic file.
 *
 * @param name the contig name
 * @param length from {@code ##contig=<length=>}, or null
 * @param records the number of records on it
 */
public record ContigStat(String name, Long length, long records) {}
