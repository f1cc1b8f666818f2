package org.karyo.audit.impl.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.karyo.api.Sort;
import org.karyo.audit.api.AuditQuery;

/**
 * The SQL of the audit trail. Only constants are spliced into statement texts; every value is a bound parameter.
 * Details are written with {@code jsonb_object(keys, values)} and read back as two arrays in key order.
 */
final class AuditSql {

    static final String SCHEMA = "karyo_audit";
    static final String LOG = SCHEMA + ".audit_log";
    static final String HEAD = SCHEMA + ".chain_head";

    /** The escape character of the LIKE pattern of a prefix match. */
    static final char LIKE_ESCAPE = '!';

    /** The columns of a row of {@code audit_log l}, in the order {@link #row(ResultSet, int)} reads them. */
    static final String COLUMNS = "l.seq, l.at, l.actor_id, l.impersonator_id, l.service_account, l.action,"
            + " l.object_type, l.object_id, l.outcome,"
            + " ARRAY(SELECT d.key FROM jsonb_each_text(l.details) d ORDER BY d.key),"
            + " ARRAY(SELECT d.value FROM jsonb_each_text(l.details) d ORDER BY d.key), l.request_id,"
            + " l.client_address, l.prev_hash, l.hash";

    static final String LOCK_HEAD = "SELECT seq, hash FROM " + HEAD + " WHERE id FOR UPDATE";
    static final String READ_HEAD = "SELECT seq, hash FROM " + HEAD + " WHERE id";

    /** Appends a row and moves the head to it, in one statement. */
    static final String APPEND = "WITH appended AS (INSERT INTO " + LOG
            + " (seq, at, actor_id, impersonator_id, service_account, action, object_type, object_id, outcome,"
            + " details, request_id, client_address, prev_hash, hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, jsonb_object(?::text[], ?::text[]), ?, ?, ?, ?) RETURNING seq, hash)"
            + " UPDATE " + HEAD + " h SET seq = a.seq, hash = a.hash FROM appended a WHERE h.id";

    /**
     * The chain head with every row, in chain order; for an empty chain, the head with nulls. One statement, so the
     * head and the rows come from one snapshot whatever the isolation level, and the rows come from the primary key
     * index in order (no sort): read with a fetch size, they stream. The second branch yields a row only when the
     * first yields none.
     */
    static final String WALK = "(SELECT (SELECT seq FROM " + HEAD + " WHERE id), (SELECT hash FROM " + HEAD
            + " WHERE id), " + COLUMNS + " FROM " + LOG + " l ORDER BY l.seq)"
            + " UNION ALL SELECT h.seq, h.hash" + ", NULL".repeat(15) + " FROM " + HEAD + " h"
            + " WHERE h.id AND NOT EXISTS (SELECT FROM " + LOG + ")";

    /** Where the row's columns start in a {@link #WALK} result. */
    static final int WALK_ROW = 3;

    private AuditSql() {}

    /** A statement and its parameters, in the order of the {@code ?} placeholders. */
    record Statement(String sql, List<Object> params) {}

    /** The chain head: the last (seq, hash), or (0, genesis) for an empty chain. */
    record Head(long seq, byte[] hash) {}

    static Head head(Connection c, boolean lock) throws SQLException {
        // raw JDBC: the chain head is read FOR UPDATE, the lock that serialises appends to the hash chain
        try (PreparedStatement ps = c.prepareStatement(lock ? LOCK_HEAD : READ_HEAD);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException(HEAD + " has no row: the audit schema is damaged");
            }
            return new Head(rs.getLong(1), rs.getBytes(2));
        }
    }

    static void append(Connection c, AuditRow row) throws SQLException {
        // raw JDBC: appended while the chain head's row lock is held (see head), in the caller's unit of work
        try (PreparedStatement ps = c.prepareStatement(APPEND)) {
            int i = 0;
            ps.setLong(++i, row.seq());
            ps.setObject(++i, OffsetDateTime.ofInstant(row.at(), ZoneOffset.UTC));
            ps.setString(++i, row.actorId());
            ps.setString(++i, row.impersonatorId());
            ps.setBoolean(++i, row.serviceAccount());
            ps.setString(++i, row.action());
            ps.setString(++i, row.objectType());
            ps.setString(++i, row.objectId());
            ps.setString(++i, row.outcome());
            ps.setArray(++i, c.createArrayOf("text", row.details().keySet().toArray(String[]::new)));
            ps.setArray(++i, c.createArrayOf("text", row.details().values().toArray(String[]::new)));
            ps.setString(++i, row.requestId());
            ps.setString(++i, row.clientAddress());
            ps.setBytes(++i, row.prevHash());
            ps.setBytes(++i, row.hash());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException(HEAD + " was not moved: the audit schema is damaged");
            }
        }
    }

    /** One page of rows that match {@code query}. */
    static Statement page(AuditQuery query, int limit, int offset, List<Sort> ordering) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        params.add(limit);
        params.add(offset);
        return new Statement(
                "SELECT " + COLUMNS + " FROM " + LOG + " l" + where + " ORDER BY " + orderBy(ordering)
                        + " LIMIT ? OFFSET ?",
                params);
    }

    /** How many rows match {@code query}. */
    static Statement count(AuditQuery query) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        return new Statement("SELECT count(*) FROM " + LOG + " l" + where, params);
    }

    static PreparedStatement prepare(Connection c, Statement s) throws SQLException {
        PreparedStatement ps = c.prepareStatement(s.sql());
        try {
            for (int i = 0; i < s.params().size(); i++) {
                Object p = s.params().get(i);
                if (p instanceof Instant t) {
                    ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** Reads a row selected with {@link #COLUMNS}, whose first column is {@code first}. */
    static AuditRow row(ResultSet rs, int first) throws SQLException {
        int c = first - 1;
        String[] keys = strings(rs.getArray(c + 10));
        String[] values = strings(rs.getArray(c + 11));
        if (keys.length != values.length) {
            throw new IllegalStateException("audit details of entry " + rs.getLong(c + 1) + " could not be read");
        }
        Map<String, String> details = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            details.put(keys[i], values[i]);
        }
        return new AuditRow(
                rs.getLong(c + 1),
                rs.getObject(c + 2, OffsetDateTime.class).toInstant(),
                rs.getString(c + 3),
                rs.getString(c + 4),
                rs.getBoolean(c + 5),
                rs.getString(c + 6),
                rs.getString(c + 7),
                rs.getString(c + 8),
                rs.getString(c + 9),
                new TreeMap<>(details),
                rs.getString(c + 12),
                rs.getString(c + 13),
                rs.getBytes(c + 14),
                rs.getBytes(c + 15));
    }

    /** {@code prefix%} with LIKE's wildcards in {@code prefix} escaped by {@link #LIKE_ESCAPE}. */
    static String prefixPattern(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 4);
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            if (ch == '%' || ch == '_' || ch == LIKE_ESCAPE) {
                b.append(LIKE_ESCAPE);
            }
            b.append(ch);
        }
        return b.append('%').toString();
    }

    private static String[] strings(Array array) throws SQLException {
        if (array == null) {
            return new String[0];
        }
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }

    private static String where(AuditQuery q, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (q.actorId() != null) {
            conditions.add("l.actor_id = ?");
            params.add(q.actorId());
        }
        if (q.action() != null) {
            if (q.actionIsPrefix()) {
                String prefix = q.action().substring(0, q.action().length() - AuditQuery.PREFIX_WILDCARD.length());
                if (!prefix.isEmpty()) {
                    conditions.add("l.action LIKE ? ESCAPE '" + LIKE_ESCAPE + "'");
                    params.add(prefixPattern(prefix));
                }
            } else {
                conditions.add("l.action = ?");
                params.add(q.action());
            }
        }
        if (q.objectType() != null) {
            conditions.add("l.object_type = ?");
            params.add(q.objectType());
        }
        if (q.objectId() != null) {
            conditions.add("l.object_id = ?");
            params.add(q.objectId());
        }
        if (q.outcome() != null) {
            conditions.add("l.outcome = ?");
            params.add(q.outcome().name());
        }
        if (q.from() != null) {
            conditions.add("l.at >= ?");
            params.add(q.from());
        }
        if (q.to() != null) {
            conditions.add("l.at < ?");
            params.add(q.to());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String orderBy(List<Sort> ordering) {
        boolean descending = ordering.isEmpty() || ordering.get(0).descending();
        for (Sort s : ordering) {
            if (!"seq".equals(s.field())) {
                throw new IllegalArgumentException("not orderable: " + s.field());
            }
        }
        return descending ? "l.seq DESC" : "l.seq ASC";
    }
}
