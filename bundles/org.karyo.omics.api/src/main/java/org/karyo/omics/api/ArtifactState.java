package org.karyo.omics.api;

/** The life of an artifact. An artifact exists only once its file passed validation. */
public enum ArtifactState {
    /** Validated, stored with its index, queryable. */
    AVAILABLE
}
