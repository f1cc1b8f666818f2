package org.karyo.jobs.impl.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.TaskOutcome;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskTrigger;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/**
 * The SQL of task runs: {@code karyo_jobs.task_run}, one row per firing of a cluster task (unique per task and slot)
 * and per manual run, and {@code karyo_jobs.task_node}, the last run of each per-node task on each node.
 */
final class TaskStore {

    /** The first key of the transaction-level advisory lock taken per task while a run is recorded. */
    static final int LOCK_CLASS = 0x4b54534b; // "KTSK"

    private static final String RUN_COLUMNS =
            "id, task, slot, trigger, node, outcome, error, summary, job_id, started_by, started_at, finished_at";
    private static final String NODE_COLUMNS = "NULL::bigint AS id, task, slot, trigger, node, outcome, error,"
            + " summary, NULL::bigint AS job_id, started_by, started_at, finished_at";

    private static final String WHAT = "task run";
    private static final Select RUNS = Select.of(RUN_COLUMNS, "karyo_jobs.task_run");
    private static final Select NODE_RUNS = Select.of(NODE_COLUMNS, "karyo_jobs.task_node");

    private final Sql sql;
    private final Writes writes;

    /**
     * @param dataSource the platform's transaction-aware DataSource
     * @param uow the platform's unit of work (the writes join the caller's)
     * @param audit the audit trail ({@link Writes} needs one; the scheduler records its own audit entries)
     */
    TaskStore(DataSource dataSource, UnitOfWork uow, AuditTrail audit) {
        this.sql = new Sql(dataSource, "jobs");
        this.writes = Writes.statements(uow, sql, audit);
    }

    /** Runs a statement of the caller's unit of work (or of its own, outside one); returns how many rows it changed. */
    private int update(String statement, Object... params) {
        return writes.write(WHAT, tx -> tx.update(statement, params));
    }

    /** Runs an {@code INSERT ... RETURNING id} that may insert nothing ({@code ON CONFLICT DO NOTHING}). */
    private Optional<Long> insertMaybe(String statement, Object... params) {
        return writes.write(WHAT, tx -> tx.sql().one(statement, rs -> rs.getLong(1), params));
    }

    /** What recording a firing found. */
    sealed interface Begin permits Started, Recorded, Skipped {}

    /** The firing is this node's to run: its history row. */
    record Started(long id) implements Begin {}

    /** Another node (or an earlier run of this node) recorded the firing already. */
    record Recorded() implements Begin {}

    /** The task's previous run is still running: the firing is recorded as skipped. */
    record Skipped(TaskRun running) implements Begin {}

    /**
     * Records the firing {@code slot} of a cluster task as running on {@code node}, unless any node recorded it
     * already or the task's previous run still runs. Must run in a unit of work: the task's advisory lock serialises
     * this check across nodes until the commit.
     */
    Begin begin(String task, Instant slot, TaskTrigger trigger, String node, String startedBy, Duration lease) {
        lock(task);
        interruptDead(lease);
        Optional<TaskRun> running = running(task);
        if (running.isPresent()) {
            boolean inserted = insertMaybe(
                            "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, error, started_by,"
                                    + " finished_at) VALUES (?, ?, ?, ?, 'SKIPPED', ?, ?, now())"
                                    + " ON CONFLICT (task, slot) WHERE trigger <> 'MANUAL' DO NOTHING RETURNING id",
                            task,
                            slot,
                            trigger.name(),
                            node,
                            "the previous run (" + running.get().id() + " on node "
                                    + running.get().node() + ") was still running",
                            startedBy)
                    .isPresent();
            return inserted ? new Skipped(running.get()) : new Recorded();
        }
        return insertMaybe(
                        "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, started_by)"
                                + " VALUES (?, ?, ?, ?, 'RUNNING', ?)"
                                + " ON CONFLICT (task, slot) WHERE trigger <> 'MANUAL' DO NOTHING RETURNING id",
                        task,
                        slot,
                        trigger.name(),
                        node,
                        startedBy)
                .<Begin>map(Started::new)
                .orElseGet(Recorded::new);
    }

    /** Records a manual run; empty when the task's previous run still runs (then nothing is recorded). */
    Optional<TaskRun> beginManual(
            String task, Instant slot, String node, String startedBy, long jobId, Duration lease) {
        lock(task);
        interruptDead(lease);
        Optional<TaskRun> running = running(task);
        if (running.isPresent()) {
            return running;
        }
        update(
                "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, job_id, started_by)"
                        + " VALUES (?, ?, 'MANUAL', ?, 'RUNNING', ?, ?)",
                task,
                slot,
                node,
                jobId,
                startedBy);
        return Optional.empty();
    }

    /** The history row of a manual run's job. */
    Optional<TaskRun> byJob(long jobId) {
        return sql.one(RUNS.eq("job_id", jobId), TaskStore::run);
    }

    private void lock(String task) {
        // raw JDBC: a transaction-level advisory lock, held until the caller's unit of work ends
        sql.raw(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setString(2, task);
                return ps.execute();
            }
        });
    }

    private Optional<TaskRun> running(String task) {
        return sql.one(
                RUNS.eq("task", task).where("outcome = 'RUNNING'").orderBy("id").limit(1, 0), TaskStore::run);
    }

    void end(long id, TaskOutcome outcome, String error, String summary) {
        update(
                "UPDATE karyo_jobs.task_run SET outcome = ?, error = ?, summary = ?, finished_at = now()"
                        + " WHERE id = ? AND outcome = 'RUNNING'",
                outcome.name(),
                error,
                summary,
                id);
    }

    /** Marks the running runs of nodes whose heartbeat is older than the lease (or that stopped) interrupted. */
    int interruptDead(Duration lease) {
        String dead = "(SELECT id FROM karyo_jobs.node WHERE stopped_at IS NOT NULL"
                + " OR heartbeat_at < clock_timestamp() - ? * interval '1 millisecond')";
        int n = update(
                "UPDATE karyo_jobs.task_run SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node IN " + dead,
                lease.toMillis());
        n += update(
                "UPDATE karyo_jobs.task_node SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node IN " + dead,
                lease.toMillis());
        return n;
    }

    /** Marks this node's running runs interrupted (it starts again, or stops). */
    int interruptOwn(String node) {
        int n = update(
                "UPDATE karyo_jobs.task_run SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node = ?",
                node);
        n += update(
                "UPDATE karyo_jobs.task_node SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node = ?",
                node);
        return n;
    }

    // ---- per-node tasks ---------------------------------------------------------------------------------------------

    void beginLocal(String task, String node, Instant slot, TaskTrigger trigger, String startedBy) {
        update(
                "INSERT INTO karyo_jobs.task_node (task, node, slot, trigger, outcome, started_by, started_at)"
                        + " VALUES (?, ?, ?, ?, 'RUNNING', ?, now()) ON CONFLICT (task, node) DO UPDATE SET"
                        + " slot = excluded.slot, trigger = excluded.trigger, outcome = 'RUNNING', error = NULL,"
                        + " summary = NULL, started_by = excluded.started_by, started_at = now(), finished_at = NULL",
                task,
                node,
                slot,
                trigger.name(),
                startedBy);
    }

    void endLocal(String task, String node, TaskOutcome outcome, String error, String summary) {
        update(
                "UPDATE karyo_jobs.task_node SET outcome = ?, error = ?, summary = ?, finished_at = now()"
                        + " WHERE task = ? AND node = ?",
                outcome.name(),
                error,
                summary,
                task,
                node);
    }

    /** The last run of a per-node task on each node, most recent first. */
    List<TaskRun> localRuns(String task) {
        return sql.list(NODE_RUNS.eq("task", task).orderBy("started_at DESC, node"), TaskStore::run);
    }

    Optional<TaskRun> localRun(String task, String node) {
        return sql.one(NODE_RUNS.eq("task", task).eq("node", node), TaskStore::run);
    }

    // ---- history ----------------------------------------------------------------------------------------------------

    /** The latest run in the history of a task. */
    Optional<TaskRun> last(String task) {
        return sql.one(RUNS.eq("task", task).orderBy("id DESC").limit(1, 0), TaskStore::run);
    }

    boolean hasHistory(String task) {
        return sql.exists(RUNS.eq("task", task));
    }

    /** One page of the history of a task (or of all when {@code task} is null), newest first. */
    Page<TaskRun> history(String task, PageRequest page) {
        return sql.page(RUNS.eq("task", task).orderBy("id DESC").limit(page.limit(), page.offset()), TaskStore::run);
    }

    /** Removes finished runs older than {@code days}, and nodes not seen for as long; returns how many runs. */
    int prune(int days) {
        int n = update("DELETE FROM karyo_jobs.task_run WHERE finished_at < now() - ? * interval '1 day'", days);
        update("DELETE FROM karyo_jobs.task_node WHERE started_at < now() - ? * interval '1 day'", days);
        update("DELETE FROM karyo_jobs.node WHERE heartbeat_at < now() - ? * interval '1 day'", days);
        return n;
    }

    private static TaskRun run(ResultSet rs) throws SQLException {
        return new TaskRun(
                Sql.nullableLong(rs, "id"),
                rs.getString("task"),
                Sql.instant(rs, "slot"),
                TaskTrigger.valueOf(rs.getString("trigger")),
                rs.getString("node"),
                TaskOutcome.valueOf(rs.getString("outcome")),
                rs.getString("error"),
                rs.getString("summary"),
                Sql.nullableLong(rs, "job_id"),
                rs.getString("started_by"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"));
    }
}
