package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.impl.internal.Participants.WHAT;

import java.util.Objects;
import java.util.OptionalLong;
import org.karyo.api.KaryoException;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.ConsentService;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.Upload;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@link ConsentService} by the house rule: the participant row locked and changed through the module's
 * {@link Writes}, the signed form in object storage (written before the row that references it commits, the one it
 * replaces removed once the change committed).
 */
@Component(service = ConsentService.class)
public final class ConsentServiceImpl implements ConsentService {

    private final ProjectsStore store;
    private final Writes writes;
    private final Participants participants;
    private final Documents documents;

    @Activate
    public ConsentServiceImpl(
            @Reference ProjectsStore store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects) {
        this.store = Objects.requireNonNull(store, "store");
        this.writes = store.writes();
        this.participants = new Participants(store);
        this.documents = new Documents(objects, store.settings());
    }

    @Override
    public Participant update(
            Caller caller, long projectId, long participantId, ConsentUpdate consent, OptionalLong expectedVersion) {
        Project project = participants.manage(caller, projectId);
        Access.View view = Participants.readerView(caller, project);
        return writes.write(WHAT, tx -> {
            ParticipantEntity e = Participants.lock(tx, projectId, participantId, expectedVersion, true);
            ConsentState status = Rules.consent(
                    consent, e.documentKey() != null, store.settings().today());
            e.consent(status, consent.givenOn(), consent.withdrawnOn(), consent.expiresOn());
            e.touch(store.now());
            tx.audit(
                    caller,
                    AuditEvent.success("projects.consent.update", WHAT, participantId)
                            .with("project_id", projectId)
                            .with("status", status.name()));
            return participants.show(Participants.row(tx.sql(), projectId, participantId), view);
        });
    }

    @Override
    public Participant putDocument(
            Caller caller, long projectId, long participantId, Upload upload, OptionalLong expectedVersion) {
        Project project = participants.manage(caller, projectId);
        Access.View view = Participants.readerView(caller, project);
        participants.row(projectId, participantId); // NOT_FOUND before anything is stored
        Validator v = new Validator();
        String fileName = upload == null ? null : Rules.optional(v, upload.fileName(), "file_name", Rules.NAME_MAX);
        v.throwIfInvalid();
        StoredObject object = documents.put(Documents.consentKey(projectId, participantId), Documents.Type.PDF, upload);
        String name = fileName == null ? "consent.pdf" : fileName;
        try {
            return writes.write(WHAT, tx -> {
                ParticipantEntity e = Participants.lock(tx, projectId, participantId, expectedVersion, true);
                String previous = e.documentKey();
                e.document(object, name, store.now());
                e.touch(store.now());
                tx.audit(
                        caller,
                        AuditEvent.success("projects.consent_document.upload", WHAT, participantId)
                                .with("project_id", projectId)
                                .with("size", object.size()));
                if (previous != null) {
                    tx.afterCommit(() -> documents.delete(previous));
                }
                return participants.show(Participants.row(tx.sql(), projectId, participantId), view);
            });
        } catch (RuntimeException e) {
            documents.delete(object.key());
            throw e;
        }
    }

    @Override
    public Participant deleteDocument(Caller caller, long projectId, long participantId, OptionalLong expectedVersion) {
        Project project = participants.manage(caller, projectId);
        Access.View view = Participants.readerView(caller, project);
        return writes.write(WHAT, tx -> {
            ParticipantEntity e = Participants.lock(tx, projectId, participantId, expectedVersion, true);
            String key = e.documentKey();
            if (key == null) {
                throw KaryoException.notFound("consent document of participant", participantId);
            }
            if (e.consentStatus() == ConsentState.GIVEN) {
                throw KaryoException.conflict("The consent is GIVEN: it keeps its signed document. Withdraw it or set"
                        + " it back to PENDING first");
            }
            e.document(null, null, null);
            e.touch(store.now());
            tx.audit(
                    caller,
                    AuditEvent.success("projects.consent_document.delete", WHAT, participantId)
                            .with("project_id", projectId));
            tx.afterCommit(() -> documents.delete(key));
            return participants.show(Participants.row(tx.sql(), projectId, participantId), view);
        });
    }

    @Override
    public Download document(Caller caller, long projectId, long participantId) {
        Reads.ParticipantRow r = readable(caller, projectId, participantId, "read");
        return documents.open(
                r.documentKey(), r.documentName(), r.documentType(), r.documentSize(), r.documentSha256());
    }

    @Override
    public DownloadLink documentLink(Caller caller, long projectId, long participantId) {
        Reads.ParticipantRow r = readable(caller, projectId, participantId, "link");
        return documents.link(r.documentKey(), r.documentName(), r.documentSha256());
    }

    /** The participant, when the caller may read its form (it carries the name) and it has one; audited. */
    private Reads.ParticipantRow readable(Caller caller, long projectId, long participantId, String how) {
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        if (view != Access.View.NOMINATIVE) {
            throw KaryoException.forbidden("A consent document carries the participant's name: reading it needs "
                    + PARTICIPANT_READ_NOMINATIVE);
        }
        Reads.ParticipantRow r = participants.row(projectId, participantId);
        if (r.documentKey() == null) {
            throw KaryoException.notFound("consent document of participant", participantId);
        }
        store.audit(
                caller,
                AuditEvent.success("projects.consent_document.read", WHAT, participantId)
                        .with("project_id", projectId)
                        .with("how", how));
        return r;
    }
}
