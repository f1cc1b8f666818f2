package org.karyo.accesses.alerts.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/**
 * The {@code karyo_access_alerts.sent_alerts} table: one row per (access, threshold) alert sent, with the access's end
 * at that time. Timestamps are stored with microsecond precision; callers pass ends truncated to microseconds so that
 * an end read back compares equal to the access's.
 */
final class SentAlerts {

    static final String TABLE = "karyo_access_alerts.sent_alerts";

    /** An alert: an access and a threshold in days. */
    record Key(long accessId, int days) {}

    private final Sql sql;
    private final Writes writes;

    SentAlerts(Sql sql, Writes writes) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.writes = Objects.requireNonNull(writes, "writes");
    }

    /** The module's writes (one transaction per mail: the records, the audit entries, then the send). */
    Writes writes() {
        return writes;
    }

    /** The recorded alerts of these accesses, with the access end each was sent for. */
    Map<Key, Instant> recorded(Collection<Long> accessIds) {
        Map<Key, Instant> out = new HashMap<>();
        if (accessIds.isEmpty()) {
            return out;
        }
        sql.list(
                Select.of("s.access_id, s.threshold_days, s.access_end", TABLE + " s")
                        .in("s.access_id", accessIds),
                rs -> out.put(new Key(rs.getLong(1), rs.getInt(2)), Sql.instant(rs, "access_end")));
        return out;
    }

    /**
     * Records an alert in {@code tx} (the alert's transaction). Concurrent claims of the same alert wait for each other
     * on the primary key; the later one then finds the row.
     *
     * @return whether this call recorded it: {@code false} when it was already recorded for this very end
     */
    static boolean claim(Writes.Tx tx, Key key, Instant end, Instant now) {
        return tx.update(
                        "insert into " + TABLE
                                + " as s (access_id, threshold_days, access_end, sent_at) values (?, ?, ?, ?)"
                                + " on conflict (access_id, threshold_days) do update"
                                + " set access_end = excluded.access_end, sent_at = excluded.sent_at"
                                + " where s.access_end <> excluded.access_end",
                        key.accessId(),
                        key.days(),
                        end,
                        now)
                == 1;
    }

    /** Deletes the alerts of accesses that ended before {@code before}; returns how many. */
    int prune(Instant before) {
        return writes.write("sent alerts", tx -> tx.update("delete from " + TABLE + " where access_end < ?", before));
    }
}
