package org.karyo.projects.api;

import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Relations between the participants of a project (parents, siblings, twins…). Rights and failures as in
 * {@link ParticipantService}: reading needs a participant read right (the note is shown in the nominative view only),
 * writing {@link ProjectRights#PARTICIPANT_MANAGE}; a relation that is not in the project answers {@code NOT_FOUND}.
 */
@ProviderType
public interface RelationService {

    /** The project's relations, or one participant's (in either direction). */
    Page<ParticipantRelation> list(Caller caller, long projectId, Long participantId, PageRequest page);

    ParticipantRelation get(Caller caller, long projectId, long relationId);

    /** Relates two participants of the project; monozygotic twins share birth date and gender. */
    ParticipantRelation create(Caller caller, long projectId, NewRelation relation);

    void delete(Caller caller, long projectId, long relationId);
}
