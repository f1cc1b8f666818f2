package org.karyo.projects.api;

import java.io.InputStream;
import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Participants of a project and their CSV import and export. A project the caller may not see answers
 * {@code NOT_FOUND}, and so does a participant that is not in the project. Reading needs
 * {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE} (full view) or {@link ProjectRights#PARTICIPANT_READ_PSEUDONYMIZED}
 * (pseudonymised view, see {@link Participant}); writing needs {@link ProjectRights#PARTICIPANT_MANAGE}; a visible
 * project without the right answers {@code FORBIDDEN}. What a write returns is in the caller's view. Every write is
 * one unit of work and audited with opaque ids only; reads of participant data are audited too. Consent is
 * {@link ConsentService}'s, relations are {@link RelationService}'s.
 */
@ProviderType
public interface ParticipantService {

    Page<Participant> list(Caller caller, long projectId, ParticipantQuery query);

    Participant get(Caller caller, long projectId, long participantId);

    /** Creates a participant with the next identifier of the project and a {@link ConsentState#PENDING} consent. */
    Participant create(Caller caller, long projectId, NewParticipant participant);

    /** Replaces a participant's state (not its identifier or consent). */
    Participant replace(
            Caller caller,
            long projectId,
            long participantId,
            NewParticipant participant,
            OptionalLong expectedVersion);

    /** Deletes a participant, its relations and its consent document; its identifier number is never reused. */
    void delete(Caller caller, long projectId, long participantId, OptionalLong expectedVersion);

    /**
     * Imports participants from CSV, all or nothing (the columns of a nominative export; consent columns are read
     * only and ignored). A row without identifier creates a participant; a row with the identifier of one of the
     * project's participants replaces it. Every error names {@code line N: column}.
     */
    ImportReport importCsv(Caller caller, long projectId, InputStream csv);

    /**
     * {@link #importCsv(Caller, long, InputStream)}, telling {@code progress} how many rows are done as it goes (the
     * rows become visible to others only when the whole import committed).
     */
    ImportReport importCsv(Caller caller, long projectId, InputStream csv, ImportProgress progress);

    /** A CSV export of every participant, pseudonymised unless the caller may read nominative data. */
    ParticipantExport exportCsv(Caller caller, long projectId);
}
