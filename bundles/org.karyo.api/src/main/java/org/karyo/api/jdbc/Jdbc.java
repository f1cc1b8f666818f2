package org.karyo.api.jdbc;

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

/**
 * Plain JDBC over the platform's transaction-aware DataSource: inside a unit of work every statement runs on the
 * unit's connection (so it sees what the unit's persistence unit flushed), outside one on a pooled connection in
 * auto-commit. Parameters may be {@code null} (untyped: the server infers it), {@link Instant}s, {@link LocalDate}s,
 * {@code long[]}/{@code Long[]} (bigint arrays) or {@code String[]} (text arrays). A database failure becomes a
 * {@link DataAccessException} whose message names the module and the SQLSTATE, and never reaches clients (the platform
 * answers 500 with an incident id). A module may extend this class with its own statements.
 */
public class Jdbc {

    /** Maps the current row. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Works with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** An unexpected database failure (a bug or an outage). */
    public static final class DataAccessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DataAccessException(String message, SQLException cause) {
            super(message, cause);
        }

        /** The SQLSTATE of the cause, or {@code null}. */
        public String sqlState() {
            return getCause() instanceof SQLException s ? s.getSQLState() : null;
        }
    }

    private final DataSource ds;
    private final String module;

    /**
     * @param ds the platform's DataSource
     * @param module the module's name, in failure messages
     */
    public Jdbc(DataSource ds, String module) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.module = Objects.requireNonNull(module, "module");
    }

    /** Runs {@code work} on a connection (the unit of work's, inside one). */
    public <T> T with(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(module + ": database statement failed: " + e.getSQLState(), e);
        }
    }

    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        return with(c -> list(c, sql, row, params));
    }

    public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
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

    public <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long count(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    public int update(String sql, Object... params) {
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs an {@code INSERT ... RETURNING id}. */
    public long insert(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params)
                .orElseThrow(() -> new IllegalStateException("INSERT returned no id"));
    }

    public static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int at = i + 1;
            if (p == null) {
                ps.setNull(at, Types.NULL);
            } else if (p instanceof Instant t) {
                ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof LocalDate d) {
                ps.setObject(at, d);
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

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static List<Long> longs(ResultSet rs, String column) throws SQLException {
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

    public static List<String> strings(ResultSet rs, String column) throws SQLException {
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

    public static Long[] boxed(Collection<Long> ids) {
        return ids.toArray(new Long[0]);
    }

    /** {@code %text%} for ILIKE, with the wildcards of {@code text} escaped by {@code \}. */
    public static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
