package org.karyo.projects.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * A participant of a project (EBDMS {@code Participant}, a simplified FHIR Patient), as the caller may see it.
 *
 * <p>A caller who holds {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE} on the project sees every field. A caller
 * who holds only {@link ProjectRights#PARTICIPANT_READ_PSEUDONYMIZED} sees a pseudonymised participant
 * ({@link #pseudonymized()} true): the identifier, names, birth date, contact fields, date of death, note and consent
 * dates and file name are {@code null}, and the birth date is reduced to {@link #birthYear()}.
 *
 * @param id the participant's id
 * @param projectId its project
 * @param identifier {@code <institution code>-<project code>-<n>}, assigned once; {@code null} when pseudonymised
 * @param pseudonym a stable pseudonym (a keyed hash of the id), the same in both views
 * @param pseudonymized whether this is the pseudonymised view
 * @param active whether the participant record is in use
 * @param firstName the given name
 * @param lastName the family name
 * @param gender the administrative gender
 * @param birthDate the birth date, not in the future
 * @param birthYear the birth year (both views)
 * @param email the e-mail address, or {@code null}
 * @param phonePrefix the international dialling prefix ({@code +33}), or {@code null}
 * @param phoneNumber the phone number without prefix (digits), or {@code null}
 * @param address the postal address on one line, or {@code null}
 * @param maritalStatus the HL7 v3 MaritalStatus code ({@code A D I L M P S T U W}), or {@code null}
 * @param language the preferred communication language, a BCP-47 tag ({@code fr}, {@code pl-PL}), or {@code null}
 * @param deceased whether the participant has died (both views)
 * @param deceasedAt when, required when deceased and absent otherwise
 * @param consent the consent
 * @param diagnoses the diagnoses, by system then code
 * @param healthy whether the participant has no diagnosis (EBDMS {@code is_healthy})
 * @param sampleIds the sample names by which genomic files refer to the participant (unique within the project)
 * @param note free text, or {@code null}
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version its version, the {@code ETag}
 */
public record Participant(
        long id,
        long projectId,
        @Nullable String identifier,
        String pseudonym,
        boolean pseudonymized,
        boolean active,
        String firstName,
        String lastName,
        Gender gender,
        LocalDate birthDate,
        int birthYear,
        @Nullable String email,
        @Nullable String phonePrefix,
        @Nullable String phoneNumber,
        @Nullable String address,
        @Nullable String maritalStatus,
        @Nullable String language,
        boolean deceased,
        @Nullable Instant deceasedAt,
        Consent consent,
        List<Diagnosis> diagnoses,
        boolean healthy,
        List<String> sampleIds,
        @Nullable String note,
        Instant createdAt,
        Instant updatedAt,
        long version) {
    public Participant {
        diagnoses = List.copyOf(diagnoses);
        sampleIds = List.copyOf(sampleIds);
    }
}
