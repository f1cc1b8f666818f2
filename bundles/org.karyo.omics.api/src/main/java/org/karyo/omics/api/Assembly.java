package org.karyo.omics.api;

import org.karyo.api.json.Nullable;

/**
 * A file's reference assembly.
 *
 * @param reference GRCh37, GRCh38 or another assembly
 * @param name the assembly's name: required for {@link ReferenceAssembly#OTHER} (at most 64 characters); for GRCh37
 *     and GRCh38 {@code null} means {@code GRCh37} / {@code GRCh38}
 */
public record Assembly(ReferenceAssembly reference, @Nullable String name) {

    /** GRCh38 by its standard name. */
    public static final Assembly GRCH38 = new Assembly(ReferenceAssembly.GRCH38, "GRCh38");

    /** GRCh37 by its standard name. */
    public static final Assembly GRCH37 = new Assembly(ReferenceAssembly.GRCH37, "GRCh37");
}
