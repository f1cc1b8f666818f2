package org.karyo.omics.impl.internal;

import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.IndexType;

/**
 * The module's object keys, all under {@value #PREFIX}: {@code omics/uploads/{id}/data} and {@code .../index} while
 * an upload is staged, {@code omics/artifacts/{id}/data.vcf.gz} (and its index, QC file) once it is an artifact.
 */
final class Keys {
    static final String PREFIX = "omics/";
    static final String UPLOADS = PREFIX + "uploads/";
    static final String ARTIFACTS = PREFIX + "artifacts/";

    private Keys() {}

    static String uploadData(long uploadId) {
        return UPLOADS + uploadId + "/data";
    }

    static String uploadIndex(long uploadId) {
        return UPLOADS + uploadId + "/index";
    }

    static String artifactPrefix(long artifactId) {
        return ARTIFACTS + artifactId + "/";
    }

    /** The stored file: VCF and BED are always stored BGZF-compressed. */
    static String artifactData(long artifactId, ArtifactKind kind) {
        String name =
                switch (kind) {
                    case VCF -> "data.vcf.gz";
                    case BED -> "data.bed.gz";
                    case BCF -> "data.bcf";
                    case PARQUET -> "data.parquet";
                };
        return artifactPrefix(artifactId) + name;
    }

    static String artifactIndex(long artifactId, ArtifactKind kind, IndexType type) {
        return artifactData(artifactId, kind) + (type == IndexType.CSI ? ".csi" : ".tbi");
    }

    static String qc(long artifactId, String mediaType) {
        return artifactPrefix(artifactId) + (mediaType.equals("text/csv") ? "qc.csv" : "qc.json");
    }

    /** The upload id of a key {@code omics/uploads/{id}/...}, or -1. */
    static long uploadOf(String key) {
        return idAfter(key, UPLOADS);
    }

    /** The artifact id of a key {@code omics/artifacts/{id}/...}, or -1. */
    static long artifactOf(String key) {
        return idAfter(key, ARTIFACTS);
    }

    private static long idAfter(String key, String prefix) {
        if (key == null || !key.startsWith(prefix)) {
            return -1;
        }
        int slash = key.indexOf('/', prefix.length());
        if (slash <= prefix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(prefix.length(), slash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The media type a stored file is served with. */
    static String contentType(ArtifactKind kind) {
        return switch (kind) {
            case VCF, BED -> "application/gzip";
            case BCF -> "application/octet-stream";
            case PARQUET -> "application/vnd.apache.parquet";
        };
    }
}
