package org.karyo.omics.api;

/**
 * Where a file is also deposited: a repository and the accession there, always both (EBDMS {@code repository_name} /
 * {@code repository_id}).
 *
 * @param name the repository
 * @param id the accession in it, in the repository's own format (for example {@code EGAF00001234567})
 */
public record RepositoryRef(RepositoryName name, String id) {}
