package org.karyo.projects.impl.internal;

import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.karyo.api.jdbc.Jdbc;
import org.karyo.projects.api.Diagnosis;

/** The projects module's own statements, on the platform's {@link Jdbc}. */
final class Sql extends Jdbc {

    Sql(DataSource ds) {
        super(ds, "projects");
    }

    /**
     * Hands out the next participant number of a project, locking the project row until the unit of work ends (which
     * also serialises every participant write of the project).
     */
    long nextParticipantNumber(long projectId) {
        return one(
                        "UPDATE " + Reads.SCHEMA + ".projects SET participant_seq = participant_seq + 1 WHERE id = ?"
                                + " RETURNING participant_seq",
                        rs -> rs.getLong(1),
                        projectId)
                .orElseThrow(() -> new IllegalStateException("project " + projectId + " vanished"));
    }

    /** Locks a project row until the unit of work ends: participant writes of one project run one at a time. */
    void lockProject(long projectId) {
        one("SELECT id FROM " + Reads.SCHEMA + ".projects WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), projectId);
    }

    /** Removes the sample ids and diagnoses of participants (before {@link #insertChildren}). */
    void deleteChildren(Collection<Long> participantIds) {
        Long[] ids = participantIds.toArray(Long[]::new);
        update("DELETE FROM " + Reads.SCHEMA + ".participant_samples WHERE participant_id = ANY(?)", (Object) ids);
        update("DELETE FROM " + Reads.SCHEMA + ".participant_diagnoses WHERE participant_id = ANY(?)", (Object) ids);
    }

    /** Writes a participant's sample ids and diagnoses (validated: no duplicates). */
    void insertChildren(long participantId, long projectId, List<String> sampleIds, List<Diagnosis> diagnoses) {
        if (!sampleIds.isEmpty()) {
            update(
                    "INSERT INTO " + Reads.SCHEMA + ".participant_samples (participant_id, project_id, sample_id)"
                            + " SELECT ?, ?, unnest(?::text[])",
                    participantId,
                    projectId,
                    sampleIds.toArray(String[]::new));
        }
        if (!diagnoses.isEmpty()) {
            update(
                    "INSERT INTO " + Reads.SCHEMA + ".participant_diagnoses (participant_id, system, code, display)"
                            + " SELECT ?, s, c, d FROM unnest(?::text[], ?::text[], ?::text[]) AS t(s, c, d)",
                    participantId,
                    diagnoses.stream().map(Diagnosis::system).toArray(String[]::new),
                    diagnoses.stream().map(Diagnosis::code).toArray(String[]::new),
                    diagnoses.stream().map(Diagnosis::display).toArray(String[]::new));
        }
    }

    /** Replaces a participant's sample ids and diagnoses. */
    void replaceChildren(long participantId, long projectId, List<String> sampleIds, List<Diagnosis> diagnoses) {
        deleteChildren(List.of(participantId));
        insertChildren(participantId, projectId, sampleIds, diagnoses);
    }
}
