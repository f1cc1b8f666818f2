package org.karyo.jobs.impl.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.EnvOverrides;
import org.karyo.api.Page;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobHandler;
import org.karyo.jobs.api.JobListener;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.NewJob;
import org.karyo.persistence.Persistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link JobService}: this node's {@link JobEngine}, started once the module's schema is migrated,
 * with the {@link JobHandler} and {@link JobListener} whiteboard services bound as they come and go. Immediate: the
 * node claims and runs jobs whether or not anyone holds the service.
 */
@Component(
        service = {JobService.class, JobsComponent.class},
        configurationPid = JobsComponent.PID,
        immediate = true)
@Designate(ocd = JobsComponent.Config.class)
public final class JobsComponent implements JobService {

    static final String PID = "org.karyo.jobs";
    static final String ENV_NODE_ID = "KARYO_NODE_ID";
    private static final Logger LOG = LoggerFactory.getLogger(JobsComponent.class);

    /** The job engine of this node ({@code etc/org.karyo.jobs.cfg}). */
    @ObjectClassDefinition(name = "Karyo jobs", description = "The job engine of this node")
    public @interface Config {
        @AttributeDefinition(
                description = "This node's id, unique among the nodes sharing the database; empty = the host name."
                        + " Env KARYO_NODE_ID")
        String node_id() default "";

        @AttributeDefinition(description = "How many jobs this node runs at once", min = "1")
        int worker_threads() default 4;

        @AttributeDefinition(
                description = "How long a running job stays this node's without a heartbeat; after that another node"
                        + " takes it up",
                min = "3")
        int lease_seconds() default 60;

        @AttributeDefinition(description = "How often the leases of running jobs are renewed", min = "1")
        int heartbeat_seconds() default 10;

        @AttributeDefinition(
                description =
                        "How often the queue is read when no notification arrived, and expired leases looked" + " for",
                min = "1")
        int poll_seconds() default 5;

        @AttributeDefinition(description = "How often, at most, a job's progress is written", min = "100")
        int progress_interval_millis() default 1000;

        @AttributeDefinition(description = "How long a stopping node waits for its running jobs to end", min = "0")
        int shutdown_grace_seconds() default 10;

        @AttributeDefinition(
                description = "How many days ended jobs are kept (removed by the task jobs.prune)",
                min = "1")
        int retention_days() default 30;
    }

    private final JobEngine engine;
    private final Jobs jobs;
    private final int retentionDays;

    @Activate
    public JobsComponent(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference(target = "(karyo.module=jobs)") SchemaReady schema,
            Config config) {
        EngineSettings settings;
        try {
            settings = settings(config, EnvOverrides.system());
            if (config.retention_days() < 1) {
                throw new IllegalArgumentException("retention.days must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; no job runs on this node", PID, e.getMessage());
            throw e;
        }
        this.retentionDays = config.retention_days();
        this.engine = new JobEngine(dataSource, uow, audit, settings);
        this.jobs = new Jobs(engine, audit);
        engine.start();
    }

    /** The engine settings of a configuration; the environment's node id wins. */
    static EngineSettings settings(Config config, EnvOverrides env) {
        String node = env.get(ENV_NODE_ID, config.node_id());
        if (node == null || node.isBlank()) {
            node = hostName();
        }
        return new EngineSettings(
                node.strip(),
                config.worker_threads(),
                Duration.ofSeconds(config.lease_seconds()),
                Duration.ofSeconds(config.heartbeat_seconds()),
                Duration.ofSeconds(config.poll_seconds()),
                Duration.ofMillis(config.progress_interval_millis()),
                Duration.ofSeconds(config.shutdown_grace_seconds()));
    }

    /** The host name as a node id (letters, digits, {@code . _ -}). */
    static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "karyo";
        }
        String id =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        id = id.length() > 64 ? id.substring(0, 64) : id;
        return id.isEmpty() ? "karyo" : id;
    }

    @Reference(
            service = JobHandler.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeHandler")
    void addHandler(JobHandler handler, Map<String, Object> properties) {
        engine.addHandler(type(properties), handler);
    }

    void removeHandler(JobHandler handler, Map<String, Object> properties) {
        engine.removeHandler(type(properties), handler);
    }

    /**
     * Registers a handler of this bundle with the engine at once, not through the whiteboard: the scheduler's handler
     * of manual runs, which a whiteboard binding would add only after the scheduler's own activation (the two
     * components refer to each other, so the runtime defers that binding), leaving a moment after start in which a
     * task run would be refused with "no handler".
     */
    void addOwnHandler(String type, JobHandler handler) {
        engine.addHandler(type, handler);
    }

    void removeOwnHandler(String type, JobHandler handler) {
        engine.removeHandler(type, handler);
    }

    private static String type(Map<String, Object> properties) {
        Object t = properties.get(JobHandler.TYPE);
        return t == null ? null : t.toString();
    }

    @Reference(
            service = JobListener.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(JobListener listener) {
        engine.addListener(listener);
    }

    void removeListener(JobListener listener) {
        engine.removeListener(listener);
    }

    @Deactivate
    void stop() {
        engine.close();
    }

    // ---- for the scheduler component ------------------------------------------------------------------------------

    Jobs jobs() {
        return jobs;
    }

    String node() {
        return engine.node();
    }

    Duration lease() {
        return engine.settings().lease();
    }

    int retentionDays() {
        return retentionDays;
    }

    // ---- JobService ------------------------------------------------------------------------------------------------

    @Override
    public Job submit(Caller caller, NewJob job) {
        return jobs.submit(caller, job);
    }

    @Override
    public Job get(Caller caller, long id) {
        return jobs.get(caller, id);
    }

    @Override
    public Page<Job> list(Caller caller, JobQuery query) {
        return jobs.list(caller, query);
    }

    @Override
    public Job cancel(Caller caller, long id) {
        return jobs.cancel(caller, id);
    }

    @Override
    public Optional<Job> find(long id) {
        return jobs.find(id);
    }

    @Override
    public List<Job> byKey(String type, String key) {
        return jobs.byKey(type, key);
    }

    @Override
    public List<Job> cancelByKey(Caller caller, String type, String key) {
        return jobs.cancelByKey(caller, type, key);
    }
}
