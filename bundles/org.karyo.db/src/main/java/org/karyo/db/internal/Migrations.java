package org.karyo.db.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies one module's Flyway migrations the platform's way: the SQL files of a class path folder ({@code db/content})
 * go to the schema {@code karyo_<module>} (created when missing), with the history table
 * {@code karyo_<module>.schema_history}. Used by the module extender inside Karaf (with the module bundle's class
 * loader) and by {@code org.karyo.testing} outside it.
 */
public final class Migrations {

    /** A module name: lower case letters, digits and underscores, starting with a letter. */
    public static final Pattern MODULE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,49}");

    private static final String SCHEMA_PREFIX = "karyo_";
    private static final String HISTORY_TABLE = "schema_history";

    private final DataSource dataSource;

    /** Migrations over {@code dataSource}: a plain pool, never a transaction-aware DataSource. */
    public Migrations(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The schema of a module: {@code karyo_<module>}. */
    public static String schemaOf(String module) {
        return SCHEMA_PREFIX + module;
    }

    /**
     * Migrates a module's schema to the newest version in {@code folder}.
     *
     * @param module the module's name, for example {@code content}
     * @param classLoader the class loader that sees {@code folder} (inside Karaf: the module bundle's)
     * @param folder the class path folder of the {@code V<n>__<name>.sql} files, for example {@code db/content}
     * @return the schema and its version after migration
     * @throws IllegalArgumentException when the module name or folder is not acceptable
     * @throws MigrationException when a migration (or the validation of those already applied) fails
     */
    public Result migrate(String module, ClassLoader classLoader, String folder) {
        if (module == null || !MODULE_NAME.matcher(module).matches()) {
            throw new IllegalArgumentException("Invalid module name '" + module + "': use " + MODULE_NAME.pattern());
        }
        String location = location(folder);
        String schema = schemaOf(module);
        AtomicReference<MigrationInfo> failed = new AtomicReference<>();
        Flyway flyway = Flyway.configure(Objects.requireNonNull(classLoader, "classLoader"))
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .locations(location)
                .failOnMissingLocations(false)
                .validateMigrationNaming(true)
                .placeholderReplacement(false)
                .cleanDisabled(true)
                .baselineOnMigrate(false)
                .callbacks(new FailureRecorder(failed))
                .load();
        try {
            MigrateResult result = flyway.migrate();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : current(flyway);
            return new Result(module, schema, version, result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new MigrationException(module, detail(failed.get(), e), currentQuietly(flyway, e), e);
        }
    }

    private static String current(Flyway flyway) {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null
                ? null
                : current.getVersion().getVersion();
    }

    private static String currentQuietly(Flyway flyway, FlywayException failure) {
        try {
            return current(flyway);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return null;
        }
    }

    private static String location(String folder) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("A migrations folder is needed");
        }
        String f = folder.trim();
        if (f.startsWith("classpath:")) {
            f = f.substring("classpath:".length());
        }
        while (f.startsWith("/")) {
            f = f.substring(1);
        }
        if (f.isEmpty() || f.contains(":") || f.contains("..")) {
            throw new IllegalArgumentException("Invalid migrations folder '" + folder + "': use a class path folder");
        }
        return "classpath:" + f;
    }

    private static String detail(MigrationInfo failed, FlywayException e) {
        if (failed != null) {
            String version = failed.getVersion() == null
                    ? "R"
                    : "V" + failed.getVersion().getVersion();
            return "migration " + version + " (" + failed.getDescription() + ") failed";
        }
        if (e instanceof FlywayValidateException) {
            return "the applied migrations do not match the migration files (changed, missing or failed migrations)";
        }
        return "migrations could not run (see the server log)";
    }

    /**
     * A module's schema after migration.
     *
     * @param module the module
     * @param schema its schema
     * @param version the schema's version, or {@code null} when the module has no migrations
     * @param applied how many migrations this run applied
     */
    public record Result(String module, String schema, String version, int applied) {}

    /** Remembers the migration that failed, for a client-safe detail. */
    private static final class FailureRecorder implements Callback {
        private final AtomicReference<MigrationInfo> failed;

        FailureRecorder(AtomicReference<MigrationInfo> failed) {
            this.failed = failed;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            if (context.getMigrationInfo() != null) {
                failed.set(context.getMigrationInfo());
            }
        }

        @Override
        public String getCallbackName() {
            return "karyo-failure-recorder";
        }
    }
}
