package org.karyo.audit.impl.internal;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.karyo.api.security.Caller;

/** Shared helpers of the audit tests. */
final class Fixtures {

    /** A checkpoint HMAC key (32 bytes). */
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Fixtures() {}

    /** A clock that moves one millisecond (plus a microsecond) on every reading, from {@link #T0}. */
    static final class TickingClock extends Clock {
        private final AtomicLong micros = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return T0.plus(Duration.ofNanos(micros.addAndGet(1001) * 1000));
        }
    }

    /** A caller with the given id and attributes. */
    static Caller caller(String id, boolean fullAdmin, String impersonatedBy, boolean serviceAccount) {
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return fullAdmin;
            }

            @Override
            public Optional<String> impersonatedBy() {
                return Optional.ofNullable(impersonatedBy);
            }

            @Override
            public boolean serviceAccount() {
                return serviceAccount;
            }

            @Override
            public String toString() {
                return id;
            }
        };
    }

    /** The component's configuration with the given values. */
    static AuditComponent.Config config(int intervalMinutes, String file, int maxPageSize) {
        return new AuditComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditComponent.Config.class;
            }

            @Override
            public int checkpoint_interval_minutes() {
                return intervalMinutes;
            }

            @Override
            public String checkpoint_file() {
                return file;
            }

            @Override
            public int max_page_size() {
                return maxPageSize;
            }
        };
    }

    /** Runs statements on a connection of its own (outside any unit of work), in one transaction. */
    static void sql(DataSource ds, String... statements) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties the trail as the superuser (the trigger refuses TRUNCATE, so it is disabled meanwhile). */
    static void reset(DataSource ds) throws SQLException {
        sql(
                ds,
                "ALTER TABLE karyo_audit.audit_log DISABLE TRIGGER USER",
                "TRUNCATE karyo_audit.audit_log",
                "ALTER TABLE karyo_audit.audit_log ENABLE TRIGGER USER",
                "UPDATE karyo_audit.chain_head SET seq = 0, hash = decode(repeat('00', 32), 'hex')");
    }

    /** Runs a statement with the append-only trigger disabled: what only a superuser (or the owner) can do. */
    static void tamper(DataSource ds, String statement) throws SQLException {
        sql(
                ds,
                "ALTER TABLE karyo_audit.audit_log DISABLE TRIGGER audit_log_no_update_delete",
                statement,
                "ALTER TABLE karyo_audit.audit_log ENABLE TRIGGER audit_log_no_update_delete");
    }

    static byte[] flipped(byte[] b) {
        byte[] c = Arrays.copyOf(b, b.length);
        c[0] ^= 1;
        return c;
    }
}
