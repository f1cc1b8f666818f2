package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Validator;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.Project;

/**
 * What the participant, consent and relation services share: the project of a request and the caller's view of it,
 * the participant rows as read and as locked for a write, the checks that need the database (sample ids unique in the
 * project, twins), and the child rows (sample ids, diagnoses), which are written as sets by statements in the write's
 * transaction so that an import can move a sample id from one participant to another without tripping the uniqueness
 * constraint midway.
 */
final class Participants {

    static final String PROJECT = "project";
    static final String WHAT = "participant";

    private final ProjectsStore store;
    private final Sql sql;

    Participants(ProjectsStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
    }

    /** The project (NOT_FOUND when it does not exist; visibility is the caller's business). */
    Project project(long projectId) {
        return store.requireProject(projectId);
    }

    /** The project, when the caller may manage its participants. */
    Project manage(Caller caller, long projectId) {
        Project project = project(projectId);
        Access.require(caller, project.perimeterId(), PARTICIPANT_MANAGE, PROJECT, projectId);
        return project;
    }

    /** How the caller may read the project's participants (NOT_FOUND or FORBIDDEN when it may not). */
    Access.View view(Caller caller, Project project) {
        return Access.participantView(caller, project.perimeterId(), PROJECT, project.id());
    }

    /**
     * How a write's result is shown: the caller's reading view, or pseudonymised for a caller who may manage but not
     * read participants (its own input is not echoed back beyond what it could read).
     */
    static Access.View readerView(Caller caller, Project project) {
        return caller.hasRightOn(PARTICIPANT_READ_NOMINATIVE, project.perimeterId())
                ? Access.View.NOMINATIVE
                : Access.View.PSEUDONYMIZED;
    }

    Participant show(Reads.ParticipantRow row, Access.View view) {
        return Views.participant(
                row, view, store.pseudonyms().of(row.id()), store.settings().today());
    }

    List<Participant> show(List<Reads.ParticipantRow> rows, Access.View view) {
        return Views.participants(
                rows, view, store.pseudonyms(), store.settings().today());
    }

    static Select one(long projectId, long participantId) {
        return Reads.PARTICIPANTS.eq("p.id", participantId).eq("p.project_id", projectId);
    }

    /** The participant of the project, or NOT_FOUND. */
    Reads.ParticipantRow row(long projectId, long participantId) {
        return row(sql, projectId, participantId);
    }

    /** The participant of the project as {@code sql} sees it (a write's reads see the write), or NOT_FOUND. */
    static Reads.ParticipantRow row(Sql sql, long projectId, long participantId) {
        return sql.one(one(projectId, participantId), Reads::participant)
                .orElseThrow(() -> KaryoException.notFound(WHAT, participantId));
    }

    /**
     * The participant locked for this write, at the version the caller expects ({@code NOT_FOUND} when it is not in
     * the project, {@code PRECONDITION_FAILED} when stale); with {@code forChange} its version moves on at the flush.
     */
    static ParticipantEntity lock(
            Writes.Tx tx, long projectId, long participantId, OptionalLong expected, boolean forChange) {
        ParticipantEntity e = tx.lock(ParticipantEntity.class, participantId)
                .filter(p -> p.projectId() == projectId)
                .orElseThrow(() -> KaryoException.notFound(WHAT, participantId));
        if (expected.isPresent() && expected.getAsLong() != e.version()) {
            throw KaryoException.stale(WHAT, participantId);
        }
        if (forChange) {
            tx.em().lock(e, javax.persistence.LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        }
        return e;
    }

    Rules.ParticipantInput validate(Project project, NewParticipant participant) {
        Validator v = new Validator();
        if (participant == null) {
            v.required(null, "first_name")
                    .required(null, "last_name")
                    .required(null, "gender")
                    .required(null, "birth_date")
                    .throwIfInvalid();
        }
        Rules.ParticipantInput in =
                Rules.participant(v, participant, store.settings().today(), identifierPattern(project), "", false);
        v.throwIfInvalid();
        return in;
    }

    /** What the project's identifiers look like: a sample id must not (it would match another participant). */
    static Pattern identifierPattern(Project project) {
        return Pattern.compile(
                Pattern.quote(project.institutionCode() + "-" + project.code() + "-") + "[0-9]+",
                Pattern.CASE_INSENSITIVE);
    }

    /** The identifier of participant number {@code n} of the project. */
    static String identifier(Project project, long n) {
        return project.institutionCode() + "-" + project.code() + "-" + n;
    }

    /**
     * Sample ids must be unique in the project: INVALID naming {@code sample_ids} when one belongs to a participant
     * other than those in {@code replaced} (whose sample ids are being rewritten).
     */
    static void checkSamples(Sql sql, long projectId, List<String> sampleIds, Set<Long> replaced, String prefix) {
        if (sampleIds.isEmpty()) {
            return;
        }
        List<String> taken = sql.list(
                Select.of("s.sample_id", Reads.SCHEMA + ".participant_samples s")
                        .eq("s.project_id", projectId)
                        .in("s.sample_id", sampleIds)
                        .where("NOT (s.participant_id = ANY(?))", (Object) replaced.toArray(Long[]::new))
                        .orderBy("s.sample_id"),
                rs -> rs.getString(1));
        if (!taken.isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            for (String s : taken) {
                int i = sampleIds.indexOf(s);
                errors.add(new FieldError(
                        prefix + "sample_ids" + (prefix.isEmpty() ? "[" + i + "]" : ""),
                        (prefix.isEmpty() ? "is" : s + " is") + " already a sample id of another participant of the"
                                + " project"));
            }
            throw KaryoException.invalid(errors);
        }
    }

    /**
     * A participant with a monozygotic twin keeps the twin's birth date and gender: INVALID naming {@code birth_date}
     * or {@code gender} otherwise. {@code incoming} holds the new state of twins replaced in the same import.
     */
    static void checkTwins(
            Sql sql,
            long participantId,
            Rules.ParticipantInput in,
            Map<Long, Rules.ParticipantInput> incoming,
            String prefix) {
        record Twin(long id, LocalDate birthDate, String gender) {}
        List<Twin> twins = sql.list(
                Select.of(
                                "p.id, p.birth_date, p.gender",
                                Reads.SCHEMA + ".participant_relations r JOIN " + Reads.SCHEMA
                                        + ".participants p ON p.id IN (r.from_participant_id, r.to_participant_id)")
                        .where("r.relation_type = 'TWIN_MONOZYGOTIC'")
                        .where("? IN (r.from_participant_id, r.to_participant_id)", participantId)
                        .where("p.id <> ?", participantId),
                rs -> new Twin(rs.getLong(1), Sql.date(rs, "birth_date"), rs.getString(3)));
        Validator v = new Validator();
        for (Twin twin : twins) {
            Rules.ParticipantInput other = incoming.get(twin.id());
            LocalDate birth = other != null ? other.birthDate() : twin.birthDate();
            String gender = other != null ? other.gender().name() : twin.gender();
            v.check(
                    in.birthDate().equals(birth),
                    prefix + "birth_date",
                    "must equal the birth date of the participant's monozygotic twin (participant " + twin.id() + ")");
            v.check(
                    in.gender().name().equals(gender),
                    prefix + "gender",
                    "must equal the gender of the participant's monozygotic twin (participant " + twin.id() + ")");
        }
        v.throwIfInvalid();
    }

    // ---- child rows: set-based statements in the write's transaction ------------------------------------------------

    /** Removes the sample ids and diagnoses of participants (before {@link #insertChildren}). */
    static void deleteChildren(Writes.Tx tx, Collection<Long> participantIds) {
        Long[] ids = participantIds.toArray(Long[]::new);
        tx.update("DELETE FROM " + Reads.SCHEMA + ".participant_samples WHERE participant_id = ANY(?)", (Object) ids);
        tx.update("DELETE FROM " + Reads.SCHEMA + ".participant_diagnoses WHERE participant_id = ANY(?)", (Object) ids);
    }

    /** Writes a participant's sample ids and diagnoses (validated: no duplicates). */
    static void insertChildren(
            Writes.Tx tx, long participantId, long projectId, List<String> sampleIds, List<Diagnosis> diagnoses) {
        if (!sampleIds.isEmpty()) {
            tx.update(
                    "INSERT INTO " + Reads.SCHEMA + ".participant_samples (participant_id, project_id, sample_id)"
                            + " SELECT ?, ?, unnest(?::text[])",
                    participantId,
                    projectId,
                    sampleIds.toArray(String[]::new));
        }
        if (!diagnoses.isEmpty()) {
            tx.update(
                    "INSERT INTO " + Reads.SCHEMA + ".participant_diagnoses (participant_id, system, code, display)"
                            + " SELECT ?, s, c, d FROM unnest(?::text[], ?::text[], ?::text[]) AS t(s, c, d)",
                    participantId,
                    diagnoses.stream().map(Diagnosis::system).toArray(String[]::new),
                    diagnoses.stream().map(Diagnosis::code).toArray(String[]::new),
                    diagnoses.stream().map(Diagnosis::display).toArray(String[]::new));
        }
    }

    /** Replaces a participant's sample ids and diagnoses. */
    static void replaceChildren(
            Writes.Tx tx, long participantId, long projectId, List<String> sampleIds, List<Diagnosis> diagnoses) {
        deleteChildren(tx, List.of(participantId));
        insertChildren(tx, participantId, projectId, sampleIds, diagnoses);
    }
}
