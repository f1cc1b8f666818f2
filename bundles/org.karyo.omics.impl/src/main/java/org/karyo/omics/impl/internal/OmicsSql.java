package org.karyo.omics.impl.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.karyo.api.Sort;
import org.karyo.api.security.Scope;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactQuery;

/**
 * The module's hand-written SQL: list pages (ids and the total in one statement, filtered by the caller's project
 * scope with {@code project_id = any(?)}), the quota sum, and what the sweeper asks about keys.
 */
final class OmicsSql {
    static final String SCHEMA = "karyo_omics";

    private OmicsSql() {}

    /** A page of ids and the total count of the query. */
    record IdPage(List<Long> ids, long total) {}

    /** The ids of one page of artifacts; {@code scope} is over project ids. */
    static IdPage artifactIds(Connection c, Scope scope, ArtifactQuery q) throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT a.id, count(*) OVER () FROM " + SCHEMA + ".artifact a WHERE true");
        List<Object> params = new ArrayList<>();
        if (!scope.isAll()) {
            sql.append(" AND a.project_id = any(?)");
            params.add(scope.boxedPerimeterIds());
        }
        if (!q.projects().isEmpty()) {
            sql.append(" AND a.project_id = any(?)");
            params.add(q.projects().toArray(Long[]::new));
        }
        if (!q.kinds().isEmpty()) {
            sql.append(" AND a.kind = any(?)");
            params.add(q.kinds().stream().map(ArtifactKind::name).toArray(String[]::new));
        }
        if (q.participant() != null) {
            sql.append(" AND a.participant_id = ?");
            params.add(q.participant());
        }
        if (q.sample() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM " + SCHEMA
                    + ".artifact_sample s WHERE s.artifact_id = a.id AND s.name = ?)");
            params.add(q.sample());
        }
        sql.append(" ORDER BY ").append(orderBy(q.page().ordering(), "a."));
        sql.append(" LIMIT ? OFFSET ?");
        params.add(q.page().limit());
        params.add(q.page().offset());
        return page(c, sql.toString(), params, () -> count(c, sql.toString(), params));
    }

    /** The ids of one page of uploads or jobs ({@code table} is {@code upload} or {@code job}). */
    static IdPage ids(
            Connection c,
            String table,
            Scope scope,
            Collection<Long> projects,
            List<Sort> ordering,
            int limit,
            int offset)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT t.id, count(*) OVER () FROM " + SCHEMA + "." + table + " t WHERE true");
        List<Object> params = new ArrayList<>();
        if (!scope.isAll()) {
            sql.append(" AND t.project_id = any(?)");
            params.add(scope.boxedPerimeterIds());
        }
        if (!projects.isEmpty()) {
            sql.append(" AND t.project_id = any(?)");
            params.add(projects.toArray(Long[]::new));
        }
        sql.append(" ORDER BY ").append(orderBy(ordering, "t."));
        sql.append(" LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        return page(c, sql.toString(), params, () -> count(c, sql.toString(), params));
    }

    /** Bytes a project holds: its artifacts' stored sizes plus the declared sizes of its uploads in flight. */
    static long projectUsage(Connection c, long projectId, Instant now) throws SQLException {
        String sql = "SELECT (SELECT coalesce(sum(stored_size), 0) FROM " + SCHEMA + ".artifact WHERE project_id = ?)"
                + " + (SELECT coalesce(sum(size), 0) FROM " + SCHEMA + ".upload WHERE project_id = ?"
                + " AND (state = 'COMPLETING' OR (state = 'RECEIVING' AND expires_at > ?)))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, projectId);
            ps.setLong(2, projectId);
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Serialises uploads to one project until the transaction ends (quota and idempotency checks). */
    static void lockProject(Connection c, long projectId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended('karyo_omics.project.' || ?, 0))")) {
            ps.setLong(1, projectId);
            ps.executeQuery().close();
        }
    }

    /** Draws the next artifact id. */
    static long nextArtifactId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('" + SCHEMA + ".artifact_id_seq')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Which of {@code ids} are artifacts. */
    static Set<Long> existingArtifacts(Connection c, Collection<Long> ids) throws SQLException {
        return idsWhere(c, "SELECT id FROM " + SCHEMA + ".artifact WHERE id = any(?)", ids, null);
    }

    /**
     * Which of {@code ids} are uploads whose staged objects are still needed: receiving and not expired, or completing
     * with a job queued or running (a job that failed keeps them until the upload's expiry, for a retry).
     */
    static Set<Long> liveUploads(Connection c, Collection<Long> ids, Instant now) throws SQLException {
        String sql = "SELECT u.id FROM " + SCHEMA + ".upload u WHERE u.id = any(?) AND ("
                + "(u.state IN ('RECEIVING', 'COMPLETING') AND u.expires_at > ?)"
                + " OR EXISTS (SELECT 1 FROM " + SCHEMA + ".job j WHERE j.upload_id = u.id"
                + " AND j.state IN ('RECEIVED', 'VALIDATING')))";
        return idsWhere(c, sql, ids, now);
    }

    private static Set<Long> idsWhere(Connection c, String sql, Collection<Long> ids, Instant now) throws SQLException {
        Set<Long> out = new HashSet<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("bigint", ids.toArray(Long[]::new));
            ps.setArray(1, array);
            if (now != null) {
                ps.setTimestamp(2, Timestamp.from(now));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static String orderBy(List<Sort> ordering, String alias) {
        StringBuilder sb = new StringBuilder();
        for (Sort s : ordering) {
            // field names come from a whitelist (ArtifactQuery.ORDERABLE, ListQuery.ORDERABLE), never from clients
            sb.append(alias).append(s.field()).append(s.descending() ? " DESC, " : " ASC, ");
        }
        sb.append(alias).append("id DESC");
        return sb.toString();
    }

    @FunctionalInterface
    private interface Counter {
        long count() throws SQLException;
    }

    private static IdPage page(Connection c, String sql, List<Object> params, Counter fallback) throws SQLException {
        List<Long> ids = new ArrayList<>();
        long total = -1;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    total = rs.getLong(2);
                }
            }
        }
        if (total < 0) {
            int offset = (Integer) params.get(params.size() - 1);
            total = offset == 0 ? 0 : fallback.count();
        }
        return new IdPage(ids, total);
    }

    /** The total of a paged statement whose page came back empty (an offset past the end). */
    private static long count(Connection c, String pagedSql, List<Object> params) throws SQLException {
        String from = pagedSql.substring(pagedSql.indexOf(" FROM "), pagedSql.indexOf(" ORDER BY "));
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*)" + from)) {
            bind(c, ps, params.subList(0, params.size() - 2));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long[] longs) {
                ps.setArray(i + 1, c.createArrayOf("bigint", longs));
            } else if (p instanceof String[] strings) {
                ps.setArray(i + 1, c.createArrayOf("varchar", strings));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
