package org.karyo.projects.impl.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.projects.api.Diagnosis;

/**
 * Plain JDBC over the platform's transaction-aware DataSource: inside a unit of work every statement runs on the
 * unit's connection (so it sees what the unit's persistence unit flushed), outside one on a pooled connection in
 * auto-commit. Parameters may be {@code null}, {@link Instant}s, {@link LocalDate}s, {@code Long[]} (bigint arrays) or
 * {@code String[]} (text arrays). A database failure becomes a {@link DataAccessException}, whose message never
 * reaches clients (the platform answers 500 with an incident id).
 */
final class Sql {

    /** Maps the current row. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Works with a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** An unexpected database failure (a bug or an outage). */
    static final class DataAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataAccessException(String message, SQLException cause) {
            super(message, cause);
        }
    }

    private final DataSource ds;

    Sql(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    <T> T with(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException("projects: database statement failed: " + e.getSQLState(), e);
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... params) {
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    long count(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    int update(String sql, Object... params) {
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                return ps.executeUpdate();
            }
        });
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

    static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int at = i + 1;
            if (p == null) {
                ps.setNull(at, Types.NULL);
            } else if (p instanceof Instant t) {
                ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof LocalDate d) {
                ps.setObject(at, d);
            } else if (p instanceof Long[] a) {
                ps.setArray(at, c.createArrayOf("bigint", a));
            } else if (p instanceof String[] a) {
                ps.setArray(at, c.createArrayOf("text", a));
            } else if (p instanceof Collection<?>) {
                throw new IllegalArgumentException("pass arrays, not collections");
            } else {
                ps.setObject(at, p);
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add((String) v);
        }
        return out;
    }

    /** {@code %text%} for ILIKE, with the wildcards of {@code text} escaped by {@code \}. */
    static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
