package org.karyo.storage.impl.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.storage.api.Leftovers;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectReferences;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PendingUpload;
import org.karyo.storage.api.StorageSweeper;
import org.karyo.storage.api.SweepReport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StorageSweeper}: on the highest-ranked {@link ObjectStore}, under the prefix of each registered (that is,
 * installed) module's {@link ObjectReferences}, removes the objects older than the grace period that the module no
 * longer references, and aborts the multipart uploads started longer ago than the grace period; it also has the store
 * remove what unfinished writes left in its working space ({@link ObjectStore#removeLeftovers}). Nothing outside those
 * prefixes is ever looked at, so an uninstalled module's objects stay. Keys go to the modules in batches; an object is
 * kept when any module whose prefix holds it references it, and a module that fails to answer keeps its whole batch.
 *
 * <p>Only counts are logged (keys are opaque, but need not be in logs). A real sweep is audited as {@value #ACTION}
 * by the platform ({@link Caller#SYSTEM}) with its counts. One sweep runs at a time.
 */
@Component(service = StorageSweeper.class, configurationPid = Sweeper.PID)
@Designate(ocd = Sweeper.Config.class)
public final class Sweeper implements StorageSweeper {

    static final String PID = "org.karyo.storage.sweeper";
    static final String ACTION = "storage.sweep.run";
    static final int PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    /**
     * Configuration of the storage sweeper (PID {@value #PID}). Its schedule is the task {@code storage.sweep}'s, in
     * {@code org.karyo.scheduler} ({@link StorageSweepTask}).
     */
    @ObjectClassDefinition(
            name = "Karyo storage sweeper",
            description = "Removes objects that no module references, and stale multipart uploads")
    public @interface Config {
        @AttributeDefinition(
                name = "Grace (hours)",
                description = "Only objects and uploads older than this are removed: a write in progress has its row"
                        + " committed long before. At least 1",
                min = "1")
        int grace_hours() default 24;

        @AttributeDefinition(
                name = "Batch size",
                description = "How many keys each referenced() call asks about (1-10000)",
                min = "1",
                max = "10000")
        int batch_size() default 500;
    }

    private final ObjectStore store;
    private final AuditTrail audit;
    private final Duration grace;
    private final int batchSize;
    private final int page;
    private final Clock clock;
    private final List<ObjectReferences> references = new CopyOnWriteArrayList<>();
    private final ReentrantLock running = new ReentrantLock();

    /** Constructed by SCR with the highest-ranked store (re-created when a higher-ranked one appears). */
    @Activate
    public Sweeper(
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore store,
            @Reference AuditTrail audit,
            Config config) {
        this(store, audit, config, Clock.systemUTC());
        LOG.info(
                "Storage sweeper active on the {} store (grace.hours={}, batch.size={})",
                store.describe().type(),
                config.grace_hours(),
                batchSize);
    }

    Sweeper(ObjectStore store, AuditTrail audit, Config config, Clock clock) {
        this(store, audit, config, clock, PAGE);
    }

    /** @param page how many objects each listing asks for (tests lower it) */
    Sweeper(ObjectStore store, AuditTrail audit, Config config, Clock clock, int page) {
        this.page = page;
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = clock;
        if (config.grace_hours() < 1) {
            throw new IllegalArgumentException(PID + ": grace.hours must be at least 1, not " + config.grace_hours());
        }
        if (config.batch_size() < 1 || config.batch_size() > 10_000) {
            throw new IllegalArgumentException(
                    PID + ": batch.size must be between 1 and 10000, not " + config.batch_size());
        }
        this.grace = Duration.ofHours(config.grace_hours());
        this.batchSize = config.batch_size();
    }

    /** Each installed module's references (whiteboard). */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "removeReferences")
    void addReferences(ObjectReferences r) {
        references.add(r);
    }

    void removeReferences(ObjectReferences r) {
        references.remove(r);
    }

    @Override
    public SweepReport sweep(boolean dryRun, Duration graceOverride) {
        Duration g = graceOverride == null ? grace : graceOverride;
        if (g.isNegative()) {
            throw KaryoException.invalid("grace", "must not be negative");
        }
        if (!running.tryLock()) {
            throw KaryoException.conflict("A storage sweep is already running");
        }
        try {
            return run(dryRun, g);
        } finally {
            running.unlock();
        }
    }

    private SweepReport run(boolean dryRun, Duration g) {
        Instant cutoff = clock.instant().minus(g);
        List<ObjectReferences> modules = List.copyOf(references);
        List<String> prefixes = prefixes(modules);
        List<ObjectInfo> unreferenced = new ArrayList<>();
        List<PendingUpload> stale = new ArrayList<>();
        int kept = 0;
        for (String prefix : prefixes) {
            List<ObjectReferences> owners = modules.stream()
                    .filter(m -> valid(m.prefix()) && (m.prefix().startsWith(prefix)))
                    .toList();
            String after = null;
            List<ObjectInfo> batch = new ArrayList<>();
            while (true) {
                List<ObjectInfo> listed = store.list(prefix, after, page);
                for (ObjectInfo o : listed) {
                    if (o.lastModified() != null && o.lastModified().isBefore(cutoff)) {
                        batch.add(o);
                        if (batch.size() >= batchSize) {
                            kept += decide(batch, owners, unreferenced);
                            batch.clear();
                        }
                    }
                }
                if (listed.size() < page) {
                    break;
                }
                after = listed.get(listed.size() - 1).key();
            }
            if (!batch.isEmpty()) {
                kept += decide(batch, owners, unreferenced);
            }
            // an old upload that its module still refers to (a client resuming a long transfer) is left alone
            List<PendingUpload> old = new ArrayList<>();
            for (PendingUpload u : store.listMultipartUploads(prefix)) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)) {
                    old.add(u);
                }
            }
            if (!old.isEmpty()) {
                List<ObjectInfo> asObjects = old.stream()
                        .map(u -> new ObjectInfo(u.upload().key(), 0, null, u.initiated(), null, null))
                        .toList();
                List<ObjectInfo> unreferencedUploads = new ArrayList<>();
                kept += decide(asObjects, owners, unreferencedUploads);
                Set<String> abandoned = new HashSet<>();
                unreferencedUploads.forEach(o -> abandoned.add(o.key()));
                old.stream().filter(u -> abandoned.contains(u.upload().key())).forEach(stale::add);
            }
        }
        long bytes = unreferenced.stream().mapToLong(ObjectInfo::size).sum();
        Leftovers leftovers;
        try {
            leftovers = store.removeLeftovers(cutoff, dryRun);
        } catch (KaryoException e) {
            LOG.warn("Storage sweep: the store's temporary files could not be looked at", e);
            leftovers = Leftovers.NONE;
        }
        int failed = 0;
        if (!dryRun) {
            for (ObjectInfo o : unreferenced) {
                try {
                    store.delete(o.key());
                } catch (KaryoException e) {
                    failed++;
                }
            }
            for (PendingUpload u : stale) {
                try {
                    store.abortMultipart(u.upload());
                } catch (KaryoException e) {
                    failed++;
                }
            }
            audit.record(
                    Caller.SYSTEM,
                    AuditEvent.success(ACTION, "storage", null)
                            .with("objects", unreferenced.size())
                            .with("bytes", bytes)
                            .with("uploads", stale.size())
                            .with("temporary_files", leftovers.files())
                            .with("temporary_bytes", leftovers.bytes())
                            .with("failed", failed)
                            .with("prefixes", String.join(",", prefixes))
                            .with("grace_hours", g.toHours()));
        }
        LOG.info(
                "Storage sweep{} over {} prefix(es): {} unreferenced object(s) ({} bytes), {} stale upload(s),"
                        + " {} temporary file(s) of unfinished writes ({} bytes){}{}",
                dryRun ? " (dry run)" : "",
                prefixes.size(),
                unreferenced.size(),
                bytes,
                stale.size(),
                leftovers.files(),
                leftovers.bytes(),
                kept > 0 ? ", " + kept + " kept because a module did not answer" : "",
                failed > 0 ? ", " + failed + " could not be removed" : "");
        return new SweepReport(dryRun, prefixes, unreferenced, stale, bytes, leftovers);
    }

    /**
     * Adds the objects of {@code batch} that no owner references to {@code unreferenced}; how many were kept because
     * an owner failed to answer.
     */
    private static int decide(List<ObjectInfo> batch, List<ObjectReferences> owners, List<ObjectInfo> unreferenced) {
        Set<String> referenced = new HashSet<>();
        int unanswered = 0;
        for (ObjectReferences owner : owners) {
            List<String> keys = batch.stream()
                    .map(ObjectInfo::key)
                    .filter(k -> k.startsWith(owner.prefix()))
                    .toList();
            if (keys.isEmpty()) {
                continue;
            }
            try {
                Collection<String> answer = owner.referenced(keys);
                if (answer != null) {
                    referenced.addAll(answer);
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "Storage sweep: the references under {} could not be read; its {} object(s) are kept",
                        owner.prefix(),
                        keys.size(),
                        e);
                referenced.addAll(keys);
                unanswered += keys.size();
            }
        }
        for (ObjectInfo o : batch) {
            if (!referenced.contains(o.key())) {
                unreferenced.add(o);
            }
        }
        return unanswered;
    }

    /**
     * The prefixes to look under: each valid module prefix once, without those inside another (a key is looked at
     * once; every module whose prefix holds it is asked). A prefix that is not {@code <segment>/...} is ignored, so
     * a module's mistake never sweeps the whole store.
     */
    static List<String> prefixes(List<ObjectReferences> modules) {
        List<String> valid = new ArrayList<>();
        for (ObjectReferences m : modules) {
            String p = m.prefix();
            if (!valid(p)) {
                LOG.warn(
                        "Storage sweep: ignoring the prefix of {} (not <module>/...)",
                        m.getClass().getName());
                continue;
            }
            if (!valid.contains(p)) {
                valid.add(p);
            }
        }
        return valid.stream()
                .filter(p -> valid.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
                .sorted()
                .toList();
    }

    private static boolean valid(String prefix) {
        return prefix != null
                && prefix.length() >= 2
                && prefix.endsWith("/")
                && !prefix.startsWith("/")
                && !prefix.contains("//")
                && !prefix.contains("..");
    }
}
