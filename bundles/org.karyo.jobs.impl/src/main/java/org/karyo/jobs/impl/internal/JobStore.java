package org.karyo.jobs.impl.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.Page;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.Progress;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/**
 * The SQL of the {@code karyo_jobs.job} table. Every method runs on the platform DataSource, so inside a unit of work
 * it joins that unit's transaction. Writes that a running job makes (progress, checkpoint, its end) are fenced by the
 * node and the attempt: a node that lost a job's lease can no longer change it.
 */
final class JobStore {

    static final String SCHEMA = "karyo_jobs";

    /** The notification channel of job changes: payload {@code <kind>:<job id>:<node>}. */
    static final String CHANNEL = "karyo_jobs";

    /** The first key of the transaction-level advisory lock that serialises claims across nodes. */
    static final int LOCK_CLASS = 0x4b4a4f42; // "KJOB"

    private static final String WHAT = "job";

    private static final String COLUMNS = "id, type, module, job_key, owner_id, state, progress_done, progress_total,"
            + " progress_unit, attempts, max_attempts, node, cancel_requested, error, result::text AS result,"
            + " created_at, started_at, finished_at, updated_at";

    private static final String CLAIM_COLUMNS =
            COLUMNS + ", payload::text AS payload, checkpoint::text AS checkpoint, impersonator_id, service_account";

    private static final Select JOBS = Select.of(COLUMNS, "karyo_jobs.job");

    private static final Map<String, String> ORDER_COLUMNS = Map.of(
            "id", "id",
            "created_at", "created_at",
            "updated_at", "updated_at",
            "state", "state",
            "type", "type");

    private final Sql sql;
    private final Writes writes;

    /**
     * @param dataSource the platform's transaction-aware DataSource
     * @param uow the platform's unit of work (the writes join the caller's)
     * @param audit the audit trail ({@link Writes} needs one; the callers record the jobs' audit entries)
     */
    JobStore(DataSource dataSource, UnitOfWork uow, AuditTrail audit) {
        this.sql = new Sql(dataSource, "jobs");
        this.writes = Writes.statements(uow, sql, audit);
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    Optional<Job> find(long id) {
        return sql.one(JOBS.eq("id", id), JobStore::job);
    }

    /** The job locked for this unit of work. */
    Optional<Job> lock(long id) {
        // raw JDBC: a row lock (SELECT ... FOR UPDATE) held until the caller's unit of work ends
        return sql.raw(c -> first(
                rows(c, "SELECT " + COLUMNS + " FROM karyo_jobs.job WHERE id = ? FOR UPDATE", JobStore::job, id)));
    }

    List<Job> byKey(String type, String key) {
        return sql.list(JOBS.eq("type", type).eq("job_key", key).orderBy("id DESC"), JobStore::job);
    }

    /** The unfinished jobs of a type and key, locked, oldest first. */
    List<Job> lockUnfinished(String type, String key) {
        // raw JDBC: row locks (SELECT ... FOR UPDATE) held until the caller's unit of work ends
        return sql.raw(c -> rows(
                c,
                "SELECT " + COLUMNS + " FROM karyo_jobs.job WHERE type = ? AND job_key = ?"
                        + " AND state IN ('QUEUED', 'RUNNING') ORDER BY id FOR UPDATE",
                JobStore::job,
                type,
                key));
    }

    /** One page of matching jobs; {@code owner}, when not null, restricts the page to that owner's jobs. */
    Page<Job> list(JobQuery q, String owner) {
        Select select = JOBS.in("type", sorted(q.types()))
                .in("module", sorted(q.modules()))
                .in("state", q.states().stream().map(JobState::name).sorted().toList())
                .eq("owner_id", owner)
                .eq("owner_id", q.owner())
                .eq("job_key", q.key());
        List<Sort> ordering = q.page().ordering();
        select = ordering.isEmpty() ? select.orderBy("id DESC") : select.orderBy(ordering, ORDER_COLUMNS, "id");
        return sql.page(select.limit(q.page().limit(), q.page().offset()), JobStore::job);
    }

    private static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }

    /** Runs a statement of the caller's unit of work (or of its own, outside one); returns how many rows it changed. */
    private int update(String statement, Object... params) {
        return writes.write(WHAT, tx -> tx.update(statement, params));
    }

    /**
     * Runs an {@code UPDATE}/{@code INSERT ... RETURNING} of the caller's unit of work (or of its own) and maps the rows
     * it returns: the statement runs on the write's connection, as {@code Tx.insert} runs its own.
     */
    private <T> List<T> returning(String statement, Sql.Row<T> row, Object... params) {
        return writes.write(WHAT, tx -> tx.sql().list(statement, row, params));
    }

    private <T> Optional<T> returningOne(String statement, Sql.Row<T> row, Object... params) {
        return first(returning(statement, row, params));
    }

    private static <T> List<T> rows(Connection c, String statement, Sql.Row<T> row, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            Sql.bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    // ---- submit and cancel ----------------------------------------------------------------------------------------

    record Insert(
            String type,
            String module,
            String key,
            String owner,
            String impersonator,
            boolean serviceAccount,
            String payload,
            String unit,
            Long total,
            boolean resumable,
            int maxAttempts,
            String targetNode) {}

    Job insert(Insert i) {
        return returningOne(
                        "INSERT INTO karyo_jobs.job (type, module, job_key, owner_id, impersonator_id, service_account,"
                                + " state, payload, progress_unit, progress_total, resumable, max_attempts,"
                                + " target_node) VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?::jsonb, ?, ?, ?, ?, ?)"
                                + " RETURNING " + COLUMNS,
                        JobStore::job,
                        i.type(),
                        i.module(),
                        i.key(),
                        i.owner(),
                        i.impersonator(),
                        i.serviceAccount(),
                        i.payload(),
                        i.unit(),
                        i.total(),
                        i.resumable(),
                        i.maxAttempts(),
                        i.targetNode())
                .orElseThrow();
    }

    /** Ends a queued job as cancelled (the row is locked). */
    Job cancelQueued(long id, String error) {
        return returningOne(
                        "UPDATE karyo_jobs.job SET state = 'CANCELLED', error = ?, finished_at = now(),"
                                + " updated_at = now() WHERE id = ? AND state = 'QUEUED' RETURNING " + COLUMNS,
                        JobStore::job,
                        error,
                        id)
                .orElseThrow();
    }

    /** Asks a running job to stop (the row is locked). */
    Job requestCancel(long id) {
        return returningOne(
                        "UPDATE karyo_jobs.job SET cancel_requested = true, updated_at = now()"
                                + " WHERE id = ? AND state = 'RUNNING' RETURNING " + COLUMNS,
                        JobStore::job,
                        id)
                .orElseThrow();
    }

    void notify(String kind, long id, String node) {
        // raw JDBC: NOTIFY, sent in the caller's unit of work so that it is delivered at its commit
        sql.raw(c -> rows(c, "SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, kind + ":" + id + ":" + node));
    }

    // ---- claims, leases, the end of a run ----------------------------------------------------------------------

    /** A job as the node that claimed it sees it. */
    record Claimed(
            Job job,
            Map<String, String> payload,
            Map<String, String> checkpoint,
            String impersonator,
            boolean serviceAccount) {}

    /** What a node may claim: a job type, and how many jobs of it may run at once across nodes. */
    record Capacity(String type, int concurrency) {}

    /**
     * Claims up to {@code max} queued jobs of the given types for {@code node}, oldest first, within each type's
     * concurrency, and starts their lease. Must run in a unit of work: the candidates are locked with
     * {@code FOR UPDATE SKIP LOCKED} (another node's claim skips them) and claims are serialised across nodes by a
     * transaction-level advisory lock, so that the running count of a type cannot be read stale by two nodes.
     */
    List<Claimed> claim(String node, Collection<Capacity> capacities, int max, Duration lease) {
        if (max <= 0 || capacities.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> limits = new HashMap<>();
        capacities.forEach(c -> limits.put(c.type(), c.concurrency()));
        String[] types = limits.keySet().stream().sorted().toArray(String[]::new);
        // raw JDBC: FOR UPDATE SKIP LOCKED claim under a transaction-level advisory lock
        return sql.raw(c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
                lock.setInt(1, LOCK_CLASS);
                lock.execute();
            }
            Map<String, Integer> running = new HashMap<>();
            for (Object[] row : rows(
                    c,
                    "SELECT type, count(*) FROM karyo_jobs.job WHERE state = 'RUNNING' AND type = ANY(?)"
                            + " GROUP BY type",
                    rs -> new Object[] {rs.getString(1), rs.getInt(2)},
                    (Object) types)) {
                running.put((String) row[0], (Integer) row[1]);
            }
            List<Object[]> candidates = rows(
                    c,
                    "SELECT id, type FROM karyo_jobs.job WHERE state = 'QUEUED' AND type = ANY(?)"
                            + " AND (target_node IS NULL OR target_node = ?) ORDER BY id LIMIT ?"
                            + " FOR UPDATE SKIP LOCKED",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)},
                    types,
                    node,
                    Math.max(max * 4, 16));
            List<Long> chosen = new ArrayList<>();
            for (Object[] candidate : candidates) {
                if (chosen.size() == max) {
                    break;
                }
                String type = (String) candidate[1];
                int now = running.getOrDefault(type, 0);
                if (now < limits.get(type)) {
                    running.put(type, now + 1);
                    chosen.add((Long) candidate[0]);
                }
            }
            if (chosen.isEmpty()) {
                return List.<Claimed>of();
            }
            return rows(
                    c,
                    "UPDATE karyo_jobs.job SET state = 'RUNNING', node = ?, attempts = attempts + 1,"
                            + " lease_until = clock_timestamp() + ? * interval '1 millisecond', started_at = now(),"
                            + " updated_at = now(), error = NULL WHERE id = ANY(?) RETURNING " + CLAIM_COLUMNS,
                    JobStore::claimed,
                    node,
                    lease.toMillis(),
                    chosen.toArray(Long[]::new));
        });
    }

    /** One running job as its node's heartbeat sees it. */
    record Held(long id, int attempt, boolean cancelRequested) {}

    /** Renews the leases of the given running jobs of the node and returns those it still holds. */
    List<Held> renew(String node, Collection<Long> ids, Duration lease) {
        return returning(
                "UPDATE karyo_jobs.job SET lease_until = clock_timestamp() + ? * interval '1 millisecond'"
                        + " WHERE node = ? AND state = 'RUNNING' AND id = ANY(?)"
                        + " RETURNING id, attempts, cancel_requested",
                rs -> new Held(rs.getLong(1), rs.getInt(2), rs.getBoolean(3)),
                lease.toMillis(),
                node,
                ids.toArray(Long[]::new));
    }

    /** A running job whose node stopped: what the reaper decides from. */
    record Orphan(long id, String node, boolean resumable, int attempts, int maxAttempts, boolean cancelRequested) {}

    /**
     * The running jobs whose lease expired (or, with {@code node} given, every running job of that node, which has
     * just started again), locked; must run in a unit of work.
     */
    List<Orphan> lockOrphans(String node) {
        // raw JDBC: FOR UPDATE SKIP LOCKED, so that two reapers never handle one job
        String where = node == null ? "lease_until < clock_timestamp()" : "node = ?";
        return sql.raw(c -> rows(
                c,
                "SELECT id, node, resumable, attempts, max_attempts, cancel_requested FROM karyo_jobs.job"
                        + " WHERE state = 'RUNNING' AND " + where + " ORDER BY id FOR UPDATE SKIP LOCKED",
                rs -> new Orphan(
                        rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4), rs.getInt(5), rs.getBoolean(6)),
                node == null ? new Object[0] : new Object[] {node}));
    }

    /** Puts a running job back in the queue; {@code uncount} gives back its attempt (a clean shutdown). */
    Optional<Job> requeue(long id, boolean uncount) {
        return returningOne(
                "UPDATE karyo_jobs.job SET state = 'QUEUED', lease_until = NULL, cancel_requested = false,"
                        + " attempts = attempts - ?, updated_at = now() WHERE id = ? AND state = 'RUNNING'"
                        + " RETURNING " + COLUMNS,
                JobStore::job,
                uncount ? 1 : 0,
                id);
    }

    /** Ends a running job whoever holds it (the reaper). */
    Optional<Job> end(long id, JobState state, String error) {
        return returningOne(
                "UPDATE karyo_jobs.job SET state = ?, error = ?, lease_until = NULL, finished_at = now(),"
                        + " updated_at = now() WHERE id = ? AND state = 'RUNNING' RETURNING " + COLUMNS,
                JobStore::job,
                state.name(),
                error,
                id);
    }

    /** Ends a job its node holds, with its final progress and result; empty when the node lost it. */
    Optional<Job> finish(
            long id, String node, int attempt, JobState state, String error, String result, long done, Long total) {
        return returningOne(
                "UPDATE karyo_jobs.job SET state = ?, error = ?, result = ?::jsonb, progress_done = ?,"
                        + " progress_total = coalesce(?, progress_total), lease_until = NULL, finished_at = now(),"
                        + " updated_at = now() WHERE id = ? AND node = ? AND attempts = ? AND state = 'RUNNING'"
                        + " RETURNING " + COLUMNS,
                JobStore::job,
                state.name(),
                error,
                result,
                done,
                total,
                id,
                node,
                attempt);
    }

    /** Requeues a job its node holds, giving back the attempt (its node stops cleanly); empty when lost. */
    Optional<Job> release(long id, String node, int attempt, long done, Long total) {
        return returningOne(
                "UPDATE karyo_jobs.job SET state = 'QUEUED', lease_until = NULL, attempts = attempts - 1,"
                        + " progress_done = ?, progress_total = coalesce(?, progress_total), updated_at = now()"
                        + " WHERE id = ? AND node = ? AND attempts = ? AND state = 'RUNNING' RETURNING " + COLUMNS,
                JobStore::job,
                done,
                total,
                id,
                node,
                attempt);
    }

    /** Writes the progress of a job its node holds; false when lost. */
    boolean progress(long id, String node, int attempt, long done, Long total) {
        return update(
                        "UPDATE karyo_jobs.job SET progress_done = ?, progress_total = coalesce(?, progress_total),"
                                + " updated_at = now() WHERE id = ? AND node = ? AND attempts = ?"
                                + " AND state = 'RUNNING'",
                        done,
                        total,
                        id,
                        node,
                        attempt)
                == 1;
    }

    /** Writes the checkpoint (and progress) of a job its node holds; false when lost. */
    boolean checkpoint(long id, String node, int attempt, String checkpoint, long done, Long total) {
        return update(
                        "UPDATE karyo_jobs.job SET checkpoint = ?::jsonb, progress_done = ?,"
                                + " progress_total = coalesce(?, progress_total), updated_at = now()"
                                + " WHERE id = ? AND node = ? AND attempts = ? AND state = 'RUNNING'",
                        checkpoint,
                        done,
                        total,
                        id,
                        node,
                        attempt)
                == 1;
    }

    // ---- nodes and upkeep ------------------------------------------------------------------------------------------

    void nodeStarted(String node) {
        update(
                "INSERT INTO karyo_jobs.node (id, started_at, heartbeat_at) VALUES (?, clock_timestamp(),"
                        + " clock_timestamp()) ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at,"
                        + " heartbeat_at = excluded.heartbeat_at, stopped_at = NULL",
                node);
    }

    void nodeAlive(String node) {
        update("UPDATE karyo_jobs.node SET heartbeat_at = clock_timestamp() WHERE id = ?", node);
    }

    void nodeStopped(String node) {
        update("UPDATE karyo_jobs.node SET stopped_at = clock_timestamp() WHERE id = ?", node);
    }

    /** Removes finished jobs that ended more than {@code days} ago; returns how many. */
    int pruneFinished(int days) {
        return update(
                "DELETE FROM karyo_jobs.job WHERE finished_at < now() - ? * interval '1 day'"
                        + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')",
                days);
    }

    // ---- rows -----------------------------------------------------------------------------------------------------

    static Job job(ResultSet rs) throws SQLException {
        long total = rs.getLong("progress_total");
        Long t = rs.wasNull() ? null : total;
        return new Job(
                rs.getLong("id"),
                rs.getString("type"),
                rs.getString("module"),
                rs.getString("job_key"),
                rs.getString("owner_id"),
                JobState.valueOf(rs.getString("state")),
                new Progress(rs.getLong("progress_done"), t, rs.getString("progress_unit")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getString("node"),
                rs.getBoolean("cancel_requested"),
                rs.getString("error"),
                FlatJson.decode(rs.getString("result")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"),
                Sql.instant(rs, "updated_at"));
    }

    private static Claimed claimed(ResultSet rs) throws SQLException {
        return new Claimed(
                job(rs),
                FlatJson.decode(rs.getString("payload")),
                FlatJson.decode(rs.getString("checkpoint")),
                rs.getString("impersonator_id"),
                rs.getBoolean("service_account"));
    }
}
