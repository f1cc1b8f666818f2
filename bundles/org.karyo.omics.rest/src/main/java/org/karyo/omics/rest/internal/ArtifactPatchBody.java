package org.karyo.omics.rest.internal;

import java.util.Optional;
import org.karyo.api.Validator;
import org.karyo.api.json.Nullable;
import org.karyo.omics.api.ArtifactPatch;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.RepositoryRef;

/**
 * The body of {@code PATCH /omics/artifacts/{id}} (JSON merge patch): any of {@code assembly}, {@code repository},
 * {@code participant}. Absent fields stay as they are; {@code "repository": null} removes the repository reference and
 * {@code "participant": null} unlinks the participant; {@code "assembly": null} is refused.
 *
 * <p>A bean rather than a record, because a record cannot tell an absent field from a {@code null} one: the JSON
 * reader calls a setter only for the fields the body contains.
 */
public final class ArtifactPatchBody {
    @Nullable
    private Assembly assembly;

    @Nullable
    private RepositoryRef repository;

    @Nullable
    private Long participant;

    private boolean hasAssembly;
    private boolean hasRepository;
    private boolean hasParticipant;

    public Assembly getAssembly() {
        return assembly;
    }

    public void setAssembly(Assembly assembly) {
        this.assembly = assembly;
        this.hasAssembly = true;
    }

    public RepositoryRef getRepository() {
        return repository;
    }

    public void setRepository(RepositoryRef repository) {
        this.repository = repository;
        this.hasRepository = true;
    }

    public Long getParticipant() {
        return participant;
    }

    public void setParticipant(Long participant) {
        this.participant = participant;
        this.hasParticipant = true;
    }

    /** Checks the body's shape and builds the service patch. */
    ArtifactPatch toPatch() {
        Validator v = new Validator();
        if (hasAssembly) {
            v.check(assembly != null, "assembly", "must not be null");
        }
        v.throwIfInvalid();
        return new ArtifactPatch(
                hasAssembly ? Optional.of(assembly) : Optional.empty(),
                hasRepository ? Optional.of(Optional.ofNullable(repository)) : Optional.empty(),
                hasParticipant ? Optional.of(Optional.ofNullable(participant)) : Optional.empty());
    }

    @Override
    public String toString() {
        return "ArtifactPatchBody[assembly=" + hasAssembly + ", repository=" + hasRepository + ", participant="
                + hasParticipant + "]";
    }
}
