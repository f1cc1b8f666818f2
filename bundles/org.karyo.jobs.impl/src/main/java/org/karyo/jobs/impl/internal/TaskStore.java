package org.karyo.jobs.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.jdbc.Jdbc;
import org.karyo.jobs.api.TaskOutcome;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskTrigger;

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

    private final Jdbc jdbc;

    TaskStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "jobs");
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
            boolean inserted = jdbc.one(
                            "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, error, started_by,"
                                    + " finished_at) VALUES (?, ?, ?, ?, 'SKIPPED', ?, ?, now())"
                                    + " ON CONFLICT (task, slot) WHERE trigger <> 'MANUAL' DO NOTHING RETURNING id",
                            rs -> rs.getLong(1),
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
        return jdbc.one(
                        "INSERT INTO karyo_jobs.task_run (task, slot, trigger, node, outcome, started_by)"
                                + " VALUES (?, ?, ?, ?, 'RUNNING', ?)"
                                + " ON CONFLICT (task, slot) WHERE trigger <> 'MANUAL' DO NOTHING RETURNING id",
                        rs -> rs.getLong(1),
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
        jdbc.update(
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
        return jdbc.one("SELECT " + RUN_COLUMNS + " FROM karyo_jobs.task_run WHERE job_id = ?", TaskStore::run, jobId);
    }

    private void lock(String task) {
        jdbc.one("SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> 1, LOCK_CLASS, task);
    }

    private Optional<TaskRun> running(String task) {
        return jdbc.one(
                "SELECT " + RUN_COLUMNS + " FROM karyo_jobs.task_run WHERE task = ? AND outcome = 'RUNNING'"
                        + " ORDER BY id LIMIT 1",
                TaskStore::run,
                task);
    }

    void end(long id, TaskOutcome outcome, String error, String summary) {
        jdbc.update(
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
        int n = jdbc.update(
                "UPDATE karyo_jobs.task_run SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node IN " + dead,
                lease.toMillis());
        n += jdbc.update(
                "UPDATE karyo_jobs.task_node SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node IN " + dead,
                lease.toMillis());
        return n;
    }

    /** Marks this node's running runs interrupted (it starts again, or stops). */
    int interruptOwn(String node) {
        int n = jdbc.update(
                "UPDATE karyo_jobs.task_run SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node = ?",
                node);
        n += jdbc.update(
                "UPDATE karyo_jobs.task_node SET outcome = 'INTERRUPTED', finished_at = now(),"
                        + " error = 'the node running it (' || node || ') stopped'"
                        + " WHERE outcome = 'RUNNING' AND node = ?",
                node);
        return n;
    }

    // ---- per-node tasks ---------------------------------------------------------------------------------------------

    void beginLocal(String task, String node, Instant slot, TaskTrigger trigger, String startedBy) {
        jdbc.update(
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
        jdbc.update(
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
        return jdbc.list(
                "SELECT " + NODE_COLUMNS + " FROM karyo_jobs.task_node WHERE task = ? ORDER BY started_at DESC, node",
                TaskStore::run,
                task);
    }

    Optional<TaskRun> localRun(String task, String node) {
        return jdbc.one(
                "SELECT " + NODE_COLUMNS + " FROM karyo_jobs.task_node WHERE task = ? AND node = ?",
                TaskStore::run,
                task,
                node);
    }

    // ---- history ----------------------------------------------------------------------------------------------------

    /** The latest run in the history of a task. */
    Optional<TaskRun> last(String task) {
        return jdbc.one(
                "SELECT " + RUN_COLUMNS + " FROM karyo_jobs.task_run WHERE task = ? ORDER BY id DESC LIMIT 1",
                TaskStore::run,
                task);
    }

    boolean hasHistory(String task) {
        return jdbc.count("SELECT count(*) FROM karyo_jobs.task_run WHERE task = ?", task) > 0;
    }

    /** One page of the history of a task (or of all when {@code task} is null), newest first. */
    Page<TaskRun> history(String task, PageRequest page) {
        String where = task == null ? "TRUE" : "task = ?";
        Object[] params = task == null ? new Object[0] : new Object[] {task};
        long count = jdbc.count("SELECT count(*) FROM karyo_jobs.task_run WHERE " + where, params);
        List<Object> pageParams = new ArrayList<>(List.of(params));
        pageParams.add(page.limit());
        pageParams.add(page.offset());
        List<TaskRun> rows = jdbc.list(
                "SELECT " + RUN_COLUMNS + " FROM karyo_jobs.task_run WHERE " + where
                        + " ORDER BY id DESC LIMIT ? OFFSET ?",
                TaskStore::run,
                pageParams.toArray());
        return new Page<>(count, page.limit(), page.offset(), rows);
    }

    /** Removes finished runs older than {@code days}, and nodes not seen for as long; returns how many runs. */
    int prune(int days) {
        int n = jdbc.update("DELETE FROM karyo_jobs.task_run WHERE finished_at < now() - ? * interval '1 day'", days);
        jdbc.update("DELETE FROM karyo_jobs.task_node WHERE started_at < now() - ? * interval '1 day'", days);
        jdbc.update("DELETE FROM karyo_jobs.node WHERE heartbeat_at < now() - ? * interval '1 day'", days);
        return n;
    }

    private static TaskRun run(ResultSet rs) throws SQLException {
        return new TaskRun(
                Jdbc.nullableLong(rs, "id"),
                rs.getString("task"),
                Jdbc.instant(rs, "slot"),
                TaskTrigger.valueOf(rs.getString("trigger")),
                rs.getString("node"),
                TaskOutcome.valueOf(rs.getString("outcome")),
                rs.getString("error"),
                rs.getString("summary"),
                Jdbc.nullableLong(rs, "job_id"),
                rs.getString("started_by"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"));
    }
}
