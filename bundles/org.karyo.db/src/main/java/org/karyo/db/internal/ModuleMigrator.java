package org.karyo.db.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.karyo.api.module.ModuleRegistry;
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.module.SchemaReady;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module side of the extender, free of OSGi: it knows the started module bundles, migrates each one's schema on
 * one background executor once the database is up, publishes a {@link SchemaReady} for each success and answers
 * {@link ModuleRegistry#modules()}. A module is {@link ModuleState#MIGRATING} from the moment its bundle is seen
 * (also while the database is still starting) until its migrations end.
 */
final class ModuleMigrator implements ModuleRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleMigrator.class);

    /** Publishes a migrated module (registers its SchemaReady service); the returned handle withdraws it. */
    interface Publisher {
        AutoCloseable publish(ModuleSchema schema);
    }

    private final Executor executor;
    private final Publisher publisher;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private Migrations migrations;
    private boolean closed;

    ModuleMigrator(Executor executor, Publisher publisher, Clock clock) {
        this.executor = Objects.requireNonNull(executor);
        this.publisher = Objects.requireNonNull(publisher);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A module bundle started. */
    void add(ModuleBundle bundle) {
        Entry entry = new Entry(bundle);
        boolean schedule;
        synchronized (lock) {
            if (closed) {
                return;
            }
            entries.put(bundle.bundleId(), entry);
            String module = bundle.module();
            if (!Migrations.MODULE_NAME.matcher(module).matches()) {
                entry.status = status(
                        entry,
                        ModuleState.FAILED,
                        null,
                        "invalid module name (use lower case letters, digits and underscores)");
                LOG.error("Bundle {} declares an invalid module name: {}", bundle.symbolicName(), module);
                return;
            }
            Entry other = entries.values().stream()
                    .filter(e -> e != entry && e.bundle.module().equals(module))
                    .findFirst()
                    .orElse(null);
            if (other != null) {
                entry.status = status(
                        entry,
                        ModuleState.FAILED,
                        null,
                        "module " + module + " is already provided by bundle " + other.bundle.symbolicName());
                LOG.error(
                        "Bundle {} declares module {}, already provided by bundle {}",
                        bundle.symbolicName(),
                        module,
                        other.bundle.symbolicName());
                return;
            }
            entry.status = status(entry, ModuleState.MIGRATING, null, null);
            schedule = migrations != null;
        }
        if (schedule) {
            schedule(entry);
        }
    }

    /** A module bundle stopped: withdraw its SchemaReady and forget it. */
    void remove(ModuleBundle bundle) {
        AutoCloseable published;
        synchronized (lock) {
            Entry entry = entries.get(bundle.bundleId());
            if (entry == null || entry.bundle != bundle) {
                return;
            }
            entries.remove(bundle.bundleId());
            entry.removed = true;
            published = entry.published;
            entry.published = null;
        }
        withdraw(published, bundle);
    }

    /** The database is up: migrate every known module, and every module that starts later. */
    void ready(Migrations migrations) {
        List<Entry> waiting = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            this.migrations = migrations;
            for (Entry e : entries.values()) {
                if (e.status.state() == ModuleState.MIGRATING) {
                    waiting.add(e);
                }
            }
        }
        waiting.forEach(this::schedule);
    }

    /** Withdraws every SchemaReady and stops migrating. */
    void close() {
        List<Entry> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
        }
        for (Entry e : all) {
            AutoCloseable published;
            synchronized (lock) {
                e.removed = true;
                published = e.published;
                e.published = null;
            }
            withdraw(published, e.bundle);
        }
    }

    @Override
    public List<ModuleStatus> modules() {
        synchronized (lock) {
            return entries.values().stream()
                    .map(e -> e.status)
                    .sorted(Comparator.comparing(ModuleStatus::module).thenComparing(ModuleStatus::bundle))
                    .toList();
        }
    }

    private void schedule(Entry entry) {
        try {
            executor.execute(() -> migrate(entry));
        } catch (RejectedExecutionException e) {
            LOG.debug("Not migrating module {}: shutting down", entry.bundle.module());
        }
    }

    private void migrate(Entry entry) {
        Migrations m;
        synchronized (lock) {
            if (entry.removed || closed) {
                return;
            }
            m = migrations;
        }
        ModuleBundle b = entry.bundle;
        ModuleStatus outcome;
        ModuleSchema schema = null;
        long started = System.nanoTime();
        try {
            Migrations.Result result = m.migrate(b.module(), b.classLoader(), b.folder());
            schema = new ModuleSchema(b.module(), result.schema(), result.version());
            outcome = status(entry, ModuleState.ACTIVE, result.version(), null);
            LOG.info(
                    "Module {} (bundle {}): schema {} at version {} ({} migrations applied in {} ms)",
                    b.module(),
                    b.symbolicName(),
                    result.schema(),
                    result.version(),
                    result.applied(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (MigrationException e) {
            outcome = status(entry, ModuleState.FAILED, e.version(), e.detail());
            LOG.error("Module {} (bundle {}): {}", b.module(), b.symbolicName(), e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            outcome = status(entry, ModuleState.FAILED, null, "migrations could not run (see the server log)");
            LOG.error("Module {} (bundle {}): migrations could not run", b.module(), b.symbolicName(), e);
        }
        synchronized (lock) {
            if (entry.removed) {
                return;
            }
            entry.status = outcome;
        }
        if (schema == null) {
            return;
        }
        AutoCloseable published = publisher.publish(schema);
        boolean withdraw;
        synchronized (lock) {
            withdraw = entry.removed;
            if (!withdraw) {
                entry.published = published;
            }
        }
        if (withdraw) {
            withdraw(published, b);
        }
    }

    private ModuleStatus status(Entry entry, ModuleState state, String version, String detail) {
        ModuleBundle b = entry.bundle;
        return new ModuleStatus(b.module(), b.symbolicName(), state, version, detail, Instant.now(clock));
    }

    private static void withdraw(AutoCloseable published, ModuleBundle bundle) {
        if (published == null) {
            return;
        }
        try {
            published.close();
        } catch (Exception e) {
            LOG.debug("Withdrawing the schema of module {} failed", bundle.module(), e);
        }
    }

    /** What the migrator knows of one bundle. */
    private static final class Entry {
        final ModuleBundle bundle;
        ModuleStatus status;
        AutoCloseable published;
        boolean removed;

        Entry(ModuleBundle bundle) {
            this.bundle = bundle;
        }
    }
}
