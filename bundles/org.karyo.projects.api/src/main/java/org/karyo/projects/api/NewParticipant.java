package org.karyo.projects.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.karyo.api.json.Nullable;

/**
 * A participant to create, or the new state of one (PUT: an absent optional field is removed). The identifier is
 * never given: it is assigned at creation. Consent is set separately ({@link ConsentUpdate}).
 *
 * @param firstName required, at most 255 characters
 * @param lastName required, at most 255 characters
 * @param gender required
 * @param birthDate required, not in the future
 * @param active {@code null} for true
 * @param email an e-mail address, or {@code null}
 * @param phonePrefix {@code +} and 1 to 4 digits, given together with the number, or {@code null}
 * @param phoneNumber 4 to 15 digits, given together with the prefix, or {@code null}
 * @param address at most 1000 characters on one line, or {@code null}
 * @param maritalStatus an HL7 v3 MaritalStatus code ({@code A D I L M P S T U W}), or {@code null}
 * @param language a BCP-47 language tag, or {@code null}
 * @param deceased {@code null} for false; true exactly when {@code deceasedAt} is given
 * @param deceasedAt when the participant died: not in the future, not before the birth date
 * @param note free text, at most 10,000 characters, or {@code null}
 * @param sampleIds sample names, each 1 to 128 characters without spaces, commas, semicolons, quotes or {@code |},
 *     unique within the project and not of the form of a participant identifier; {@code null} for none
 * @param diagnoses coded diagnoses, {@code null} for none
 */
public record NewParticipant(
        String firstName,
        String lastName,
        Gender gender,
        LocalDate birthDate,
        @Nullable Boolean active,
        @Nullable String email,
        @Nullable String phonePrefix,
        @Nullable String phoneNumber,
        @Nullable String address,
        @Nullable String maritalStatus,
        @Nullable String language,
        @Nullable Boolean deceased,
        @Nullable Instant deceasedAt,
        @Nullable String note,
        @Nullable List<String> sampleIds,
        @Nullable List<Diagnosis> diagnoses) {}
