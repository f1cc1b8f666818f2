package org.karyo.db.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.karyo.api.EnvOverrides;
import org.karyo.api.module.ModuleRegistry;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.Database;
import org.karyo.api.tx.UnitOfWork;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform database. At activation it registers the {@link ModuleRegistry} and starts tracking module bundles,
 * then, on a background thread (the embedded server's first start takes seconds), starts the embedded PostgreSQL or
 * reaches the external one, opens the pool and registers the transaction-aware {@link DataSource}
 * ({@code osgi.jndi.service.name=jdbc/karyo}), the {@link UnitOfWork} and the {@link Database}; then module
 * migrations run. An unreachable external server is retried until it answers. Deactivation withdraws everything,
 * closes the pool and stops the embedded server.
 */
@Component(
        configurationPid = DatabaseComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = DatabaseComponent.Config.class)
public final class DatabaseComponent {

    static final String PID = "org.karyo.db";
    static final String DATABASE = "karyo";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);
    private static final Duration EMBEDDED_STARTUP_WAIT = Duration.ofSeconds(120);
    private static final long MAX_RETRY_SECONDS = 30;

    /** The database configuration ({@code etc/org.karyo.db.cfg}); environment variables win. */
    @ObjectClassDefinition(name = "Karyo database", description = "The platform's PostgreSQL: external or embedded")
    public @interface Config {
        @AttributeDefinition(
                description = "JDBC URL of an external PostgreSQL (jdbc:postgresql://host:5432/karyo); "
                        + "empty: the embedded PostgreSQL. Env KARYO_DB_URL")
        String url() default "";

        @AttributeDefinition(description = "User of the external PostgreSQL. Env KARYO_DB_USER")
        String user() default "";

        @AttributeDefinition(
                type = AttributeType.PASSWORD,
                description = "Password of the external PostgreSQL. Env KARYO_DB_PASSWORD")
        String password() default "";

        @AttributeDefinition(description = "Largest number of pooled connections. Env KARYO_DB_POOL_SIZE")
        int pool_size() default 10;

        @AttributeDefinition(
                description = "Data folder of the embedded PostgreSQL; empty: ${karaf.base}/var/postgres "
                        + "(outside data/, which 'karaf clean' wipes). Env KARYO_DB_EMBEDDED_DIR")
        String embedded_dir() default "";

        @AttributeDefinition(
                description = "Port of the embedded PostgreSQL (localhost only). Env " + "KARYO_DB_EMBEDDED_PORT")
        int embedded_port() default 15432;

        @AttributeDefinition(description = "How long to wait for a database connection, in seconds")
        int connect_timeout_seconds() default 10;
    }

    private final BundleContext context;
    private final DbSettings settings;
    private final ModuleMigrator migrator;
    private final BundleTracker<ModuleBundle> tracker;
    private final ServiceRegistration<ModuleRegistry> registryRegistration;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(threads("karyo-db-start"));
    private final ExecutorService migrationExecutor = Executors.newSingleThreadExecutor(threads("karyo-db-migrate"));
    private final ExecutorService statusExecutor = Executors.newCachedThreadPool(threads("karyo-db-status"));
    private final Thread shutdownHook = new Thread(this::stopServer, "karyo-db-shutdown");

    private final Object lock = new Object();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private boolean closed;
    private EmbeddedServer server;
    private HikariDataSource pool;

    /** Activated by SCR. */
    @Activate
    public DatabaseComponent(Config config, BundleContext context) {
        this(config, EnvOverrides.system(), context);
    }

    DatabaseComponent(Config config, EnvOverrides env, BundleContext context) {
        this.context = context;
        try {
            this.settings = DbSettings.resolve(config, env, context.getProperty("karaf.base"));
            if (!settings.embedded()) {
                Pools.target(settings.url(), settings.user(), settings.password(), settings.connectTimeoutSeconds());
            }
        } catch (IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            throw e;
        }
        LOG.info(
                "Karyo database starting: {}",
                settings.embedded()
                        ? "embedded PostgreSQL in " + settings.embeddedDir() + " on localhost:"
                                + settings.embeddedPort()
                        : "external PostgreSQL " + settings.safeUrl()
                                + (settings.user() != null ? " as " + settings.user() : ""));
        this.migrator = new ModuleMigrator(migrationExecutor, this::publish, Clock.systemUTC());
        this.registryRegistration = context.registerService(ModuleRegistry.class, migrator, null);
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, new ModuleTracker(migrator));
        tracker.open();
        starter.execute(this::start);
    }

    private void start() {
        try {
            PGSimpleDataSource target;
            if (settings.embedded()) {
                EmbeddedServer s = startEmbedded();
                if (s == null) {
                    return;
                }
                s.ensureDatabase(DATABASE);
                target = s.dataSource(DATABASE);
                target.setConnectTimeout(settings.connectTimeoutSeconds());
                target.setApplicationName("karyo");
            } else {
                target = Pools.target(
                        settings.url(), settings.user(), settings.password(), settings.connectTimeoutSeconds());
            }
            HikariDataSource p = openPool(target);
            if (p == null) {
                return;
            }
            UnitOfWorkImpl uow = new UnitOfWorkImpl(p);
            TransactionalDataSource dataSource = new TransactionalDataSource(p, uow);
            Dictionary<String, Object> dsProps = new Hashtable<>();
            dsProps.put("osgi.jndi.service.name", "jdbc/karyo");
            dsProps.put("dataSourceName", DATABASE);
            register(DataSource.class, dataSource, dsProps);
            register(UnitOfWork.class, uow, null);
            register(
                    Database.class,
                    new DatabaseInfo(p, settings.embedded(), target.getDatabaseName(), statusExecutor),
                    null);
            if (!isClosed()) {
                logReady(p);
            }
            migrator.ready(new Migrations(p));
        } catch (Exception | LinkageError e) {
            if (isClosed()) {
                LOG.debug("Database start abandoned: the component is deactivating", e);
            } else {
                LOG.error("The Karyo database could not start: {}", e.getMessage(), e);
            }
        }
    }

    /** The one line that says the database is ready, with the server's version and whether Karyo is tested on it. */
    private void logReady(DataSource pool) {
        String where = settings.embedded()
                ? "embedded PostgreSQL on localhost:" + settings.embeddedPort()
                : settings.safeUrl();
        ServerVersion version;
        try {
            version = ServerVersion.of(pool);
        } catch (SQLException e) {
            LOG.info(
                    "Karyo database ready ({}, pool of {}); its version could not be read", where, settings.poolSize());
            return;
        }
        if (version.tested()) {
            LOG.info("Karyo database ready ({}, pool of {}): {}", where, settings.poolSize(), version.describe());
        } else {
            LOG.warn("Karyo database ready ({}, pool of {}): {}", where, settings.poolSize(), version.describe());
        }
    }

    private EmbeddedServer startEmbedded() throws Exception {
        EmbeddedServer s = EmbeddedServer.start(
                settings.embeddedDir(),
                settings.runtimeDir(),
                settings.embeddedPort(),
                new PgBinaries(context.getBundle()::getEntry),
                EMBEDDED_STARTUP_WAIT);
        synchronized (lock) {
            server = s;
            if (closed) {
                return null;
            }
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        LOG.info(
                "Embedded PostgreSQL started on localhost:{} in {} ms (data in {})",
                s.port(),
                s.startTime().toMillis(),
                settings.embeddedDir());
        return s;
    }

    /** Opens the pool; an unreachable server is retried (with a growing pause) until it answers or we stop. */
    private HikariDataSource openPool(PGSimpleDataSource target) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HikariDataSource p =
                        Pools.open(target, DATABASE, settings.poolSize(), settings.connectTimeoutSeconds());
                synchronized (lock) {
                    if (closed) {
                        p.close();
                        return null;
                    }
                    pool = p;
                }
                return p;
            } catch (RuntimeException e) {
                if (isClosed()) {
                    return null;
                }
                long pause = Math.min(MAX_RETRY_SECONDS, 1L << Math.min(attempt, 5));
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                if (attempt == 1) {
                    LOG.error(
                            "Database {} not reachable: {}. Retrying every {} s at most",
                            settings.safeUrl(),
                            why,
                            MAX_RETRY_SECONDS);
                } else {
                    LOG.warn("Database {} still not reachable (attempt {}): {}", settings.safeUrl(), attempt, why);
                }
                TimeUnit.SECONDS.sleep(pause);
            }
        }
    }

    private <S> void register(Class<S> type, S service, Dictionary<String, Object> props) {
        if (isClosed()) {
            return;
        }
        ServiceRegistration<S> registration = context.registerService(type, service, props);
        boolean keep;
        synchronized (lock) {
            keep = !closed;
            if (keep) {
                registrations.add(registration);
            }
        }
        if (!keep) {
            unregister(registration);
        }
    }

    private AutoCloseable publish(ModuleSchema schema) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SchemaReady.MODULE_PROPERTY, schema.module());
        props.put("karyo.schema", schema.schema());
        if (schema.version() != null) {
            props.put("karyo.schema.version", schema.version());
        }
        ServiceRegistration<SchemaReady> registration = context.registerService(SchemaReady.class, schema, props);
        return () -> unregister(registration);
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Withdraws the services, stops the background work, closes the pool and stops the embedded server. */
    @Deactivate
    void deactivate() {
        List<ServiceRegistration<?>> toRemove;
        synchronized (lock) {
            closed = true;
            toRemove = new ArrayList<>(registrations);
            registrations.clear();
        }
        tracker.close();
        migrator.close();
        Collections.reverse(toRemove);
        toRemove.forEach(DatabaseComponent::unregister);
        unregister(registryRegistration);
        shutdown(starter, 60);
        shutdown(migrationExecutor, 30);
        statusExecutor.shutdownNow();
        HikariDataSource p;
        synchronized (lock) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.close();
        }
        stopServer();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
        LOG.info("Karyo database stopped");
    }

    private void stopServer() {
        EmbeddedServer s;
        synchronized (lock) {
            s = server;
            server = null;
        }
        if (s != null) {
            s.close();
            LOG.info("Embedded PostgreSQL stopped");
        }
    }

    private static void shutdown(ExecutorService executor, int seconds) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
                LOG.warn("Background database work did not end within {} s", seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already unregistered (the bundle is stopping)
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
