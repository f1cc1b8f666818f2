package org.karyo.projects.api;

import java.io.InputStream;
import java.util.OptionalLong;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Participants of a project, their consent and relations. A project the caller may not see answers
 * {@code NOT_FOUND}, and so does a participant or relation that is not in the project. Reading needs
 * {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE} (full view) or {@link ProjectRights#PARTICIPANT_READ_PSEUDONYMIZED}
 * (pseudonymised view, see {@link Participant}); writing needs {@link ProjectRights#PARTICIPANT_MANAGE}; a visible
 * project without the right answers {@code FORBIDDEN}. What a write returns is in the caller's view. Every write is
 * one unit of work and audited with opaque ids only; reads of participant data are audited too.
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

    /** Sets the consent status and dates (see {@link ConsentUpdate} for the rules). */
    Participant updateConsent(
            Caller caller, long projectId, long participantId, ConsentUpdate consent, OptionalLong expectedVersion);

    /** Stores the signed consent form (a PDF), replacing any previous one. */
    Participant putConsentDocument(
            Caller caller, long projectId, long participantId, Upload upload, OptionalLong expectedVersion);

    /** Removes the consent form; {@code CONFLICT} while the consent is {@link ConsentState#GIVEN}. */
    Participant deleteConsentDocument(Caller caller, long projectId, long participantId, OptionalLong expectedVersion);

    /** The consent form's bytes; needs {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE} (it carries the name). */
    Download consentDocument(Caller caller, long projectId, long participantId);

    /** A short-lived presigned URL of the consent form; needs {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE}. */
    DownloadLink consentDocumentLink(Caller caller, long projectId, long participantId);

    /**
     * Imports participants from CSV, all or nothing (the columns of a nominative export; consent columns are read
     * only and ignored). A row without identifier creates a participant; a row with the identifier of one of the
     * project's participants replaces it. Every error names {@code line N: column}.
     */
    ImportReport importCsv(Caller caller, long projectId, InputStream csv);

    /** A CSV export of every participant, pseudonymised unless the caller may read nominative data. */
    ParticipantExport exportCsv(Caller caller, long projectId);

    /** The project's relations, or one participant's (in either direction). */
    Page<ParticipantRelation> relations(Caller caller, long projectId, Long participantId, PageRequest page);

    ParticipantRelation relation(Caller caller, long projectId, long relationId);

    ParticipantRelation createRelation(Caller caller, long projectId, NewRelation relation);

    void deleteRelation(Caller caller, long projectId, long relationId);
}
