package org.karyo.projects.api;

import java.util.OptionalLong;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The consent of a project's participants and its signed form. Rights and failures as in
 * {@link ParticipantService}: writing needs {@link ProjectRights#PARTICIPANT_MANAGE}, reading the form
 * {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE}; every write is one unit of work and audited, and so is every read
 * of the form.
 */
@ProviderType
public interface ConsentService {

    /** Sets the consent status and dates (see {@link ConsentUpdate} for the rules). */
    Participant update(
            Caller caller, long projectId, long participantId, ConsentUpdate consent, OptionalLong expectedVersion);

    /** Stores the signed consent form (a PDF), replacing any previous one. */
    Participant putDocument(
            Caller caller, long projectId, long participantId, Upload upload, OptionalLong expectedVersion);

    /** Removes the consent form; {@code CONFLICT} while the consent is {@link ConsentState#GIVEN}. */
    Participant deleteDocument(Caller caller, long projectId, long participantId, OptionalLong expectedVersion);

    /** The consent form's bytes; needs {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE} (it carries the name). */
    Download document(Caller caller, long projectId, long participantId);

    /** A short-lived presigned URL of the consent form; needs {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE}. */
    DownloadLink documentLink(Caller caller, long projectId, long participantId);
}
