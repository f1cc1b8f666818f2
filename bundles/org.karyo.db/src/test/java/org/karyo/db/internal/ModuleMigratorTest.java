package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;

/** The extender's module logic (without OSGi) against a real PostgreSQL. */
class ModuleMigratorTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static PgTest.Fresh db;

    private final Deque<Runnable> queued = new ArrayDeque<>();
    private final Executor executor = queued::add;
    private final List<ModuleSchema> published = new ArrayList<>();
    private final List<ModuleSchema> withdrawn = new ArrayList<>();
    private ModuleMigrator migrator;

    @BeforeAll
    static void setUp() {
        db = PgTest.freshDatabase();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @BeforeEach
    void newMigrator() {
        migrator = new ModuleMigrator(
                executor,
                schema -> {
                    published.add(schema);
                    return () -> withdrawn.add(schema);
                },
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ModuleBundle bundle(long id, String module, String folder) {
        return new ModuleBundle(
                id, "org.karyo." + module + ".impl", module, folder, ModuleMigratorTest.class.getClassLoader());
    }

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    @Test
    void modulesWaitAsMigratingUntilTheDatabaseIsUpThenBecomeActive() {
        ModuleBundle alpha = bundle(10, "alpha", "db/alpha");
        migrator.add(alpha);

        assertThat(migrator.modules())
                .containsExactly(
                        new ModuleStatus("alpha", "org.karyo.alpha.impl", ModuleState.MIGRATING, null, null, NOW));
        assertThat(queued).as("nothing runs before the database is up").isEmpty();

        migrator.ready(new Migrations(db.pool()));
        assertThat(migrator.modules()).extracting(ModuleStatus::state).containsExactly(ModuleState.MIGRATING);
        runQueued();

        assertThat(migrator.modules())
                .containsExactly(new ModuleStatus("alpha", "org.karyo.alpha.impl", ModuleState.ACTIVE, "2", null, NOW));
        assertThat(published).containsExactly(new ModuleSchema("alpha", "karyo_alpha", "2"));
    }

    @Test
    void aModuleStartedAfterTheDatabaseMigratesAtOnce() {
        migrator.ready(new Migrations(db.pool()));
        migrator.add(bundle(11, "beta", "db/beta"));
        runQueued();
        assertThat(published).containsExactly(new ModuleSchema("beta", "karyo_beta", "1"));
    }

    @Test
    void aFailedModuleIsFailedWithAClientSafeDetailAndNotPublished() {
        migrator.ready(new Migrations(db.pool()));
        migrator.add(bundle(12, "broken", "db/broken"));
        runQueued();
        assertThat(migrator.modules()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(ModuleState.FAILED);
            assertThat(s.detail()).isEqualTo("migration V2 (second fails) failed");
            assertThat(s.schemaVersion()).isEqualTo("1");
        });
        assertThat(published).isEmpty();
    }

    @Test
    void aStoppedModuleIsWithdrawnAndForgotten() {
        ModuleBundle alpha = bundle(13, "alpha", "db/alpha");
        migrator.ready(new Migrations(db.pool()));
        migrator.add(alpha);
        runQueued();

        migrator.remove(alpha);

        assertThat(withdrawn).containsExactly(new ModuleSchema("alpha", "karyo_alpha", "2"));
        assertThat(migrator.modules()).isEmpty();
    }

    @Test
    void aModuleStoppedWhileQueuedIsNeverPublished() {
        ModuleBundle alpha = bundle(14, "alpha", "db/alpha");
        migrator.ready(new Migrations(db.pool()));
        migrator.add(alpha);
        migrator.remove(alpha);
        runQueued();
        assertThat(published).isEmpty();
        assertThat(migrator.modules()).isEmpty();
    }

    @Test
    void aSecondBundleForTheSameModuleFails() {
        migrator.add(bundle(15, "alpha", "db/alpha"));
        migrator.add(new ModuleBundle(
                16, "org.other.alpha", "alpha", "db/alpha", ModuleMigratorTest.class.getClassLoader()));
        assertThat(migrator.modules())
                .extracting(ModuleStatus::bundle, ModuleStatus::state, ModuleStatus::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("org.karyo.alpha.impl", ModuleState.MIGRATING, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "org.other.alpha",
                                ModuleState.FAILED,
                                "module alpha is already provided by bundle org.karyo.alpha.impl"));
    }

    @Test
    void anInvalidModuleNameFails() {
        migrator.add(bundle(17, "Bad-Name", "db/x"));
        assertThat(migrator.modules())
                .singleElement()
                .extracting(ModuleStatus::state)
                .isEqualTo(ModuleState.FAILED);
        migrator.ready(new Migrations(db.pool()));
        assertThat(queued).isEmpty();
    }

    @Test
    void modulesAreListedByName() {
        migrator.add(bundle(20, "zeta", "db/zeta"));
        migrator.add(bundle(21, "alpha", "db/alpha"));
        migrator.add(bundle(22, "mu", "db/mu"));
        assertThat(migrator.modules()).extracting(ModuleStatus::module).containsExactly("alpha", "mu", "zeta");
    }

    @Test
    void closeWithdrawsEverythingAndStopsMigrating() {
        migrator.ready(new Migrations(db.pool()));
        migrator.add(bundle(30, "alpha", "db/alpha"));
        runQueued();
        migrator.add(bundle(31, "beta", "db/beta"));

        migrator.close();
        runQueued();

        assertThat(withdrawn).containsExactly(new ModuleSchema("alpha", "karyo_alpha", "2"));
        assertThat(published).hasSize(1);
        assertThat(migrator.modules()).isEmpty();
    }
}
