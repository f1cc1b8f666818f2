package org.karyo.accesses.alerts.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code karyo_access_alerts.sent_alerts} table: one row per (access, threshold) alert sent, with the access's end
 * at that time. Timestamps are stored with microsecond precision; callers pass ends truncated to microseconds so that
 * an end read back compares equal to the access's.
 */
final class SentAlerts {

    static final String TABLE = "karyo_access_alerts.sent_alerts";

    /** An alert: an access and a threshold in days. */
    record Key(long accessId, int days) {}

    private final DataSource dataSource;

    SentAlerts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The recorded alerts of these accesses, with the access end each was sent for. */
    Map<Key, Instant> recorded(Collection<Long> accessIds) {
        Map<Key, Instant> out = new HashMap<>();
        if (accessIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select access_id, threshold_days, access_end from " + TABLE + " where access_id = any(?)")) {
            Array ids = c.createArrayOf("bigint", accessIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            new Key(rs.getLong(1), rs.getInt(2)),
                            rs.getObject(3, OffsetDateTime.class).toInstant());
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + TABLE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records an alert on {@code c} (the alert's transaction). Concurrent claims of the same alert wait for each other
     * on the primary key; the later one then finds the row.
     *
     * @return whether this call recorded it: {@code false} when it was already recorded for this very end
     */
    static boolean claim(Connection c, Key key, Instant end, Instant now) {
        try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE
                + " as s (access_id, threshold_days, access_end, sent_at) values (?, ?, ?, ?)"
                + " on conflict (access_id, threshold_days) do update"
                + " set access_end = excluded.access_end, sent_at = excluded.sent_at"
                + " where s.access_end <> excluded.access_end")) {
            ps.setLong(1, key.accessId());
            ps.setInt(2, key.days());
            ps.setObject(3, utc(end));
            ps.setObject(4, utc(now));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record an expiry alert: " + e.getMessage(), e);
        }
    }

    /** Deletes the alerts of accesses that ended before {@code before}; returns how many. */
    int prune(Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from " + TABLE + " where access_end < ?")) {
            ps.setObject(1, utc(before));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prune " + TABLE + ": " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
