package org.karyo.projects.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.Investigator;
import org.karyo.projects.api.ParticipantRelation;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectFile;
import org.karyo.projects.api.ProjectStatus;
import org.karyo.projects.api.RelationType;

/**
 * The read side (docs/design/persistence.md, rule 1): each single read or page is one {@link Select} run by
 * {@link Sql}, mapped straight to the API records (a page carries its total count). Only whitelisted column names are
 * spliced into SQL text; every value is a parameter.
 */
final class Reads {

    static final String SCHEMA = "karyo_projects";

    static final Select INSTITUTIONS = Select.of(
            "i.id, i.code, i.name, i.department, i.address, i.perimeter_id, i.created_at, i.updated_at, i.version",
            SCHEMA + ".institutions i");

    static final Select INVESTIGATORS = Select.of(
            "v.id, v.institution_id, v.first_name, v.last_name, v.email, v.phone, v.created_at, v.updated_at,"
                    + " v.version, i.perimeter_id",
            SCHEMA + ".investigators v JOIN " + SCHEMA + ".institutions i ON i.id = v.institution_id");

    static final Select PROJECTS = Select.of(
            "p.id, p.code, p.name, p.description, p.status, p.start_date, p.end_date, p.institution_id,"
                    + " i.code AS institution_code, p.investigator_id, p.perimeter_id, p.created_at, p.updated_at,"
                    + " p.version, (SELECT count(*) FROM " + SCHEMA + ".participants x WHERE x.project_id = p.id)"
                    + " AS participant_count",
            SCHEMA + ".projects p JOIN " + SCHEMA + ".institutions i ON i.id = p.institution_id");

    static final Select FILES = Select.of(
            "f.id, f.project_id, f.name, f.category, f.content_type, f.size, f.sha256, f.object_key, f.created_at,"
                    + " f.created_by",
            SCHEMA + ".project_files f");

    static final Select PARTICIPANTS = Select.of(
            "p.id, p.project_id, p.identifier, p.active, p.first_name, p.last_name,"
                    + " p.gender, p.birth_date, p.email, p.phone_prefix, p.phone_number, p.address, p.marital_status,"
                    + " p.language, p.deceased, p.deceased_at, p.note, p.consent_status, p.consent_given_on,"
                    + " p.consent_withdrawn_on, p.consent_expires_on, p.consent_document_key, p.consent_document_name,"
                    + " p.consent_document_type, p.consent_document_size, p.consent_document_sha256,"
                    + " p.consent_document_uploaded_at, p.created_at, p.updated_at, p.version,"
                    + " ARRAY(SELECT s.sample_id FROM " + SCHEMA
                    + ".participant_samples s WHERE s.participant_id = p.id"
                    + " ORDER BY s.sample_id) AS sample_ids,"
                    + " ARRAY(SELECT d.system FROM " + SCHEMA + ".participant_diagnoses d WHERE d.participant_id = p.id"
                    + " ORDER BY d.system, d.code) AS dx_systems,"
                    + " ARRAY(SELECT d.code FROM " + SCHEMA + ".participant_diagnoses d WHERE d.participant_id = p.id"
                    + " ORDER BY d.system, d.code) AS dx_codes,"
                    + " ARRAY(SELECT d.display FROM " + SCHEMA
                    + ".participant_diagnoses d WHERE d.participant_id = p.id"
                    + " ORDER BY d.system, d.code) AS dx_displays",
            SCHEMA + ".participants p");

    static final Select RELATIONS = Select.of(
            "r.id, r.project_id, r.from_participant_id, r.to_participant_id, r.relation_type, r.note, r.created_at",
            SCHEMA + ".participant_relations r");

    private Reads() {}

    /** A participant row, everything stored; what a caller sees is made from it by {@link Views}. */
    record ParticipantRow(
            long id,
            long projectId,
            String identifier,
            boolean active,
            String firstName,
            String lastName,
            Gender gender,
            LocalDate birthDate,
            String email,
            String phonePrefix,
            String phoneNumber,
            String address,
            String maritalStatus,
            String language,
            boolean deceased,
            Instant deceasedAt,
            String note,
            ConsentState consentStatus,
            LocalDate givenOn,
            LocalDate withdrawnOn,
            LocalDate expiresOn,
            String documentKey,
            String documentName,
            String documentType,
            Long documentSize,
            String documentSha256,
            Instant documentUploadedAt,
            Instant createdAt,
            Instant updatedAt,
            long version,
            List<String> sampleIds,
            List<Diagnosis> diagnoses) {}

    /** A project row with what the service needs besides the API record. */
    record ProjectRow(Project project, ProjectStatus status, LocalDate endDate) {}

    /** An investigator with its institution's perimeter node. */
    record InvestigatorRow(Investigator investigator, long perimeterId) {}

    /** A file with its object key. */
    record FileRow(ProjectFile file, String objectKey) {}

    static Institution institution(ResultSet rs) throws SQLException {
        return new Institution(
                rs.getLong("id"),
                rs.getString("code"),
                rs.getString("name"),
                rs.getString("department"),
                rs.getString("address"),
                rs.getLong("perimeter_id"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getLong("version"));
    }

    static InvestigatorRow investigator(ResultSet rs) throws SQLException {
        return new InvestigatorRow(
                new Investigator(
                        rs.getLong("id"),
                        rs.getLong("institution_id"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("email"),
                        rs.getString("phone"),
                        Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "updated_at"),
                        rs.getLong("version")),
                rs.getLong("perimeter_id"));
    }

    static ProjectRow project(ResultSet rs, LocalDate today) throws SQLException {
        ProjectStatus status = ProjectStatus.valueOf(rs.getString("status"));
        LocalDate end = Sql.date(rs, "end_date");
        return new ProjectRow(
                new Project(
                        rs.getLong("id"),
                        rs.getString("code"),
                        rs.getString("name"),
                        rs.getString("description"),
                        status,
                        Sql.date(rs, "start_date"),
                        end,
                        Rules.active(status, end, today),
                        rs.getLong("institution_id"),
                        rs.getString("institution_code"),
                        rs.getLong("investigator_id"),
                        rs.getLong("perimeter_id"),
                        rs.getLong("participant_count"),
                        Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "updated_at"),
                        rs.getLong("version")),
                status,
                end);
    }

    static FileRow file(ResultSet rs) throws SQLException {
        return new FileRow(
                new ProjectFile(
                        rs.getLong("id"),
                        rs.getLong("project_id"),
                        rs.getString("name"),
                        FileCategory.valueOf(rs.getString("category")),
                        rs.getString("content_type"),
                        rs.getLong("size"),
                        rs.getString("sha256"),
                        Sql.instant(rs, "created_at"),
                        rs.getString("created_by")),
                rs.getString("object_key"));
    }

    static ParticipantRow participant(ResultSet rs) throws SQLException {
        List<String> systems = Sql.strings(rs, "dx_systems");
        List<String> codes = Sql.strings(rs, "dx_codes");
        List<String> displays = Sql.strings(rs, "dx_displays");
        List<Diagnosis> diagnoses = new ArrayList<>(systems.size());
        for (int i = 0; i < systems.size(); i++) {
            diagnoses.add(new Diagnosis(systems.get(i), codes.get(i), displays.get(i)));
        }
        return new ParticipantRow(
                rs.getLong("id"),
                rs.getLong("project_id"),
                rs.getString("identifier"),
                rs.getBoolean("active"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                Gender.valueOf(rs.getString("gender")),
                Sql.date(rs, "birth_date"),
                rs.getString("email"),
                rs.getString("phone_prefix"),
                rs.getString("phone_number"),
                rs.getString("address"),
                rs.getString("marital_status"),
                rs.getString("language"),
                rs.getBoolean("deceased"),
                Sql.instant(rs, "deceased_at"),
                rs.getString("note"),
                ConsentState.valueOf(rs.getString("consent_status")),
                Sql.date(rs, "consent_given_on"),
                Sql.date(rs, "consent_withdrawn_on"),
                Sql.date(rs, "consent_expires_on"),
                rs.getString("consent_document_key"),
                rs.getString("consent_document_name"),
                rs.getString("consent_document_type"),
                Sql.nullableLong(rs, "consent_document_size"),
                rs.getString("consent_document_sha256"),
                Sql.instant(rs, "consent_document_uploaded_at"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getLong("version"),
                Sql.strings(rs, "sample_ids"),
                diagnoses);
    }

    static ParticipantRelation relation(ResultSet rs) throws SQLException {
        return new ParticipantRelation(
                rs.getLong("id"),
                rs.getLong("project_id"),
                rs.getLong("from_participant_id"),
                rs.getLong("to_participant_id"),
                RelationType.valueOf(rs.getString("relation_type")),
                rs.getString("note"),
                Sql.instant(rs, "created_at"));
    }
}
