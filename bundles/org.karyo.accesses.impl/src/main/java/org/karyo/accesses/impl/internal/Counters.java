package org.karyo.accesses.impl.internal;

import java.time.Instant;
import org.karyo.persistence.Writes;

/**
 * Cohort360's user counters per perimeter ({@code count_users_on_perimeters}), recounted in SQL over the whole tree:
 *
 * <ul>
 *   <li>{@code count_allowed_users}: distinct users with a valid access on the node (active profiles);
 *   <li>{@code count_allowed_users_inferior_levels}: distinct users with a valid access on a strict descendant;
 *   <li>{@code count_allowed_users_above_levels}: distinct users with a valid access on a strict ancestor whose role
 *       holds a right that impacts inferior levels.
 * </ul>
 *
 * Only rows whose counts change are written. Writers run it inside their unit of work after taking
 * {@link #lock(Writes.Tx)}, so that two concurrent writes never count from a snapshot that misses the other's access.
 */
final class Counters {
    private Counters() {}

    /** The transaction-scoped advisory lock that serialises the module's writes ("karyoacc"). */
    static final long LOCK = 0x6b6172796f616363L;

    private static final String RECOUNT =
            """
            WITH v AS (
                SELECT DISTINCT a.perimeter_id, pr.user_id, a.role_id
                  FROM karyo_accesses.accesses a
                  JOIN karyo_accesses.profiles pr ON pr.id = a.profile_id AND pr.is_active
                 WHERE a.deleted_at IS NULL AND a.perimeter_id IS NOT NULL
                   AND a.start_datetime <= ? AND a.end_datetime > ?
            ),
            direct AS (
                SELECT perimeter_id AS id, count(DISTINCT user_id) AS n FROM v GROUP BY perimeter_id
            ),
            inferior AS (
                SELECT anc AS id, count(DISTINCT v.user_id) AS n
                  FROM v
                  JOIN karyo_accesses.perimeters d ON d.id = v.perimeter_id AND d.deleted_at IS NULL
                 CROSS JOIN LATERAL unnest(d.above_levels_ids) AS anc
                 GROUP BY anc
            ),
            impacting AS (
                SELECT DISTINCT v.perimeter_id, v.user_id
                  FROM v
                 WHERE EXISTS (SELECT 1
                                 FROM karyo_accesses.role_rights rr
                                 JOIN karyo_accesses.rights r ON r.key = rr.right_key
                                WHERE rr.role_id = v.role_id AND r.impact_inferior_levels AND r.active)
            ),
            above AS (
                SELECT n.id, count(DISTINCT i.user_id) AS n
                  FROM karyo_accesses.perimeters n
                 CROSS JOIN LATERAL unnest(n.above_levels_ids) AS anc
                  JOIN impacting i ON i.perimeter_id = anc
                 WHERE n.deleted_at IS NULL
                 GROUP BY n.id
            ),
            counts AS (
                SELECT p.id, coalesce(d.n, 0) AS c, coalesce(f.n, 0) AS ci, coalesce(b.n, 0) AS ca
                  FROM karyo_accesses.perimeters p
                  LEFT JOIN direct d ON d.id = p.id
                  LEFT JOIN inferior f ON f.id = p.id
                  LEFT JOIN above b ON b.id = p.id
                 WHERE p.deleted_at IS NULL
            )
            UPDATE karyo_accesses.perimeters p
               SET count_allowed_users = c.c,
                   count_allowed_users_inferior_levels = c.ci,
                   count_allowed_users_above_levels = c.ca
              FROM counts c
             WHERE p.id = c.id
               AND (p.count_allowed_users, p.count_allowed_users_inferior_levels, p.count_allowed_users_above_levels)
                   IS DISTINCT FROM (c.c, c.ci, c.ca)""";

    /** Takes the module's write lock for the rest of the current transaction. */
    static void lock(Writes.Tx tx) {
        // the module write lock: a transaction-scoped advisory lock, held until the write commits
        tx.sql().one("SELECT pg_advisory_xact_lock(?)", rs -> 1, LOCK);
    }

    /**
     * Recounts every node's counters as of {@code now}.
     *
     * @return how many nodes changed
     */
    static int recount(Writes.Tx tx, Instant now) {
        return tx.update(RECOUNT, now, now);
    }
}
