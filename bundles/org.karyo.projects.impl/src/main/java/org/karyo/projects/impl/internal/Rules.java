package org.karyo.projects.impl.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.karyo.api.Validator;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.InstitutionUpdate;
import org.karyo.projects.api.InvestigatorUpdate;
import org.karyo.projects.api.NewInstitution;
import org.karyo.projects.api.NewInvestigator;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.ProjectStatus;
import org.karyo.projects.api.ProjectUpdate;

/**
 * The validation of every input (EBDMS's rules, made explicit), reporting every invalid field at once under its JSON
 * (snake_case) name, and the normalisation of what is stored: text trimmed, blank optional text absent. The database's
 * CHECK constraints mirror these rules.
 */
final class Rules {

    static final int NAME_MAX = 255;
    static final int ADDRESS_MAX = 1000;
    static final int DESCRIPTION_MAX = 10_000;
    static final int NOTE_MAX = 10_000;
    static final int RELATION_NOTE_MAX = 1000;
    static final int SAMPLES_MAX = 100;
    static final int DIAGNOSES_MAX = 200;
    static final int SEARCH_MAX = 255;
    static final LocalDate EARLIEST_BIRTH = LocalDate.of(1850, 1, 1);

    static final Pattern INSTITUTION_CODE = Pattern.compile("[A-Za-z0-9]{1,12}");
    static final Pattern PROJECT_CODE = Pattern.compile("[A-Za-z0-9]{1,8}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    static final Pattern STAFF_PHONE = Pattern.compile("\\+?[0-9][0-9 ]{3,30}");
    static final Pattern PHONE_PREFIX = Pattern.compile("\\+[0-9]{1,4}");
    static final Pattern PHONE_NUMBER = Pattern.compile("[0-9]{4,15}");
    static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}");
    static final Pattern SAMPLE_ID = Pattern.compile("[^\\s,;\"|\\p{Cntrl}]{1,128}");
    /** HL7 v3 MaritalStatus codes. */
    static final Set<String> MARITAL_STATUS = Set.of("A", "D", "I", "L", "M", "P", "S", "T", "U", "W");

    private Rules() {}

    // ---- institutions and investigators --------------------------------------------------------------------------

    /** A validated institution: code, name, department, address. */
    record InstitutionInput(String code, String name, String department, String address) {}

    static InstitutionInput institution(NewInstitution in) {
        Validator v = body(in, "code", "name");
        String code = trim(in.code());
        v.required(code, "code");
        v.check(code == null || INSTITUTION_CODE.matcher(code).matches(), "code", "must be 1 to 12 letters or digits");
        InstitutionUpdate u = new InstitutionUpdate(in.name(), in.department(), in.address());
        InstitutionInput rest = institutionFields(v, u);
        v.throwIfInvalid();
        return new InstitutionInput(code, rest.name(), rest.department(), rest.address());
    }

    static InstitutionInput institution(InstitutionUpdate in) {
        Validator v = body(in, "name");
        InstitutionInput out = institutionFields(v, in);
        v.throwIfInvalid();
        return out;
    }

    private static InstitutionInput institutionFields(Validator v, InstitutionUpdate in) {
        String name = text(v, in.name(), "name", NAME_MAX);
        String department = optional(v, in.department(), "department", NAME_MAX);
        String address = optional(v, in.address(), "address", ADDRESS_MAX);
        return new InstitutionInput(null, name, department, address);
    }

    /** A validated investigator. */
    record InvestigatorInput(String firstName, String lastName, String email, String phone) {}

    static InvestigatorInput investigator(NewInvestigator in) {
        Validator v = body(in, "first_name", "last_name");
        v.check(in.institutionId() > 0, "institution_id", "is required");
        InvestigatorInput out =
                investigatorFields(v, new InvestigatorUpdate(in.firstName(), in.lastName(), in.email(), in.phone()));
        v.throwIfInvalid();
        return out;
    }

    static InvestigatorInput investigator(InvestigatorUpdate in) {
        Validator v = body(in, "first_name", "last_name");
        InvestigatorInput out = investigatorFields(v, in);
        v.throwIfInvalid();
        return out;
    }

    private static InvestigatorInput investigatorFields(Validator v, InvestigatorUpdate in) {
        String first = text(v, in.firstName(), "first_name", NAME_MAX);
        String last = text(v, in.lastName(), "last_name", NAME_MAX);
        String email = email(v, in.email(), "email");
        String phone = optional(v, in.phone(), "phone", 32);
        v.check(
                phone == null || STAFF_PHONE.matcher(phone).matches(),
                "phone",
                "must be digits and spaces with an optional leading +");
        return new InvestigatorInput(first, last, email, phone);
    }

    // ---- projects -------------------------------------------------------------------------------------------------

    /** A validated project. */
    record ProjectInput(
            String code,
            long investigatorId,
            String name,
            String description,
            ProjectStatus status,
            LocalDate startDate,
            LocalDate endDate) {}

    static ProjectInput project(NewProject in) {
        Validator v = body(in, "institution_id", "investigator_id", "code", "name", "start_date");
        v.check(in.institutionId() > 0, "institution_id", "is required");
        String code = trim(in.code());
        v.required(code, "code");
        v.check(code == null || PROJECT_CODE.matcher(code).matches(), "code", "must be 1 to 8 letters or digits");
        ProjectInput rest = projectFields(
                v,
                new ProjectUpdate(
                        in.investigatorId(), in.name(), in.description(), in.status(), in.startDate(), in.endDate()));
        v.throwIfInvalid();
        return new ProjectInput(
                code,
                rest.investigatorId(),
                rest.name(),
                rest.description(),
                rest.status(),
                rest.startDate(),
                rest.endDate());
    }

    static ProjectInput project(ProjectUpdate in) {
        Validator v = body(in, "investigator_id", "name", "start_date");
        ProjectInput out = projectFields(v, in);
        v.throwIfInvalid();
        return out;
    }

    private static ProjectInput projectFields(Validator v, ProjectUpdate in) {
        v.check(in.investigatorId() > 0, "investigator_id", "is required");
        String name = text(v, in.name(), "name", NAME_MAX);
        String description = multiline(v, in.description(), "description", DESCRIPTION_MAX);
        ProjectStatus status = in.status() == null ? ProjectStatus.ACTIVE : in.status();
        v.required(in.startDate(), "start_date");
        v.check(
                in.endDate() == null || in.startDate() == null || !in.endDate().isBefore(in.startDate()),
                "end_date",
                "must not be before start_date");
        v.check(
                status != ProjectStatus.INACTIVE || in.endDate() != null,
                "end_date",
                "is required when the status is INACTIVE");
        return new ProjectInput(null, in.investigatorId(), name, description, status, in.startDate(), in.endDate());
    }

    /** EBDMS {@code is_active}: ACTIVE and no end date or one after today. */
    static boolean active(ProjectStatus status, LocalDate endDate, LocalDate today) {
        return status == ProjectStatus.ACTIVE && (endDate == null || endDate.isAfter(today));
    }

    // ---- participants ---------------------------------------------------------------------------------------------

    /** A validated participant. */
    record ParticipantInput(
            String firstName,
            String lastName,
            Gender gender,
            LocalDate birthDate,
            boolean active,
            String email,
            String phonePrefix,
            String phoneNumber,
            String address,
            String maritalStatus,
            String language,
            Instant deceasedAt,
            String note,
            List<String> sampleIds,
            List<Diagnosis> diagnoses) {}

    /**
     * Validates a participant; field names are prefixed by {@code prefix} ({@code ""} for JSON, {@code "line 3: "}
     * for CSV, where the list fields' items are not indexed).
     *
     * @param identifierPattern what the project's identifiers look like: a sample id must not
     */
    static ParticipantInput participant(
            Validator v, NewParticipant in, LocalDate today, Pattern identifierPattern, String prefix, boolean csv) {
        String first = text(v, in.firstName(), prefix + "first_name", NAME_MAX);
        String last = text(v, in.lastName(), prefix + "last_name", NAME_MAX);
        v.required(in.gender(), prefix + "gender");
        LocalDate birth = in.birthDate();
        v.required(birth, prefix + "birth_date");
        if (birth != null) {
            v.check(!birth.isAfter(today), prefix + "birth_date", "must not be in the future");
            v.check(!birth.isBefore(EARLIEST_BIRTH), prefix + "birth_date", "must not be before " + EARLIEST_BIRTH);
        }
        String email = email(v, in.email(), prefix + "email");
        String phonePrefix = optional(v, in.phonePrefix(), prefix + "phone_prefix", 5);
        String phoneNumber = optional(v, in.phoneNumber(), prefix + "phone_number", 15);
        v.check(
                phonePrefix == null || PHONE_PREFIX.matcher(phonePrefix).matches(),
                prefix + "phone_prefix",
                "must be + and 1 to 4 digits");
        v.check(
                phoneNumber == null || PHONE_NUMBER.matcher(phoneNumber).matches(),
                prefix + "phone_number",
                "must be 4 to 15 digits");
        v.check(
                (phonePrefix == null) == (phoneNumber == null),
                prefix + (phonePrefix == null ? "phone_prefix" : "phone_number"),
                "is required together with " + (phonePrefix == null ? "phone_number" : "phone_prefix"));
        String address = optional(v, in.address(), prefix + "address", ADDRESS_MAX);
        String marital = optional(v, in.maritalStatus(), prefix + "marital_status", 1);
        if (marital != null) {
            marital = marital.toUpperCase(Locale.ROOT);
            v.check(
                    MARITAL_STATUS.contains(marital),
                    prefix + "marital_status",
                    "must be an HL7 v3 MaritalStatus code: A, D, I, L, M, P, S, T, U or W");
        }
        String language = optional(v, in.language(), prefix + "language", 35);
        v.check(
                language == null || LANGUAGE.matcher(language).matches(),
                prefix + "language",
                "must be a BCP-47 language tag such as fr or pl-PL");
        boolean deceased = Boolean.TRUE.equals(in.deceased());
        Instant deceasedAt = in.deceasedAt();
        if (deceased) {
            v.check(deceasedAt != null, prefix + "deceased_at", "is required when deceased is true");
        } else {
            v.check(deceasedAt == null, prefix + "deceased_at", "must be empty unless deceased is true");
        }
        if (deceased && deceasedAt != null) {
            v.check(
                    !deceasedAt.atOffset(ZoneOffset.UTC).toLocalDate().isAfter(today),
                    prefix + "deceased_at",
                    "must not be in the future");
            v.check(
                    birth == null
                            || !deceasedAt.isBefore(
                                    birth.atStartOfDay(ZoneOffset.UTC).toInstant()),
                    prefix + "deceased_at",
                    "must not be before birth_date");
        }
        String note = multiline(v, in.note(), prefix + "note", NOTE_MAX);
        List<String> samples = sampleIds(v, in.sampleIds(), identifierPattern, prefix, csv);
        List<Diagnosis> diagnoses = diagnoses(v, in.diagnoses(), prefix, csv);
        return new ParticipantInput(
                first,
                last,
                in.gender(),
                birth,
                in.active() == null || in.active(),
                email,
                phonePrefix,
                phoneNumber,
                address,
                marital,
                language,
                deceased ? deceasedAt : null,
                note,
                samples,
                diagnoses);
    }

    private static List<String> sampleIds(
            Validator v, List<String> in, Pattern identifierPattern, String prefix, boolean csv) {
        List<String> out = new ArrayList<>();
        if (in == null) {
            return out;
        }
        v.check(in.size() <= SAMPLES_MAX, prefix + "sample_ids", "must have at most " + SAMPLES_MAX + " entries");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < in.size() && i < SAMPLES_MAX; i++) {
            String field = prefix + "sample_ids" + (csv ? "" : "[" + i + "]");
            String s = in.get(i) == null ? null : in.get(i).strip();
            if (s == null || s.isEmpty()) {
                v.check(false, field, "must not be empty");
            } else if (!SAMPLE_ID.matcher(s).matches()) {
                v.check(false, field, "must be 1 to 128 characters without spaces, commas, semicolons, quotes or |");
            } else if (identifierPattern != null && identifierPattern.matcher(s).matches()) {
                v.check(false, field, "must not have the form of a participant identifier of the project");
            } else if (!seen.add(s)) {
                v.check(false, field, "is given twice");
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Diagnosis> diagnoses(Validator v, List<Diagnosis> in, String prefix, boolean csv) {
        List<Diagnosis> out = new ArrayList<>();
        if (in == null) {
            return out;
        }
        v.check(in.size() <= DIAGNOSES_MAX, prefix + "diagnoses", "must have at most " + DIAGNOSES_MAX + " entries");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < in.size() && i < DIAGNOSES_MAX; i++) {
            String field = prefix + "diagnoses" + (csv ? "" : "[" + i + "]");
            Diagnosis d = in.get(i);
            if (d == null) {
                v.check(false, field, "must be an object with system and code");
                continue;
            }
            boolean[] ok = {true};
            String system = coded(v, ok, d.system(), field + (csv ? " system" : ".system"), NAME_MAX, true);
            String code = coded(v, ok, d.code(), field + (csv ? " code" : ".code"), 64, true);
            String display = coded(v, ok, d.display(), field + (csv ? " display" : ".display"), NAME_MAX, false);
            if (ok[0]) {
                if (!seen.add(system + "\n" + code)) {
                    v.check(false, field, "repeats the code " + code + " of " + system);
                } else {
                    out.add(new Diagnosis(system, code, display));
                }
            }
        }
        out.sort((a, b) -> a.system().equals(b.system())
                ? a.code().compareTo(b.code())
                : a.system().compareTo(b.system()));
        return out;
    }

    /** A coded value's part: trimmed, without {@code |} or line breaks (the CSV form joins parts with them). */
    private static String coded(Validator v, boolean[] ok, String value, String field, int max, boolean required) {
        String s = trim(value);
        if (s == null) {
            if (required) {
                v.check(false, field, "is required");
                ok[0] = false;
            }
            return null;
        }
        boolean clean = s.length() <= max && s.chars().noneMatch(c -> c < 0x20 || c == '|');
        if (!clean) {
            v.check(false, field, "must be at most " + max + " characters without | or control characters");
            ok[0] = false;
        }
        return s;
    }

    // ---- consent and relations ------------------------------------------------------------------------------------

    /**
     * Validates a consent change against whether the participant has a consent document.
     *
     * @return the status to store (never EXPIRED)
     */
    static ConsentState consent(ConsentUpdate in, boolean hasDocument, LocalDate today) {
        Validator v = body(in, "status");
        ConsentState s = in.status();
        v.required(s, "status");
        v.check(s != ConsentState.EXPIRED, "status", "EXPIRED is computed from expires_on; it is never set");
        LocalDate given = in.givenOn();
        LocalDate withdrawn = in.withdrawnOn();
        v.check(given == null || !given.isAfter(today), "given_on", "must not be in the future");
        v.check(withdrawn == null || !withdrawn.isAfter(today), "withdrawn_on", "must not be in the future");
        if (s == ConsentState.GIVEN) {
            v.check(given != null, "given_on", "is required when the status is GIVEN");
            v.check(withdrawn == null, "withdrawn_on", "must be empty when the status is GIVEN");
            v.check(
                    hasDocument,
                    "status",
                    "GIVEN needs the signed consent document: upload it first (PUT .../consent/document)");
        } else if (s == ConsentState.WITHDRAWN) {
            v.check(withdrawn != null, "withdrawn_on", "is required when the status is WITHDRAWN");
            v.check(
                    withdrawn == null || given == null || !withdrawn.isBefore(given),
                    "withdrawn_on",
                    "must not be before given_on");
        } else if (s == ConsentState.PENDING) {
            v.check(given == null, "given_on", "must be empty when the status is PENDING");
            v.check(withdrawn == null, "withdrawn_on", "must be empty when the status is PENDING");
        }
        v.check(
                in.expiresOn() == null || given == null || in.expiresOn().isAfter(given),
                "expires_on",
                "must be after given_on");
        v.throwIfInvalid();
        return s;
    }

    /** The consent today: a given consent whose expiry date has passed is EXPIRED. */
    static ConsentState effective(ConsentState stored, LocalDate expiresOn, LocalDate today) {
        if (stored == ConsentState.GIVEN && expiresOn != null && expiresOn.isBefore(today)) {
            return ConsentState.EXPIRED;
        }
        return stored;
    }

    /** A validated relation note (the pair rules need the participants: see the service). */
    static String relation(NewRelation in) {
        Validator v = body(in, "from_participant_id", "to_participant_id", "type");
        v.check(in.fromParticipantId() > 0, "from_participant_id", "is required");
        v.check(in.toParticipantId() > 0, "to_participant_id", "is required");
        v.required(in.type(), "type");
        v.check(
                in.fromParticipantId() != in.toParticipantId() || in.fromParticipantId() <= 0,
                "to_participant_id",
                "must not be the same participant as from_participant_id");
        String note = multiline(v, in.note(), "note", RELATION_NOTE_MAX);
        v.throwIfInvalid();
        return note;
    }

    // ---- queries --------------------------------------------------------------------------------------------------

    /** A search term: trimmed, at most {@value #SEARCH_MAX} characters, blank = none. */
    static String search(String search) {
        Validator v = new Validator();
        String s = optional(v, search, "search", SEARCH_MAX);
        v.throwIfInvalid();
        return s;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** A validator for a request body, failing at once (naming the required fields) when the body is missing. */
    private static Validator body(Object body, String... required) {
        Validator v = new Validator();
        if (body == null) {
            for (String field : required) {
                v.required(null, field);
            }
            v.throwIfInvalid();
        }
        return v;
    }

    static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    /** Required one-line text: trimmed, not blank, at most {@code max} characters, no control characters. */
    static String text(Validator v, String value, String field, int max) {
        String t = trim(value);
        v.text(t, field, max);
        noControl(v, t, field, false);
        return t;
    }

    /** Optional one-line text: trimmed, blank = absent. */
    static String optional(Validator v, String value, String field, int max) {
        String t = trim(value);
        v.maxLength(t, field, max);
        noControl(v, t, field, false);
        return t;
    }

    /** Optional free text that may span lines. */
    static String multiline(Validator v, String value, String field, int max) {
        String t = trim(value);
        v.maxLength(t, field, max);
        noControl(v, t, field, true);
        return t;
    }

    private static String email(Validator v, String value, String field) {
        String e = optional(v, value, field, 254);
        v.check(e == null || EMAIL.matcher(e).matches(), field, "must be an e-mail address");
        return e;
    }

    /**
     * PostgreSQL text cannot hold U+0000, and no other control character belongs in these fields: only tabs, and
     * line breaks in free text.
     */
    private static void noControl(Validator v, String value, String field, boolean lines) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 || c == 0x7f) && c != '\t' && !(lines && (c == '\n' || c == '\r'))) {
                v.check(false, field, lines ? "must not contain control characters" : "must be one line of text");
                return;
            }
        }
    }
}
