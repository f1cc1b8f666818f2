package org.karyo.jobs.impl.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestDatabase;

/**
 * One test database with the jobs schema (per test class), and the engines (nodes) a test starts on it, which
 * {@link #reset()} closes before it empties the tables for the next test.
 */
final class Fixture implements AutoCloseable {

    /** Short periods, so that leases expire within a test. */
    static EngineSettings settings(String node) {
        return new EngineSettings(
                node,
                4,
                Duration.ofMillis(1500),
                Duration.ofMillis(300),
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                Duration.ofSeconds(3));
    }

    final TestDatabase db;
    final RecordingAuditTrail audit;
    /** Reads of the test itself. */
    final Sql sql;

    private final Writes writes;
    private final List<AutoCloseable> open = new ArrayList<>();

    Fixture() {
        db = TestDatabase.create();
        db.migrate("jobs", JobEngine.class, "db/jobs");
        audit = new RecordingAuditTrail(db.unitOfWork());
        sql = new Sql(db.dataSource(), "test");
        writes = Writes.statements(db.unitOfWork(), sql, audit);
    }

    /** An engine of {@code node}, not started. */
    JobEngine engine(String node) {
        return engine(settings(node));
    }

    JobEngine engine(EngineSettings settings) {
        JobEngine e = new JobEngine(db.dataSource(), db.unitOfWork(), audit, settings);
        open.add(0, e);
        return e;
    }

    Jobs jobs(JobEngine engine) {
        return new Jobs(engine, audit);
    }

    /** Registers something to close before the database goes. */
    <T extends AutoCloseable> T closing(T c) {
        open.add(0, c);
        return c;
    }

    /** A statement of the test itself (set-up, or a change the test makes behind the engine's back). */
    int update(String statement, Object... params) {
        return writes.write("test row", tx -> tx.update(statement, params));
    }

    /** Closes what the last test opened and empties the tables. */
    void reset() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        open.clear();
        update("TRUNCATE karyo_jobs.job, karyo_jobs.task_run, karyo_jobs.task_node, karyo_jobs.node");
        audit.clear();
    }

    @Override
    public void close() {
        reset();
        db.close();
    }
}
