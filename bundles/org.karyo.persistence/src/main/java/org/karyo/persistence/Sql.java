package org.karyo.persistence;

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
import java.util.UUID;
import javax.sql.DataSource;
import org.karyo.api.Page;

/**
 * Runs a module's reads on the platform's transaction-aware DataSource: inside a unit of work every statement runs on
 * the unit's connection (so it sees what the unit wrote), outside one on a pooled connection in auto-commit. Reads are
 * {@link Select}s (or, for the odd statement a builder does not express, SQL text with parameters); their rows map
 * straight to API records. Writes do not go through this class: they go through {@link Writes}.
 *
 * <p>Parameters may be {@code null} (untyped: the server infers it), {@link Instant}s, {@link LocalDate}s, {@link UUID}s,
 * enums (bound by name), {@code long[]}/{@code Long[]} (bigint arrays), {@code String[]} (text arrays) or anything the
 * driver binds with {@code setObject}. A database failure becomes a {@link DataAccessException} whose message names
 * the module and the SQLSTATE; it never reaches clients (the platform answers 500 with an incident id).
 */
public class Sql {

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
    private final boolean planEachExecution;

    /**
     * @param ds the platform's DataSource ({@link Persistence#DATA_SOURCE})
     * @param module the module's name, in failure messages
     */
    public Sql(DataSource ds, String module) {
        this(ds, module, false);
    }

    private Sql(DataSource ds, String module, boolean planEachExecution) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.module = Objects.requireNonNull(module, "module");
        this.planEachExecution = planEachExecution;
    }

    /**
     * The same, with each read statement planned for its parameters at every execution, never from the generic plan
     * PostgreSQL caches for a statement the driver prepared on the server: for search queries whose best plan depends
     * on the values (a patient with ten rows, or a code with fifty thousand), where a generic plan can be a thousand
     * times slower. Planning costs a fraction of a millisecond per statement.
     */
    public Sql planningEachExecution() {
        return new Sql(ds, module, true);
    }

    /** The module's name. */
    public String module() {
        return module;
    }

    /**
     * Raw JDBC on a connection (the unit of work's, inside one). The house rule allows it only for locks, {@code COPY}
     * and streaming cursors; mark each use with a {@code // raw JDBC: <reason>} comment.
     */
    public <T> T raw(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    DataAccessException failure(SQLException e) {
        return new DataAccessException(module + ": database statement failed: " + e.getSQLState(), e);
    }

    // ---- reads ------------------------------------------------------------------------------------------------------

    /** Every row of {@code select} (its paging, if it has any, applies). */
    public <T> List<T> list(Select select, Row<T> row) {
        return list(select.statement(), row);
    }

    /** The first row of {@code select}, if any. */
    public <T> Optional<T> one(Select select, Row<T> row) {
        return one(select.statement(), row);
    }

    /** How many rows {@code select} matches, ignoring its paging. */
    public long count(Select select) {
        return count(select.countStatement());
    }

    /** Whether {@code select} matches any row. */
    public boolean exists(Select select) {
        Statement s = select.statement();
        return one(Statement.of("SELECT EXISTS (" + s.sql() + ")", s.paramArray()), rs -> rs.getBoolean(1))
                .orElse(false);
    }

    /**
     * One page of {@code select}: the rows of its page and the total number of matches, in one statement (an
     * uncorrelated count sub-select that PostgreSQL runs once); a second statement counts only when the page is empty
     * past the first one.
     *
     * @throws IllegalStateException when {@code select} has no page
     */
    public <T> Page<T> page(Select select, Row<T> row) {
        return counted(select, select.pageStatement(), row);
    }

    /**
     * Like {@link #page}, for rows that are costly to build (joins to names, arrays of child rows): the page is ordered,
     * limited and counted reading {@code idColumn} only, and only its rows are then read with {@code rowsById} (its
     * condition {@code idColumn = <page id>} is added here), in the page's order. One statement; a second counts only
     * when the page is empty past the first one.
     *
     * @throws IllegalStateException when {@code select} has no page
     */
    public <T> Page<T> pageByIds(Select select, String idColumn, Select rowsById, Row<T> row) {
        return counted(select, select.pageByIdsStatement(idColumn, rowsById), row);
    }

    /** The page {@code statement} reads, with the total its rows carry or, when it has none past the first page, a count. */
    private <T> Page<T> counted(Select select, Statement statement, Row<T> row) {
        Select.Paging paging = select.paging();
        long[] total = {-1};
        List<T> rows = list(statement, rs -> {
            total[0] = rs.getLong(Select.TOTAL);
            return row.map(rs);
        });
        long count = total[0];
        if (count < 0) {
            count = paging.offset() == 0 ? 0 : count(select);
        }
        return new Page<>(count, paging.limit(), paging.offset(), rows);
    }

    /** The rows of a statement that no {@link Select} expresses (a recursive query, a set operation). */
    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        return list(Statement.of(sql, params), row);
    }

    /** The first row of a statement that no {@link Select} expresses. */
    public <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        return one(Statement.of(sql, params), row);
    }

    /** The {@code bigint} in the first column of the first row, or 0. */
    public long count(String sql, Object... params) {
        return count(Statement.of(sql, params));
    }

    public <T> List<T> list(Statement s, Row<T> row) {
        return raw(c -> list(c, s, row, planEachExecution));
    }

    public <T> Optional<T> one(Statement s, Row<T> row) {
        List<T> rows = list(s, row);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long count(Statement s) {
        return one(s, rs -> rs.getLong(1)).orElse(0L);
    }

    static <T> List<T> list(Connection c, Statement s, Row<T> row) throws SQLException {
        return list(c, s, row, false);
    }

    static <T> List<T> list(Connection c, Statement s, Row<T> row, boolean planEachExecution) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            if (planEachExecution && ps.isWrapperFor(org.postgresql.PGStatement.class)) {
                // never prepared on the server: PostgreSQL plans the unnamed statement with its parameters
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            }
            bind(c, ps, s.paramArray());
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    static int update(Connection c, Statement s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
            bind(c, ps, s.paramArray());
            return ps.executeUpdate();
        }
    }

    // ---- binding and mapping ----------------------------------------------------------------------------------------

    /** Binds {@code params} to {@code ps} as this class documents. */
    public static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int at = i + 1;
            if (p == null) {
                ps.setNull(at, Types.NULL);
            } else if (p instanceof Instant t) {
                ps.setObject(at, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof Enum<?> e) {
                ps.setString(at, e.name());
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
            } else if (p instanceof UUID[] a) {
                ps.setArray(at, c.createArrayOf("uuid", a));
            } else if (p instanceof Collection<?>) {
                throw new IllegalArgumentException("pass arrays, not collections");
            } else {
                ps.setObject(at, p);
            }
        }
    }

    /** A {@code timestamptz} column as an {@link Instant}, or {@code null}. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A {@code date} column, or {@code null}. */
    public static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }

    /** A {@code bigint} column that may be {@code NULL}. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** An enum stored by name, or {@code null}. */
    public static <E extends Enum<E>> E enumOf(ResultSet rs, String column, Class<E> type) throws SQLException {
        String v = rs.getString(column);
        return v == null ? null : Enum.valueOf(type, v);
    }

    /** A {@code bigint[]} column (empty for {@code NULL}). */
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

    /** A {@code text[]} column (empty for {@code NULL}). */
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
}
