package org.karyo.jobs.impl.internal;

import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobHandler;

/** One job this node runs: the handler's {@link JobContext}, and what the engine knows of the run. */
final class RunningJob implements JobContext {

    /** The largest checkpoint, encoded. */
    static final int MAX_CHECKPOINT_CHARS = 64 * 1024;

    private final JobEngine engine;
    private final JobStore.Claimed claim;
    private final JobHandler handler;
    private final Caller caller;
    private volatile Map<String, String> checkpoint;
    private volatile long done;
    private volatile Long total;
    private long persistedAt;
    private long persistedDone = -1;

    /** Someone asked to cancel the job. */
    volatile boolean cancelRequested;

    /** This node stops (or the handler's module went away): the job goes back to the queue or fails. */
    volatile boolean stopping;

    /** Another node took the job over: nothing this run does counts any more. */
    volatile boolean lost;

    /** The handler was called (a job stopped before that goes back to the queue whatever its handler). */
    volatile boolean started;

    /** The handler returned or threw: its end is being written. */
    volatile boolean ending;

    /** The thread running the handler, while it runs. */
    volatile Thread thread;

    RunningJob(JobEngine engine, JobStore.Claimed claim, JobHandler handler) {
        this.engine = engine;
        this.claim = claim;
        this.handler = handler;
        this.caller = new Submitter(claim.job().owner(), claim.impersonator(), claim.serviceAccount());
        this.checkpoint = Map.copyOf(claim.checkpoint());
        this.done = claim.job().progress().done();
        this.total = claim.job().progress().total();
        this.persistedAt = System.nanoTime();
    }

    JobStore.Claimed claim() {
        return claim;
    }

    JobHandler handler() {
        return handler;
    }

    long done() {
        return done;
    }

    Long total() {
        return total;
    }

    @Override
    public long id() {
        return claim.job().id();
    }

    @Override
    public String type() {
        return claim.job().type();
    }

    @Override
    public String key() {
        return claim.job().key();
    }

    @Override
    public Map<String, String> payload() {
        return claim.payload();
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public int attempt() {
        return claim.job().attempts();
    }

    @Override
    public String node() {
        return engine.node();
    }

    @Override
    public Map<String, String> checkpoint() {
        return checkpoint;
    }

    @Override
    public void checkpoint(Map<String, String> state) {
        Map<String, String> copy = Map.copyOf(state);
        String encoded = FlatJson.encode(copy);
        if (encoded.length() > MAX_CHECKPOINT_CHARS) {
            throw new IllegalArgumentException("a job checkpoint holds at most " + MAX_CHECKPOINT_CHARS
                    + " characters of JSON, not " + encoded.length());
        }
        if (!engine.saveCheckpoint(this, encoded)) {
            lost = true;
            throw KaryoException.conflict("job " + id() + " was taken over by another node");
        }
        checkpoint = copy;
        synchronized (this) {
            persistedAt = System.nanoTime();
            persistedDone = done;
        }
    }

    @Override
    public void progress(long d, Long t) {
        if (d < 0 || (t != null && t < 0)) {
            throw new IllegalArgumentException("progress counts are never negative");
        }
        done = d;
        if (t != null) {
            total = t;
        }
        boolean due;
        synchronized (this) {
            long now = System.nanoTime();
            due = now - persistedAt >= engine.progressIntervalNanos() && persistedDone != d;
            if (due) {
                persistedAt = now;
                persistedDone = d;
            }
        }
        if (due) {
            engine.saveProgress(this);
        }
    }

    @Override
    public boolean cancelled() {
        return cancelRequested || stopping || lost;
    }
}
