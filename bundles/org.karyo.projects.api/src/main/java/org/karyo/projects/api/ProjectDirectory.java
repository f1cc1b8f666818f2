package org.karyo.projects.api;

import java.util.Collection;
import java.util.Map;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What other modules need to know about projects and participants (the omics module: which project an artifact
 * belongs to, who may see it, which VCF sample is which participant and whether its consent allows genotype reads).
 * Provided by the projects module.
 */
@ProviderType
public interface ProjectDirectory {

    /**
     * The project when it exists and {@code caller} holds {@code right} on its perimeter node (any right key, for
     * example {@link ProjectRights#PROJECT_READ} or another module's {@code omics.upload}).
     *
     * @throws org.karyo.api.KaryoException {@link org.karyo.api.Kind#NOT_FOUND} otherwise, also when the project
     *     exists but the caller may not see it
     */
    ProjectRef require(Caller caller, long projectId, String right);

    /**
     * The ids of the projects on whose perimeter node the caller holds {@code right} (for listing other modules'
     * objects with {@code project_id = any(?)}).
     *
     * @return a scope over PROJECT ids, not perimeter ids; {@link Scope#all()} when the caller holds the right
     *     everywhere (a global right or a full administrator)
     */
    Scope projects(Caller caller, String right);

    /**
     * A participant of the project, by id. No caller check: the caller already passed {@link #require}.
     *
     * @throws org.karyo.api.KaryoException {@link org.karyo.api.Kind#NOT_FOUND} if it is not in that project
     */
    ParticipantRef participant(long projectId, long participantId);

    /**
     * The participants of the project whose identifier or one of whose sample ids is in {@code names} (the sample
     * names of a VCF's columns), keyed by the matched name; names that match nobody are absent. Consent
     * {@link ConsentState#EXPIRED} is computed from the expiry date (today, UTC). No caller check.
     */
    Map<String, ParticipantRef> participantsBySample(long projectId, Collection<String> names);
}
