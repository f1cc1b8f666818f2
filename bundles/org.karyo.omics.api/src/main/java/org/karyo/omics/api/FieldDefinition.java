package org.karyo.omics.api;

import org.karyo.api.json.Nullable;

/**
 * An INFO, FORMAT or FILTER definition of a VCF or BCF header.
 *
 * @param id the ID
 * @param number the Number ({@code 1}, {@code A}, {@code G}, {@code .}...), or {@code null} (FILTER)
 * @param type the Type ({@code Integer}, {@code Float}, {@code String}...), or {@code null} (FILTER)
 * @param description the Description, or {@code null}
 */
public record FieldDefinition(
        String id, @Nullable String number, @Nullable String type, @Nullable String description) {}
