package org.karyo.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.aries.jpa.template.JpaTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestDatabase;

/** The write helper against a real PostgreSQL: atomic writes with their audit entry, and the errors clients see. */
class WritesTest {

    private static final Caller EDITOR = TestCallers.withEveryRight("editor");

    private static TestDatabase db;
    private static JpaTemplate jpa;
    private static Sql sql;

    private RecordingAuditTrail audit;
    private Writes writes;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("things", WritesTest.class, "db/things");
        jpa = db.jpa("karyo-things");
        sql = new Sql(db.dataSource(), "things");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @BeforeEach
    void fresh() {
        audit = new RecordingAuditTrail(db.unitOfWork());
        writes = Writes.jpa(jpa, db.unitOfWork(), sql, audit)
                .onUnique("things_code_key", "code", "another thing already has this code");
        Writes.statements(db.unitOfWork(), sql, audit)
                .run("thing", tx -> tx.update("TRUNCATE karyo_things.tags, karyo_things.things, karyo_things.owners"));
        audit.clear();
    }

    private long create(String code) {
        return writes.write("thing", tx -> {
            ThingEntity t = tx.persist(new ThingEntity(code));
            tx.audit(EDITOR, AuditEvent.success("things.thing.create", "thing", t.id()));
            return t.id();
        });
    }

    private long count() {
        return sql.count("SELECT count(*) FROM karyo_things.things");
    }

    @Test
    void aWriteAndItsAuditEntryCommitTogether() {
        long id = create("a1");
        assertThat(audit.actions()).containsExactly("things.thing.create");
        assertThat(audit.entries().get(0).event().objectId()).isEqualTo(Long.toString(id));
        assertThat(sql.one("SELECT code FROM karyo_things.things WHERE id = ?", rs -> rs.getString(1), id))
                .contains("a1");
    }

    @Test
    void aFailureAfterTheFirstRowLeavesNoHalfWrite() {
        assertThatThrownBy(() -> writes.run("thing", tx -> {
                    tx.persist(new ThingEntity("b1"));
                    tx.update("INSERT INTO karyo_things.tags (thing_id, tag) VALUES (?, 'x')", -1L);
                }))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));
        assertThat(count()).isZero();
        assertThat(audit.entries()).isEmpty();
    }

    @Test
    void aKaryoExceptionInsideTheWorkRollsBackAndPropagatesUnchanged() {
        KaryoException refused = KaryoException.invalid("code", "must not be empty");
        assertThatThrownBy(() -> writes.run("thing", tx -> {
                    tx.persist(new ThingEntity("c1"));
                    throw refused;
                }))
                .isSameAs(refused);
        assertThat(count()).isZero();
    }

    @Test
    void aUniqueViolationIsAConflictNamingTheRegisteredField() {
        create("dup");
        assertThatThrownBy(() -> create("dup")).isInstanceOfSatisfying(KaryoException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(e.getMessage()).isEqualTo("another thing already has this code");
            assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field())
                    .isEqualTo("code"));
        });
        assertThat(count()).isEqualTo(1);
        assertThat(audit.actions()).containsExactly("things.thing.create");
    }

    @Test
    void aStatementWriteOfADuplicateIsAConflictToo() {
        create("s1");
        Writes plain = Writes.statements(db.unitOfWork(), sql, audit);
        assertThatThrownBy(() ->
                        plain.run("thing", tx -> tx.update("INSERT INTO karyo_things.things (code) VALUES ('s1')")))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("thing conflicts with one that already exists");
                });
    }

    @Test
    void aStaleIfMatchIsAPreconditionFailure() {
        long id = create("v1"); // EclipseLink's first version is 1
        writes.run("thing", tx -> tx.lock(ThingEntity.class, id, OptionalLong.of(1))
                .code("v2"));
        assertThatThrownBy(() -> writes.run("thing", tx -> tx.lock(ThingEntity.class, id, OptionalLong.of(1))
                        .code("v3")))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PRECONDITION_FAILED);
                    assertThat(e.getMessage()).contains("thing " + id);
                });
        assertThat(sql.one("SELECT code FROM karyo_things.things WHERE id = ?", rs -> rs.getString(1), id))
                .contains("v2");
    }

    @Test
    void aDeletedOrMissingEntityIsNotFound() {
        long id = create("d1");
        writes.run("thing", tx -> tx.lock(ThingEntity.class, id, OptionalLong.empty())
                .delete(Instant.now()));
        assertThatThrownBy(() -> writes.run("thing", tx -> tx.lock(ThingEntity.class, id, OptionalLong.empty())))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> writes.run("thing", tx -> tx.lock(ThingEntity.class, 987654L, OptionalLong.empty())))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.getMessage()).isEqualTo("thing 987654 does not exist"));
    }

    @Test
    void aConcurrentChangeWithoutLockingLosesWithAPreconditionFailure() throws Exception {
        long id = create("o1");
        CountDownLatch bothRead = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // both read version 1 without a lock, then both change it: the second flush meets a stale version
            Future<?>[] f = new Future<?>[2];
            for (int i = 0; i < 2; i++) {
                String code = "o" + (i + 2);
                f[i] = pool.submit(() -> writes.run("thing", tx -> {
                    ThingEntity t = tx.em().find(ThingEntity.class, id);
                    bothRead.countDown();
                    try {
                        bothRead.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    t.code(code);
                }));
            }
            int stale = 0;
            for (Future<?> each : f) {
                try {
                    each.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(KaryoException.class, k -> assertThat(k.kind())
                            .isEqualTo(Kind.PRECONDITION_FAILED));
                    stale++;
                }
            }
            assertThat(stale).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sql.one("SELECT version FROM karyo_things.things WHERE id = ?", rs -> rs.getLong(1), id))
                .contains(2L);
    }

    @Test
    void statementsAndReadsOfTheWriteSeeItsEntities() {
        long tags = writes.write("thing", tx -> {
            ThingEntity t = tx.persist(new ThingEntity("r1"));
            tx.update(
                    "INSERT INTO karyo_things.tags (thing_id, tag) SELECT ?, unnest(?::text[])",
                    t.id(),
                    new String[] {"x", "y"});
            return tx.sql().count("SELECT count(*) FROM karyo_things.tags WHERE thing_id = ?", t.id());
        });
        assertThat(tags).isEqualTo(2);
    }

    @Test
    void afterCommitRunsOnlyAfterACommit() {
        StringBuilder ran = new StringBuilder();
        writes.run("thing", tx -> {
            tx.persist(new ThingEntity("ac1"));
            tx.afterCommit(() -> ran.append("committed"));
        });
        assertThatThrownBy(() -> writes.run("thing", tx -> {
                    tx.afterCommit(() -> ran.append("-rolled back"));
                    throw KaryoException.conflict("no");
                }))
                .isInstanceOf(KaryoException.class);
        assertThat(ran).hasToString("committed");
    }
}
