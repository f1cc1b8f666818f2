package org.karyo.omics.api;

import java.util.Optional;

/**
 * A change to an artifact's descriptive fields; an empty outer {@code Optional} leaves the field as it is.
 *
 * @param assembly the new reference assembly
 * @param repository the new repository reference; {@code Optional.of(Optional.empty())} removes it
 * @param participant the new participant (in the artifact's project); {@code Optional.of(Optional.empty())} unlinks it
 */
public record ArtifactPatch(
        Optional<Assembly> assembly,
        Optional<Optional<RepositoryRef>> repository,
        Optional<Optional<Long>> participant) {
    public ArtifactPatch {
        assembly = assembly == null ? Optional.empty() : assembly;
        repository = repository == null ? Optional.empty() : repository;
        participant = participant == null ? Optional.empty() : participant;
    }
}
