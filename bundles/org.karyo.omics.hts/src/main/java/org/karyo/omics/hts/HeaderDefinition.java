package org.karyo.omics.hts;

/**
 * An INFO, FORMAT or FILTER definition of a VCF/BCF header.
 *
 * @param kind {@code INFO}, {@code FORMAT} or {@code FILTER}
 * @param id the ID
 * @param number the Number, or null
 * @param type the Type, or null
 * @param description the Description, or null
 */
public record HeaderDefinition(String kind, String id, String number, String type, String description) {}
