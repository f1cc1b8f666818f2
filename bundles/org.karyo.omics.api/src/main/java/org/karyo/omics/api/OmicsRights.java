package org.karyo.omics.api;

/**
 * The rights the omics module contributes (module {@value #MODULE}). Each is inherited down the perimeter tree and
 * checked on the node of the project an object belongs to: an access on an institution's node grants it on each of
 * its projects.
 */
public final class OmicsRights {
    private OmicsRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "omics";

    /** See artifacts and their metadata, and query records without sample columns (sites only). */
    public static final String READ = "omics.read";

    /**
     * Read genotypes: sample columns of region queries (for samples whose consent allows it), htsget tickets and
     * whole-file downloads.
     */
    public static final String READ_GENOTYPES = "omics.read_genotypes";

    /** Upload files, attach QC metrics and change an artifact's descriptive fields. */
    public static final String UPLOAD = "omics.upload";

    /** Delete artifacts and abort other users' uploads. */
    public static final String MANAGE = "omics.manage";
}
