package org.karyo.accesses.impl.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC over the platform's transaction-aware DataSource: inside a unit of work every statement runs on the
 * unit's connection, outside one on a pooled connection in auto-commit. Parameters may be {@code null} (untyped: the server infers
 * it), {@link Instant}s, {@code long[]}/{@link Long}{@code []} (bigint arrays) or {@code String[]} (text arrays).
 * A database failure becomes a {@link DataAccessException} whose message never reaches clients.
 */
final class Jdbc {

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

    /** An unexpected database failure (a bug or an outage): mapped to 500 by the platform. */
    static final class DataAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataAccessException(String message, SQLException cause) {
            super(message, cause);
        }

        /** The SQLSTATE of the cause, or {@code null}. */
        String sqlState() {
            return getCause() instanceof SQLException s ? s.getSQLState() : null;
        }
    }

    private final DataSource ds;

    Jdbc(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    <T> T with(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException("accesses: database statement failed: " + e.getSQLState(), e);
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... params) {
        return with(c -> list(c, sql, row, params));
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
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

    /** Runs an INSERT ... RETURNING id. */
    long insert(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params)
                .orElseThrow(() -> new IllegalStateException("INSERT returned no id"));
    }

    static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int at = i + 1;
            if (p == null) {
                ps.setNull(at, Types.NULL);
            } else if (p instanceof Instant t) {
                ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof long[] a) {
                Long[] boxed = new Long[a.length];
                for (int j = 0; j < a.length; j++) {
                    boxed[j] = a[j];
                }
                ps.setArray(at, c.createArrayOf("bigint", boxed));
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

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static List<Long> longs(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        List<Long> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(((Number) v).longValue());
        }
        return List.copyOf(out);
    }

    static Long[] boxed(Collection<Long> ids) {
        return ids.toArray(new Long[0]);
    }
}
