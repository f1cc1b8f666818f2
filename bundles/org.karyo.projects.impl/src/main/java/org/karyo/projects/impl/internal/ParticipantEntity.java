package org.karyo.projects.impl.internal;

import java.time.Instant;
import java.time.LocalDate;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import org.karyo.persistence.InstantConverter;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Gender;

/**
 * A row of {@code karyo_projects.participants}; used for writes, reads go through {@link Reads}. The sample ids and
 * diagnoses are child rows written by statements in the same transaction ({@link Participants#replaceChildren}), so that an
 * import can move a sample id from one participant to another without tripping the uniqueness constraint midway.
 */
@Entity
@Table(schema = Reads.SCHEMA, name = "participants")
public class ParticipantEntity extends StampedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "seq", nullable = false, updatable = false)
    private long seq;

    @Column(name = "identifier", nullable = false, updatable = false)
    private String identifier;

    @Column(name = "active", nullable = false)
    private boolean active;

    @Column(name = "first_name", nullable = false)
    private String firstName;

    @Column(name = "last_name", nullable = false)
    private String lastName;

    @Enumerated(EnumType.STRING)
    @Column(name = "gender", nullable = false)
    private Gender gender;

    @Column(name = "birth_date", nullable = false)
    private LocalDate birthDate;

    @Column(name = "email")
    private String email;

    @Column(name = "phone_prefix")
    private String phonePrefix;

    @Column(name = "phone_number")
    private String phoneNumber;

    @Column(name = "address")
    private String address;

    @Column(name = "marital_status")
    private String maritalStatus;

    @Column(name = "language")
    private String language;

    @Column(name = "deceased", nullable = false)
    private boolean deceased;

    @Convert(converter = InstantConverter.class)
    @Column(name = "deceased_at")
    private Instant deceasedAt;

    @Column(name = "note")
    private String note;

    @Enumerated(EnumType.STRING)
    @Column(name = "consent_status", nullable = false)
    private ConsentState consentStatus;

    @Column(name = "consent_given_on")
    private LocalDate consentGivenOn;

    @Column(name = "consent_withdrawn_on")
    private LocalDate consentWithdrawnOn;

    @Column(name = "consent_expires_on")
    private LocalDate consentExpiresOn;

    @Column(name = "consent_document_key")
    private String documentKey;

    @Column(name = "consent_document_name")
    private String documentName;

    @Column(name = "consent_document_type")
    private String documentType;

    @Column(name = "consent_document_size")
    private Long documentSize;

    @Column(name = "consent_document_sha256")
    private String documentSha256;

    @Convert(converter = InstantConverter.class)
    @Column(name = "consent_document_uploaded_at")
    private Instant documentUploadedAt;

    /** For JPA. */
    protected ParticipantEntity() {}

    ParticipantEntity(long projectId, long seq, String identifier, Instant now) {
        super(now);
        this.projectId = projectId;
        this.seq = seq;
        this.identifier = identifier;
        this.consentStatus = ConsentState.PENDING;
    }

    Long id() {
        return id;
    }

    long projectId() {
        return projectId;
    }

    Gender gender() {
        return gender;
    }

    LocalDate birthDate() {
        return birthDate;
    }

    ConsentState consentStatus() {
        return consentStatus;
    }

    LocalDate consentGivenOn() {
        return consentGivenOn;
    }

    String documentKey() {
        return documentKey;
    }

    /** Sets every demographic field of a validated input (identifier and consent stay). */
    void assign(Rules.ParticipantInput p) {
        this.firstName = p.firstName();
        this.lastName = p.lastName();
        this.gender = p.gender();
        this.birthDate = p.birthDate();
        this.active = p.active();
        this.email = p.email();
        this.phonePrefix = p.phonePrefix();
        this.phoneNumber = p.phoneNumber();
        this.address = p.address();
        this.maritalStatus = p.maritalStatus();
        this.language = p.language();
        this.deceased = p.deceasedAt() != null;
        this.deceasedAt = p.deceasedAt();
        this.note = p.note();
    }

    void consent(ConsentState status, LocalDate givenOn, LocalDate withdrawnOn, LocalDate expiresOn) {
        this.consentStatus = status;
        this.consentGivenOn = givenOn;
        this.consentWithdrawnOn = withdrawnOn;
        this.consentExpiresOn = expiresOn;
    }

    /** Sets ({@code object} given) or clears ({@code null}) the consent document. */
    void document(StoredObject object, String fileName, Instant uploadedAt) {
        this.documentKey = object == null ? null : object.key();
        this.documentName = object == null ? null : fileName;
        this.documentType = object == null ? null : object.contentType();
        this.documentSize = object == null ? null : object.size();
        this.documentSha256 = object == null ? null : object.sha256();
        this.documentUploadedAt = object == null ? null : uploadedAt;
    }
}
