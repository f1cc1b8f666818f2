package org.karyo.maintenance.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.api.TaskScope;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.karyo.persistence.Sql;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestDatabase;
import org.karyo.testing.TestTaskContext;

/** The maintenance service and its persistence against a real PostgreSQL (org.karyo.testing). */
class MaintenanceServiceImplTest {

    private static final Instant T0 = Instant.parse("2030-03-01T10:00:00Z");
    private static final Caller ADMIN = TestCallers.withEveryRight("test:admin");

    private static TestDatabase db;
    private static JpaTemplate jpa;
    private static UnitOfWork uow;
    private static DataSource ds;

    private final MutableClock clock = new MutableClock(T0);
    private MaintenanceGate gate;
    private RecordingAuditTrail audit;
    private MaintenanceServiceImpl service;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("maintenance", MaintenanceServiceImpl.class, "db/maintenance");
        jpa = db.jpa("karyo-maintenance");
        uow = db.unitOfWork();
        ds = db.dataSource();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        sql("truncate karyo_maintenance.maintenance_phase restart identity");
        gate = new MaintenanceGate(new SqlPhaseLoader(new Sql(ds, "maintenance")), clock);
        audit = new RecordingAuditTrail(uow);
        service = new MaintenanceServiceImpl(jpa, ds, uow, audit, gate, clock);
    }

    // ---------------------------------------------------------------- the refresh task

    @Test
    void aPhaseWrittenStraightIntoTheDatabaseAppliesOnceTheRefreshTaskRan() throws SQLException {
        RefreshTask task = new RefreshTask(gate);
        assertThat(task.name()).isEqualTo("maintenance.refresh");
        assertThat(task.defaultSchedule()).isEqualTo("0/15 * * * * ?");
        assertThat(task.scope()).isEqualTo(TaskScope.NODE);
        gate.refresh();
        sql("insert into karyo_maintenance.maintenance_phase (subject, type, start_datetime, end_datetime)"
                + " values ('Written by another node', 'full', '2030-03-01T09:00:00Z', '2030-03-01T11:00:00Z')");
        assertThatCode(() -> gate.admit(new GateRequest("GET", "/projects", Caller.ANONYMOUS)))
                .as("the gate answers from its snapshot until it is refreshed")
                .doesNotThrowAnyException();

        TestTaskContext run = TestTaskContext.of(RefreshTask.NAME);
        task.run(run);

        assertThat(run.summary()).isEqualTo("1 phase(s) not ended");
        KaryoException refused = catchThrowableOfType(
                () -> gate.admit(new GateRequest("GET", "/projects", Caller.ANONYMOUS)), KaryoException.class);
        assertThat(refused).isNotNull();
        assertThat(refused.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    // ---------------------------------------------------------------- create / get

    @Test
    void createStoresEveryFieldAndGetReturnsIt() {
        MaintenancePhase created = service.create(
                ADMIN,
                new NewMaintenancePhase(
                        "  Database upgrade ",
                        "The platform is read-only",
                        "full",
                        T0.plusSeconds(60),
                        T0.plusSeconds(3600)));

        assertThat(created.id()).isPositive();
        assertThat(created.subject()).isEqualTo("Database upgrade");
        assertThat(created.message()).isEqualTo("The platform is read-only");
        assertThat(created.type()).isEqualTo("full");
        assertThat(created.startDatetime()).isEqualTo(T0.plusSeconds(60));
        assertThat(created.endDatetime()).isEqualTo(T0.plusSeconds(3600));
        assertThat(created.active()).isFalse();
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.modifiedAt()).isEqualTo(T0);
        assertThat(service.get(ADMIN, created.id())).isEqualTo(created);
    }

    @Test
    void typeDefaultsToPartialAndMessageIsOptional() {
        MaintenancePhase p =
                service.create(ADMIN, new NewMaintenancePhase("Upgrade", null, null, T0, T0.plusSeconds(60)));
        assertThat(p.type()).isEqualTo("partial");
        assertThat(p.message()).isNull();
        assertThat(p.active()).isTrue();
    }

    @Test
    void activeIsEvaluatedAtReadTime() {
        MaintenancePhase p = create("Later", "partial", T0.plusSeconds(60), T0.plusSeconds(120));
        assertThat(service.get(ADMIN, p.id()).active()).isFalse();
        clock.set(T0.plusSeconds(60));
        assertThat(service.get(ADMIN, p.id()).active()).isTrue();
        clock.set(T0.plusSeconds(120));
        assertThat(service.get(ADMIN, p.id()).active()).isFalse();
    }

    @Test
    void instantsAreKeptToTheMicrosecondAsStored() {
        Instant start = Instant.parse("2030-03-01T10:00:00.123456789Z");
        MaintenancePhase p = create("Precise", "partial", start, start.plusSeconds(1));
        assertThat(p.startDatetime()).isEqualTo(Instant.parse("2030-03-01T10:00:00.123456Z"));
        assertThat(service.get(ADMIN, p.id())).isEqualTo(p);
    }

    @Test
    void aPhaseMayEndWhenItStarts() {
        MaintenancePhase p = create("Instant", "full", T0, T0);
        assertThat(p.active()).isFalse();
    }

    @Test
    void startAfterEndIsRefusedNamingEndDatetimeAndNothingIsWritten() throws SQLException {
        KaryoException e = invalid(() ->
                service.create(ADMIN, new NewMaintenancePhase("Backwards", null, "partial", T0.plusSeconds(60), T0)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("end_datetime");
        assertThat(rows()).isZero();
    }

    @Test
    void missingFieldsAreAllNamed() throws SQLException {
        KaryoException e = invalid(() -> service.create(ADMIN, new NewMaintenancePhase(null, null, null, null, null)));
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("subject", "start_datetime", "end_datetime");
        assertThat(invalid(() -> service.create(ADMIN, null)).errors())
                .extracting(FieldError::field)
                .containsExactly("body");
        assertThat(rows()).isZero();
    }

    @Test
    void overLongTextsBlankSubjectAndUnknownTypeAreNamed() throws SQLException {
        KaryoException e = invalid(() -> service.create(
                ADMIN, new NewMaintenancePhase("x".repeat(256), "m".repeat(5001), "total", T0, T0.plusSeconds(1))));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("subject", "message", "type");
        assertThat(invalid(() -> service.create(ADMIN, new NewMaintenancePhase("   ", null, null, T0, T0)))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("subject");
        assertThat(rows()).isZero();

        MaintenancePhase longest = service.create(
                ADMIN, new NewMaintenancePhase("x".repeat(255), "m".repeat(5000), "FULL", T0, T0.plusSeconds(1)));
        assertThat(longest.subject()).hasSize(255);
        assertThat(longest.message()).hasSize(5000);
        assertThat(longest.type()).isEqualTo("full");
    }

    @Test
    void instantsOutsideYearsOneTo9999AndNulCharactersAreNamed() throws SQLException {
        KaryoException e = invalid(() -> service.create(
                ADMIN,
                new NewMaintenancePhase(
                        "a\0b",
                        "c\0",
                        null,
                        Instant.parse("-0001-01-01T00:00:00Z"),
                        Instant.parse("+10000-01-01T00:00:00Z"))));
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("subject", "message", "start_datetime", "end_datetime");
        assertThat(rows()).isZero();
    }

    @Test
    void unknownOrDeletedIdsAreNotFound() {
        assertThat(error(() -> service.get(ADMIN, 4242)).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(error(() -> service.update(ADMIN, 4242, MaintenancePatch.endAt(T0), OptionalLong.empty()))
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(error(() -> service.delete(ADMIN, 4242, OptionalLong.empty()))
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
    }

    // ---------------------------------------------------------------- update

    @Test
    void patchChangesOnlyTheGivenFields() {
        MaintenancePhase p = service.create(
                ADMIN, new NewMaintenancePhase("Upgrade", "Soon", "partial", T0.plusSeconds(60), T0.plusSeconds(120)));
        clock.advance(Duration.ofSeconds(5));

        MaintenancePhase q = service.update(
                ADMIN,
                p.id(),
                new MaintenancePatch("Big upgrade", null, "full", null, null),
                OptionalLong.of(p.version()));

        assertThat(q.subject()).isEqualTo("Big upgrade");
        assertThat(q.type()).isEqualTo("full");
        assertThat(q.message()).isEqualTo("Soon");
        assertThat(q.startDatetime()).isEqualTo(p.startDatetime());
        assertThat(q.endDatetime()).isEqualTo(p.endDatetime());
        assertThat(q.createdAt()).isEqualTo(p.createdAt());
        assertThat(q.modifiedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(q.version()).isGreaterThan(p.version());
        assertThat(service.get(ADMIN, p.id())).isEqualTo(q);
    }

    @Test
    void anEmptyMessageClearsItAndAnEmptyPatchChangesNothing() {
        MaintenancePhase p =
                service.create(ADMIN, new NewMaintenancePhase("Upgrade", "Soon", null, T0, T0.plusSeconds(60)));
        MaintenancePhase same =
                service.update(ADMIN, p.id(), new MaintenancePatch(null, null, null, null, null), OptionalLong.empty());
        assertThat(same).isEqualTo(p);

        MaintenancePhase cleared =
                service.update(ADMIN, p.id(), new MaintenancePatch(null, "", null, null, null), OptionalLong.empty());
        assertThat(cleared.message()).isNull();
        assertThat(service.get(ADMIN, p.id()).message()).isNull();
    }

    @Test
    void aPatchThatPutsTheEndBeforeTheStartIsRefusedAndChangesNothing() {
        MaintenancePhase p = create("Upgrade", "partial", T0.plusSeconds(60), T0.plusSeconds(120));
        KaryoException onlyStart = invalid(() -> service.update(
                ADMIN,
                p.id(),
                new MaintenancePatch("New", null, null, T0.plusSeconds(500), null),
                OptionalLong.empty()));
        assertThat(onlyStart.errors()).extracting(FieldError::field).containsExactly("end_datetime");
        KaryoException onlyEnd =
                invalid(() -> service.update(ADMIN, p.id(), MaintenancePatch.endAt(T0), OptionalLong.empty()));
        assertThat(onlyEnd.errors()).extracting(FieldError::field).containsExactly("end_datetime");
        KaryoException bad = invalid(() -> service.update(
                ADMIN, p.id(), new MaintenancePatch(" ", "m".repeat(5001), "none", null, null), OptionalLong.empty()));
        assertThat(bad.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("subject", "message", "type");
        assertThat(service.get(ADMIN, p.id())).isEqualTo(p);
    }

    @Test
    void aStaleExpectedVersionIsRefused() {
        MaintenancePhase p = create("Upgrade", "partial", T0, T0.plusSeconds(60));
        MaintenancePhase q =
                service.update(ADMIN, p.id(), MaintenancePatch.endAt(T0.plusSeconds(90)), OptionalLong.of(p.version()));

        KaryoException stale = error(() -> service.update(
                ADMIN, p.id(), MaintenancePatch.endAt(T0.plusSeconds(30)), OptionalLong.of(p.version())));
        assertThat(stale.kind()).isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(error(() -> service.delete(ADMIN, p.id(), OptionalLong.of(p.version())))
                        .kind())
                .isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(service.get(ADMIN, p.id())).isEqualTo(q);
    }

    @Test
    void ofTwoConcurrentWritesAtTheSameVersionExactlyOneWinsAndTheOtherIsAPreconditionFailure() throws Exception {
        MaintenancePhase p = create("Race", "partial", T0.plusSeconds(60), T0.plusSeconds(120));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MaintenancePhase>> writes = new ArrayList<>();
            for (String subject : List.of("a", "b")) {
                writes.add(pool.submit(() -> {
                    start.await();
                    return service.update(
                            ADMIN,
                            p.id(),
                            new MaintenancePatch(subject, null, null, null, null),
                            OptionalLong.of(p.version()));
                }));
            }
            start.countDown();
            List<MaintenancePhase> won = new ArrayList<>();
            List<Kind> lost = new ArrayList<>();
            for (Future<MaintenancePhase> f : writes) {
                try {
                    won.add(f.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    lost.add(((KaryoException) e.getCause()).kind());
                }
            }
            assertThat(won).hasSize(1);
            assertThat(lost).containsExactly(Kind.PRECONDITION_FAILED);
            assertThat(service.get(ADMIN, p.id())).isEqualTo(won.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteIsSoftAndHidesThePhaseEverywhere() throws SQLException {
        MaintenancePhase p = create("Gone", "full", T0.minusSeconds(60), T0.plusSeconds(60));
        service.delete(ADMIN, p.id(), OptionalLong.of(p.version()));

        assertThat(error(() -> service.get(ADMIN, p.id())).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(error(() -> service.delete(ADMIN, p.id(), OptionalLong.empty()))
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(service.list(ADMIN, MaintenanceQuery.all(), page(20, 0)).count())
                .isZero();
        assertThat(service.next(ADMIN)).isEmpty();
        assertThat(service.current(ADMIN)).isEmpty();
        assertThat(rows()).as("the row is kept, marked deleted").isEqualTo(1);
        assertThat(scalar("select count(*) from karyo_maintenance.maintenance_phase where deleted_at is not null"))
                .isEqualTo(1);
    }

    // ---------------------------------------------------------------- next / current

    @Test
    void nextIsEmptyWithoutPhases() {
        create("Past", "full", T0.minusSeconds(600), T0.minusSeconds(60));
        assertThat(service.next(ADMIN)).isEmpty();
        assertThat(service.current(ADMIN)).isEmpty();
    }

    @Test
    void nextIsTheUpcomingPhaseWithTheEarliestStart() {
        create("Past", "full", T0.minusSeconds(600), T0.minusSeconds(60));
        create("Later", "full", T0.plusSeconds(7200), T0.plusSeconds(9000));
        MaintenancePhase soon = create("Soon", "partial", T0.plusSeconds(600), T0.plusSeconds(99_000));
        assertThat(service.next(ADMIN)).contains(soon);
    }

    @Test
    void nextIsTheActivePhaseWithTheLatestEndEvenWhenAnotherStartsSooner() {
        create("Soon", "partial", T0.plusSeconds(10), T0.plusSeconds(20));
        MaintenancePhase a = create("A", "partial", T0.minusSeconds(600), T0.plusSeconds(300));
        MaintenancePhase b = create("B", "partial", T0.minusSeconds(60), T0.plusSeconds(900));
        MaintenancePhase c = create("C", "full", T0.minusSeconds(30), T0.plusSeconds(600));

        MaintenancePhase next = service.next(ADMIN).orElseThrow();
        assertThat(next.id()).isEqualTo(b.id());
        assertThat(next.active()).isTrue();
        assertThat(service.current(ADMIN)).extracting(MaintenancePhase::id).containsExactly(b.id(), c.id(), a.id());
    }

    // ---------------------------------------------------------------- list

    @Test
    void listFiltersByTimesTypeActiveAndSearch() {
        MaintenancePhase past = create("Past kernel update", "partial", T0.minusSeconds(7200), T0.minusSeconds(3600));
        MaintenancePhase now = create("Database UPGRADE", "full", T0.minusSeconds(60), T0.plusSeconds(60));
        MaintenancePhase later = create("Network upgrade", "partial", T0.plusSeconds(3600), T0.plusSeconds(7200));

        assertThat(ids(new MaintenanceQuery(T0.minusSeconds(60), null, Set.of(), null, null)))
                .containsExactly(later.id(), now.id());
        assertThat(ids(new MaintenanceQuery(null, T0.plusSeconds(60), Set.of(), null, null)))
                .containsExactly(now.id(), past.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(MaintenanceType.PARTIAL), null, null)))
                .containsExactly(later.id(), past.id());
        assertThat(ids(new MaintenanceQuery(
                        null, null, Set.of(MaintenanceType.PARTIAL, MaintenanceType.FULL), null, null)))
                .containsExactly(later.id(), now.id(), past.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), true, null))).containsExactly(now.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), false, null))).containsExactly(later.id(), past.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), null, "upgrade")))
                .containsExactly(later.id(), now.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), null, "  KERNEL ")))
                .containsExactly(past.id());
    }

    @Test
    void searchTreatsLikeWildcardsLiterally() {
        MaintenancePhase literal = create("Disk 100% full", "full", T0, T0.plusSeconds(1));
        create("Disk 1000 full", "full", T0, T0.plusSeconds(1));
        create("a_b", "full", T0, T0.plusSeconds(1));
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), null, "100%")))
                .containsExactly(literal.id());
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), null, "_"))).hasSize(1);
        assertThat(ids(new MaintenanceQuery(null, null, Set.of(), null, "\\"))).isEmpty();
    }

    @Test
    void aSearchWithANulCharacterOrTooLongIsNamedNotADatabaseError() {
        for (String search : List.of("a\0b", "x".repeat(MaintenanceServiceImpl.MAX_SEARCH + 1))) {
            KaryoException e = invalid(
                    () -> service.list(ADMIN, new MaintenanceQuery(null, null, Set.of(), null, search), page(20, 0)));
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("search");
        }
    }

    @Test
    void listOrdersAndPages() {
        MaintenancePhase b = create("b", "full", T0.plusSeconds(10), T0.plusSeconds(300));
        MaintenancePhase a = create("a", "full", T0.plusSeconds(20), T0.plusSeconds(100));
        MaintenancePhase c = create("c", "full", T0.plusSeconds(30), T0.plusSeconds(200));

        assertThat(ids(MaintenanceQuery.all()))
                .as("default: latest start first")
                .containsExactly(c.id(), a.id(), b.id());
        assertThat(service.list(
                                ADMIN,
                                MaintenanceQuery.all(),
                                new PageRequest(20, 0, List.of(new Sort("subject", false))))
                        .results())
                .extracting(MaintenancePhase::id)
                .containsExactly(a.id(), b.id(), c.id());
        PageRequest byEndDescending = new PageRequest(20, 0, List.of(new Sort("end_datetime", true)));
        assertThat(service.list(ADMIN, MaintenanceQuery.all(), byEndDescending).results())
                .extracting(MaintenancePhase::id)
                .containsExactly(b.id(), c.id(), a.id());

        Page<MaintenancePhase> second = service.list(ADMIN, MaintenanceQuery.all(), page(2, 2));
        assertThat(second.count()).isEqualTo(3);
        assertThat(second.limit()).isEqualTo(2);
        assertThat(second.offset()).isEqualTo(2);
        assertThat(second.results()).extracting(MaintenancePhase::id).containsExactly(b.id());
        assertThat(service.list(ADMIN, MaintenanceQuery.all(), page(2, 10)).results())
                .isEmpty();

        KaryoException e = invalid(() -> service.list(
                ADMIN, MaintenanceQuery.all(), new PageRequest(20, 0, List.of(new Sort("message", false)))));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("ordering");
    }

    @Test
    void aPageCarriesTheCountOfEveryMatchAndALimitAboveTheLargestPageIsNamed() {
        for (int i = 0; i < 5; i++) {
            create("p" + i, "partial", T0.plusSeconds(i), T0.plusSeconds(600));
        }
        Page<MaintenancePhase> page = service.list(ADMIN, MaintenanceQuery.all(), page(2, 4));
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.results()).hasSize(1);
        assertThat(service.list(ADMIN, MaintenanceQuery.all(), new PageRequest(2, 0, List.of()))
                        .results())
                .as("no ordering: the default, latest start first")
                .extracting(MaintenancePhase::subject)
                .containsExactly("p4", "p3");

        KaryoException e = invalid(
                () -> service.list(ADMIN, MaintenanceQuery.all(), page(MaintenanceServiceImpl.MAX_PAGE_SIZE + 1, -1)));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("limit", "offset");
    }

    // ---------------------------------------------------------------- the gate follows the writes

    @Test
    void theGateAppliesEveryCommittedWriteAtOnce() {
        GateRequest write = new GateRequest("POST", "/webcontent/contents", ADMIN);
        GateRequest read = new GateRequest("GET", "/webcontent/contents", ADMIN);
        assertThatCode(() -> gate.admit(write)).doesNotThrowAnyException();

        MaintenancePhase p = create("Now", "partial", T0, T0.plusSeconds(600));
        assertThat(error(() -> gate.admit(write)).kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThatCode(() -> gate.admit(read)).doesNotThrowAnyException();

        MaintenancePhase full = service.update(
                ADMIN, p.id(), new MaintenancePatch(null, null, "full", null, null), OptionalLong.empty());
        assertThat(error(() -> gate.admit(read)).extensions()).containsEntry("type", "full");

        service.update(ADMIN, p.id(), MaintenancePatch.endAt(T0), OptionalLong.of(full.version()));
        assertThatCode(() -> gate.admit(read)).doesNotThrowAnyException();
        assertThatCode(() -> gate.admit(write)).doesNotThrowAnyException();

        MaintenancePhase again = create("Again", "full", T0, T0.plusSeconds(600));
        assertThat(error(() -> gate.admit(read)).kind()).isEqualTo(Kind.UNAVAILABLE);
        service.delete(ADMIN, again.id(), OptionalLong.empty());
        assertThatCode(() -> gate.admit(read)).doesNotThrowAnyException();
    }

    @Test
    void aServiceAccountExemptFromMaintenancePassesEvenAFullPhase() {
        create("Now", "full", T0, T0.plusSeconds(600));
        Caller exempt = new Caller() {
            @Override
            public String id() {
                return "svc";
            }

            @Override
            public String getName() {
                return "svc";
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return false;
            }

            @Override
            public boolean maintenanceExempt() {
                return true;
            }
        };
        assertThat(error(() -> gate.admit(new GateRequest("PATCH", "/cohort/dated-measures/1", ADMIN)))
                        .kind())
                .isEqualTo(Kind.UNAVAILABLE);
        assertThatCode(() -> gate.admit(new GateRequest("PATCH", "/cohort/dated-measures/1", exempt)))
                .doesNotThrowAnyException();
    }

    @Test
    void everyCommittedWriteIsAuditedAndARolledBackOneIsNot() {
        MaintenancePhase p = create("Audited", "partial", T0, T0.plusSeconds(600));
        service.update(ADMIN, p.id(), MaintenancePatch.endAt(T0.plusSeconds(60)), OptionalLong.empty());
        service.delete(ADMIN, p.id(), OptionalLong.empty());
        uow.run(() -> {
            create("Rolled back", "full", T0, T0.plusSeconds(600));
            uow.setRollbackOnly();
        });
        assertThat(audit.actions())
                .containsExactly("maintenance.phase.create", "maintenance.phase.update", "maintenance.phase.delete");
        assertThat(audit.entries())
                .allSatisfy(e -> assertThat(e.event().objectId()).isEqualTo(Long.toString(p.id())));
    }

    @Test
    void aWriteRolledBackWithItsUnitOfWorkNeitherPersistsNorReachesTheGate() throws SQLException {
        uow.run(() -> {
            create("Rolled back", "full", T0, T0.plusSeconds(600));
            uow.setRollbackOnly();
        });
        assertThat(rows()).isZero();
        assertThatCode(() -> gate.admit(new GateRequest("GET", "/x", ADMIN))).doesNotThrowAnyException();
    }

    @Test
    void theLoaderReadsOnlyLivePhasesThatHaveNotEnded() {
        create("Past", "full", T0.minusSeconds(600), T0);
        MaintenancePhase current = create("Current", "partial", T0.minusSeconds(60), T0.plusSeconds(60));
        MaintenancePhase upcoming = create("Upcoming", "full", T0.plusSeconds(60), T0.plusSeconds(120));
        MaintenancePhase deleted = create("Deleted", "full", T0.plusSeconds(60), T0.plusSeconds(120));
        service.delete(ADMIN, deleted.id(), OptionalLong.empty());

        List<GatePhase> loaded = new SqlPhaseLoader(new Sql(ds, "maintenance")).unended(T0);
        assertThat(loaded).extracting(GatePhase::id).containsExactly(current.id(), upcoming.id());
        assertThat(loaded.get(0))
                .isEqualTo(new GatePhase(
                        current.id(),
                        "Current",
                        null,
                        MaintenanceType.PARTIAL,
                        T0.minusSeconds(60),
                        T0.plusSeconds(60)));
    }

    @Test
    void theDatabaseRefusesAStartAfterTheEndEvenWithoutTheService() {
        assertThatCode(() -> sql("insert into karyo_maintenance.maintenance_phase"
                        + " (subject, type, start_datetime, end_datetime)"
                        + " values ('x', 'partial', now() + interval '1 hour', now())"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("maintenance_phase_start_before_end");
    }

    // ---------------------------------------------------------------- helpers

    private MaintenancePhase create(String subject, String type, Instant start, Instant end) {
        return service.create(ADMIN, new NewMaintenancePhase(subject, null, type, start, end));
    }

    private List<Long> ids(MaintenanceQuery query) {
        return service.list(ADMIN, query, page(100, 0)).results().stream()
                .map(MaintenancePhase::id)
                .toList();
    }

    private static PageRequest page(int limit, int offset) {
        return new PageRequest(limit, offset, MaintenanceService.DEFAULT_ORDERING);
    }

    private static KaryoException error(Runnable call) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).as("a KaryoException").isNotNull();
        return e;
    }

    private static KaryoException invalid(Runnable call) {
        KaryoException e = error(call);
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        return e;
    }

    private static long rows() throws SQLException {
        return scalar("select count(*) from karyo_maintenance.maintenance_phase");
    }

    private static long scalar(String query) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
