package org.karyo.jobs.impl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobEvent;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.NewJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobService} over one node's {@link JobEngine}: checks and audits submits and cancels in the caller's unit of
 * work, tells the engine after the commit, and filters what each caller sees.
 */
public final class Jobs implements JobService {

    /** Job types: {@code <module>.<name>}, the module in lower case. */
    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}\\.[a-z0-9_.-]{1,95}");

    private static final Pattern UNIT = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final int MAX_KEY = 200;
    private static final int MAX_PAYLOAD_CHARS = 64 * 1024;
    private static final String WHAT = "job";
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final JobEngine engine;
    private final JobStore store;
    private final AuditTrail audit;

    public Jobs(JobEngine engine, AuditTrail audit) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.store = engine.store();
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** This node's id. */
    public String node() {
        return engine.node();
    }

    @Override
    public Job submit(Caller caller, NewJob job) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(job, "job");
        List<FieldError> errors = new ArrayList<>();
        JobHandler handler = null;
        if (!TYPE.matcher(job.type()).matches()) {
            errors.add(new FieldError("type", "must be <module>.<name> in lower case"));
        } else {
            handler = engine.handler(job.type());
            if (handler == null) {
                errors.add(new FieldError("type", "no handler for job type '" + job.type() + "' on this node"));
            }
        }
        if (job.key() != null && (job.key().isEmpty() || job.key().length() > MAX_KEY)) {
            errors.add(new FieldError("key", "must be 1 to " + MAX_KEY + " characters"));
        }
        if (job.supersede() && job.key() == null) {
            errors.add(new FieldError("key", "a superseding job needs a key"));
        }
        String payload = FlatJson.encode(job.payload());
        if (payload.length() > MAX_PAYLOAD_CHARS) {
            errors.add(new FieldError("payload", "must be at most " + MAX_PAYLOAD_CHARS + " characters of JSON"));
        }
        if (!UNIT.matcher(job.unit()).matches()) {
            errors.add(new FieldError("unit", "must be a short lower-case word such as bytes, rows or items"));
        }
        if (job.total() != null && job.total() < 0) {
            errors.add(new FieldError("total", "must be at least 0"));
        }
        if (job.node() != null && !EngineSettings.NODE.matcher(job.node()).matches()) {
            errors.add(new FieldError("node", "is not a node id"));
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        JobHandler h = handler;
        String module = job.type().substring(0, job.type().indexOf('.'));
        return engine.uow().required(() -> {
            Job created = store.insert(new JobStore.Insert(
                    job.type(),
                    module,
                    job.key(),
                    caller.id(),
                    caller.impersonatedBy().orElse(null),
                    caller.serviceAccount(),
                    payload,
                    job.unit(),
                    job.total(),
                    h.resumable(),
                    Math.max(1, h.maxAttempts()),
                    job.node()));
            audit.record(
                    caller,
                    AuditEvent.success("jobs.job.submit", WHAT, created.id()).with("type", created.type()));
            if (job.supersede()) {
                for (Job older : store.lockUnfinished(job.type(), job.key())) {
                    if (older.id() != created.id()) {
                        cancelLocked(caller, older, created.id());
                    }
                }
            }
            store.notify(JobEvent.Kind.SUBMITTED.name(), created.id(), engine.node());
            engine.submitting(created.id());
            engine.uow().afterCommit(() -> {
                engine.emit(JobEvent.Kind.SUBMITTED, created);
                engine.signal();
            });
            LOG.debug("Job {} ({}) submitted", created.id(), created.type());
            return created;
        });
    }

    @Override
    public Job get(Caller caller, long id) {
        return store.find(id).filter(j -> visible(caller, j)).orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    @Override
    public Page<Job> list(Caller caller, JobQuery query) {
        Objects.requireNonNull(query, "query");
        if (!caller.authenticated()) {
            return new Page<>(0, query.page().limit(), query.page().offset(), List.of());
        }
        return store.list(query, caller.hasRight(JobRights.MANAGE) ? null : caller.id());
    }

    @Override
    public Job cancel(Caller caller, long id) {
        return engine.uow().required(() -> {
            Job job =
                    store.lock(id).filter(j -> visible(caller, j)).orElseThrow(() -> KaryoException.notFound(WHAT, id));
            if (job.state().finished()) {
                throw KaryoException.conflict("job " + id + " has already ended (" + job.state() + ")");
            }
            return cancelLocked(caller, job, null);
        });
    }

    /** Cancels a locked, unfinished job and audits it; the engine hears of it after the commit. */
    private Job cancelLocked(Caller caller, Job job, Long supersededBy) {
        Job after;
        JobEvent.Kind kind;
        if (job.state() == JobState.QUEUED) {
            after = store.cancelQueued(
                    job.id(),
                    supersededBy == null
                            ? "cancelled before it started"
                            : "cancelled before it started: job " + supersededBy + " replaces it");
            kind = JobEvent.Kind.FINISHED;
        } else {
            after = store.requestCancel(job.id());
            kind = JobEvent.Kind.CANCEL_REQUESTED;
        }
        AuditEvent event = AuditEvent.success("jobs.job.cancel", WHAT, job.id()).with("type", job.type());
        audit.record(caller, supersededBy == null ? event : event.with("superseded_by", supersededBy));
        store.notify(kind.name(), job.id(), engine.node());
        engine.uow().afterCommit(() -> {
            if (kind == JobEvent.Kind.CANCEL_REQUESTED) {
                engine.cancelRequested(job.id());
            }
            engine.emit(kind, after);
        });
        LOG.debug("Job {} cancel requested ({})", job.id(), after.state());
        return after;
    }

    @Override
    public Optional<Job> find(long id) {
        return store.find(id);
    }

    @Override
    public List<Job> byKey(String type, String key) {
        return store.byKey(type, key);
    }

    @Override
    public List<Job> cancelByKey(Caller caller, String type, String key) {
        return engine.uow().required(() -> {
            List<Job> out = new ArrayList<>();
            for (Job j : store.lockUnfinished(type, key)) {
                out.add(cancelLocked(caller, j, null));
            }
            return out;
        });
    }

    /** Removes finished jobs older than {@code days}; returns how many. */
    public int prune(int days) {
        return engine.uow().required(() -> store.pruneFinished(days));
    }

    private static boolean visible(Caller caller, Job job) {
        return caller.authenticated()
                && (caller.hasRight(JobRights.MANAGE) || job.owner().equals(caller.id()));
    }
}
