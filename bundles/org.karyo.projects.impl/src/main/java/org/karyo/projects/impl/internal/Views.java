package org.karyo.projects.impl.internal;

import java.time.LocalDate;
import java.util.List;
import org.karyo.projects.api.Consent;
import org.karyo.projects.api.ConsentDocument;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantRef;
import org.karyo.projects.api.ParticipantRelation;

/**
 * What a caller sees of a participant. Pseudonymisation happens here, in the service layer, before anything leaves
 * the module: the pseudonymised view drops the identifier, names, birth date (keeping the year), contact fields, date
 * of death, free text, consent dates and the consent file's name.
 */
final class Views {
    private Views() {}

    static Participant participant(Reads.ParticipantRow r, Access.View view, String pseudonym, LocalDate today) {
        boolean nominative = view == Access.View.NOMINATIVE;
        ConsentState status = Rules.effective(r.consentStatus(), r.expiresOn(), today);
        ConsentDocument document = r.documentKey() == null
                ? null
                : new ConsentDocument(
                        nominative ? r.documentName() : null,
                        r.documentType(),
                        r.documentSize(),
                        r.documentSha256(),
                        nominative ? r.documentUploadedAt() : null);
        Consent consent = nominative
                ? new Consent(status, r.givenOn(), r.withdrawnOn(), r.expiresOn(), document)
                : new Consent(status, null, null, null, document);
        return new Participant(
                r.id(),
                r.projectId(),
                nominative ? r.identifier() : null,
                pseudonym,
                !nominative,
                r.active(),
                nominative ? r.firstName() : null,
                nominative ? r.lastName() : null,
                r.gender(),
                nominative ? r.birthDate() : null,
                r.birthDate().getYear(),
                nominative ? r.email() : null,
                nominative ? r.phonePrefix() : null,
                nominative ? r.phoneNumber() : null,
                nominative ? r.address() : null,
                nominative ? r.maritalStatus() : null,
                nominative ? r.language() : null,
                r.deceased(),
                nominative ? r.deceasedAt() : null,
                consent,
                r.diagnoses(),
                r.diagnoses().isEmpty(),
                r.sampleIds(),
                nominative ? r.note() : null,
                r.createdAt(),
                r.updatedAt(),
                r.version());
    }

    static ParticipantRef ref(Reads.ParticipantRow r, LocalDate today) {
        return new ParticipantRef(
                r.id(),
                r.projectId(),
                r.identifier(),
                r.sampleIds(),
                Rules.effective(r.consentStatus(), r.expiresOn(), today));
    }

    static ParticipantRelation relation(ParticipantRelation r, Access.View view) {
        return view == Access.View.NOMINATIVE
                ? r
                : new ParticipantRelation(
                        r.id(),
                        r.projectId(),
                        r.fromParticipantId(),
                        r.toParticipantId(),
                        r.type(),
                        null,
                        r.createdAt());
    }

    static List<Participant> participants(
            List<Reads.ParticipantRow> rows, Access.View view, Pseudonyms pseudonyms, LocalDate today) {
        return rows.stream()
                .map(r -> participant(r, view, pseudonyms.of(r.id()), today))
                .toList();
    }
}
