package org.karyo.maintenance.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;

/**
 * The read side of the maintenance module: live (not deleted) phases, mapped straight to {@link MaintenancePhase}
 * (with {@code active} evaluated at the time of the answer) and to the gate's {@link GatePhase}.
 */
final class MaintenanceReads {

    static final String SCHEMA = "karyo_maintenance";

    /** Live phases; every list and single read narrows this. */
    static final Select LIVE = Select.of(
                    "p.id, p.subject, p.message, p.type, p.start_datetime, p.end_datetime, p.created_at,"
                            + " p.modified_at, p.version",
                    SCHEMA + ".maintenance_phase p")
            .where("p.deleted_at IS NULL");

    /** Wire names of {@link org.karyo.maintenance.api.MaintenanceService#ORDERABLE} to columns. */
    static final Map<String, String> ORDERABLE = Map.of(
            "start_datetime", "p.start_datetime",
            "end_datetime", "p.end_datetime",
            "subject", "p.subject",
            "created_at", "p.created_at");

    /** Active at the bound instant (twice): {@code start <= now < end}. */
    private static final String ACTIVE = "(p.start_datetime <= ? AND p.end_datetime > ?)";

    private MaintenanceReads() {}

    /** The phases matching {@code q} (without page or ordering), {@code active} evaluated at {@code now}. */
    static Select matching(MaintenanceQuery q, Instant now) {
        return LIVE.whereIf(q.minStartDatetime() != null, "p.start_datetime >= ?", q.minStartDatetime())
                .whereIf(q.maxEndDatetime() != null, "p.end_datetime <= ?", q.maxEndDatetime())
                .in("p.type", q.types().stream().map(MaintenanceType::wireName).toList())
                .whereIf(Boolean.TRUE.equals(q.active()), ACTIVE, now, now)
                .whereIf(Boolean.FALSE.equals(q.active()), "NOT " + ACTIVE, now, now)
                .search(q.search(), "p.subject");
    }

    /** The phases active at {@code now}, latest end first (then the highest id, for a stable order). */
    static Select active(Instant now) {
        return LIVE.where(ACTIVE, now, now).orderBy("p.end_datetime DESC, p.id DESC");
    }

    /** The phases that start after {@code now}, earliest first. */
    static Select upcoming(Instant now) {
        return LIVE.where("p.start_datetime > ?", now).orderBy("p.start_datetime ASC, p.id ASC");
    }

    /**
     * The live phases that have not ended at {@code now}, in start order, through the index
     * {@code maintenance_phase_unended_idx}: what the gate keeps in memory.
     */
    static Select unended(Instant now) {
        return LIVE.where("p.end_datetime > ?", now).orderBy("p.start_datetime, p.id");
    }

    /** A row as clients see it, {@code active} at {@code now}. */
    static MaintenancePhase phase(ResultSet rs, Instant now) throws SQLException {
        Instant start = Sql.instant(rs, "start_datetime");
        Instant end = Sql.instant(rs, "end_datetime");
        return new MaintenancePhase(
                rs.getLong("id"),
                rs.getString("subject"),
                rs.getString("message"),
                rs.getString("type"),
                start,
                end,
                !start.isAfter(now) && now.isBefore(end),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "modified_at"),
                rs.getLong("version"));
    }

    /** A row as the gate keeps it. */
    static GatePhase gatePhase(ResultSet rs) throws SQLException {
        return new GatePhase(
                rs.getLong("id"),
                rs.getString("subject"),
                rs.getString("message"),
                MaintenanceType.parse(rs.getString("type")),
                Sql.instant(rs, "start_datetime"),
                Sql.instant(rs, "end_datetime"));
    }
}
