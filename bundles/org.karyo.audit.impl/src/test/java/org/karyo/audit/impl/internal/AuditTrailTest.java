package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.audit.impl.internal.Fixtures.KEY;
import static org.karyo.audit.impl.internal.Fixtures.caller;
import static org.karyo.audit.impl.internal.Fixtures.count;
import static org.karyo.audit.impl.internal.Fixtures.sql;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditEvent.Outcome;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.VerifyReport;
import org.karyo.testing.TestDatabase;
import org.karyo.testing.TestTaskContext;

/** The audit trail on a real PostgreSQL, migrated by the module's own migration (connected as a superuser). */
class AuditTrailTest {

    private static final Caller ADMIN = caller("admin-1", true, null, false);
    private static final Caller ALICE = caller("u-alice", false, null, false);
    private static final List<Sort> OLDEST_FIRST = List.of(new Sort("seq", false));

    private static TestDatabase db;
    private static DataSource ds;
    private static UnitOfWork uow;

    @TempDir
    Path dir;

    private final Map<String, String> mdc = new ConcurrentHashMap<>();
    private AuditComponent audit;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("audit", AuditComponent.class, "db/audit");
        ds = db.dataSource();
        uow = db.unitOfWork();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTrail() throws SQLException {
        Fixtures.reset(ds);
        audit = component(KEY);
    }

    @AfterEach
    void stop() {
        audit.deactivate();
    }

    private AuditComponent component(byte[] key) {
        AuditSettings settings = new AuditSettings(Duration.ofMinutes(60), dir.resolve("audit/checkpoints.jsonl"), 100);
        return new AuditComponent(ds, uow, settings, key, new Fixtures.TickingClock(), mdc::get);
    }

    private List<AuditEntry> all() {
        return audit.list(ADMIN, AuditQuery.all(), new PageRequest(100, 0, OLDEST_FIRST))
                .results();
    }

    private void recordSome(int n) {
        for (int i = 1; i <= n; i++) {
            audit.record(
                    ALICE,
                    AuditEvent.success("content.content.update", "content", i).with("version", i));
        }
    }

    private Path checkpointFile() {
        return dir.resolve("audit/checkpoints.jsonl");
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    @Test
    void aScriptedSessionProducesExactlyTheExpectedEntriesAndAValidChain() throws SQLException {
        mdc.put("requestId", "req-1");
        mdc.put("clientIp", "10.0.0.7");
        uow.run(() -> audit.record(
                ALICE,
                AuditEvent.success("content.content.create", "content", 7).with("fields", "title,page")));
        mdc.clear();
        Caller impersonated = caller("u-bob", false, "admin-1", false);
        audit.record(impersonated, AuditEvent.failure("accesses.access.close", "access", 42L));
        Caller robot = caller("sa-etl", false, null, true);
        audit.record(
                robot,
                new AuditEvent(
                        "auth.token.use", null, null, Outcome.DENIED, Map.of("token_id", "t-9", "right", "a.b")));
        audit.record(
                Caller.ANONYMOUS,
                AuditEvent.failure("auth.login.failure", null, null).with("reason", "backoff"));

        List<AuditEntry> entries = all();

        assertThat(entries).hasSize(4);
        assertThat(entries)
                .extracting(
                        AuditEntry::seq,
                        AuditEntry::actorId,
                        AuditEntry::impersonatorId,
                        AuditEntry::serviceAccount,
                        AuditEntry::action,
                        AuditEntry::objectType,
                        AuditEntry::objectId,
                        AuditEntry::outcome,
                        AuditEntry::details,
                        AuditEntry::requestId,
                        AuditEntry::clientAddress)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                1L,
                                "u-alice",
                                null,
                                false,
                                "content.content.create",
                                "content",
                                "7",
                                Outcome.SUCCESS,
                                Map.of("fields", "title,page"),
                                "req-1",
                                "10.0.0.7"),
                        org.assertj.core.groups.Tuple.tuple(
                                2L,
                                "u-bob",
                                "admin-1",
                                false,
                                "accesses.access.close",
                                "access",
                                "42",
                                Outcome.FAILURE,
                                Map.of(),
                                null,
                                null),
                        org.assertj.core.groups.Tuple.tuple(
                                3L,
                                "sa-etl",
                                null,
                                true,
                                "auth.token.use",
                                null,
                                null,
                                Outcome.DENIED,
                                Map.of("right", "a.b", "token_id", "t-9"),
                                null,
                                null),
                        org.assertj.core.groups.Tuple.tuple(
                                4L,
                                "anonymous",
                                null,
                                false,
                                "auth.login.failure",
                                null,
                                null,
                                Outcome.FAILURE,
                                Map.of("reason", "backoff"),
                                null,
                                null));
        // times come from the clock, at PostgreSQL's precision, in order
        assertThat(entries.get(0).at()).isAfter(Fixtures.T0);
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).at()).isAfter(entries.get(i - 1).at());
            assertThat(entries.get(i).prevHash()).isEqualTo(entries.get(i - 1).hash());
        }
        assertThat(entries.get(0).prevHash()).isEqualTo("0".repeat(64));
        assertThat(entries).extracting(AuditEntry::hash).doesNotHaveDuplicates();
        assertThat(count(ds, "SELECT seq FROM karyo_audit.chain_head")).isEqualTo(4);

        VerifyReport report = audit.verify();
        assertThat(report).isEqualTo(VerifyReport.intact(4, 0, "no checkpoint file yet (" + checkpointFile() + ")"));
    }

    @Test
    void eightConcurrentWritersKeepOneLinearChain() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<List<Long>>> writers = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int t = 0; t < threads; t++) {
                String actor = "writer-" + t;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        uow.run(() -> audit.record(
                                caller(actor, false, null, false),
                                AuditEvent.success("test.item.write", "item", actor + "/" + n)));
                        mine.add(count(
                                ds, "SELECT max(seq) FROM karyo_audit.audit_log WHERE actor_id = '" + actor + "'"));
                    }
                    return mine;
                }));
            }
            // checkpoints taken while the writers run must fall on the chain as well
            Future<Integer> checkpointer = pool.submit(() -> {
                start.await();
                int written = 0;
                while (writing.get()) {
                    if (audit.checkpoint()) {
                        written++;
                    }
                    Thread.sleep(5);
                }
                return written;
            });
            // and verification while they run sees a consistent snapshot: never a false alarm
            Future<List<VerifyReport>> verifier = pool.submit(() -> {
                start.await();
                List<VerifyReport> reports = new ArrayList<>();
                while (writing.get()) {
                    reports.add(audit.verify());
                }
                return reports;
            });
            start.countDown();
            for (Future<List<Long>> w : writers) {
                assertThat(w.get(120, TimeUnit.SECONDS)).isSorted().doesNotHaveDuplicates();
            }
            writing.set(false);
            int checkpoints = checkpointer.get(30, TimeUnit.SECONDS);
            List<VerifyReport> duringWrites = verifier.get(30, TimeUnit.SECONDS);
            assertThat(duringWrites)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.ok()).as(r.toString()).isTrue());
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(count(ds, "SELECT count(*) FROM karyo_audit.audit_log")).isEqualTo(400);
            assertThat(count(ds, "SELECT count(DISTINCT seq) FROM karyo_audit.audit_log"))
                    .isEqualTo(400);
            assertThat(count(ds, "SELECT min(seq) FROM karyo_audit.audit_log")).isEqualTo(1);
            assertThat(count(ds, "SELECT max(seq) FROM karyo_audit.audit_log")).isEqualTo(400);
            VerifyReport report = audit.verify();
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.entries()).isEqualTo(400);
            assertThat(report.checkpointsChecked()).isEqualTo(checkpoints).isPositive();
            System.out.printf(
                    "audit: %d writers x %d entries in %d ms (%.2f ms per entry; %d checkpoints and %d verifications"
                            + " meanwhile)%n",
                    threads, perThread, elapsedMs, elapsedMs / 400.0, checkpoints, duringWrites.size());
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    @Test
    void aWriteThatRollsBackLeavesNoEntryAndNoGap() throws SQLException {
        recordSome(1);
        assertThatThrownBy(() -> uow.run(() -> {
                    audit.record(ALICE, AuditEvent.success("content.content.delete", "content", 1));
                    throw new IllegalStateException("the write failed");
                }))
                .hasMessage("the write failed");
        uow.run(() -> {
            audit.record(ALICE, AuditEvent.success("content.content.delete", "content", 2));
            uow.setRollbackOnly();
        });

        assertThat(count(ds, "SELECT count(*) FROM karyo_audit.audit_log")).isEqualTo(1);
        assertThat(count(ds, "SELECT seq FROM karyo_audit.chain_head")).isEqualTo(1);

        recordSome(1);
        assertThat(all()).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void anEventThatBreaksTheRulesFailsTheWholeUnitOfWorkAndWritesNothing() throws SQLException {
        assertThatThrownBy(() -> uow.run(() -> {
                    audit.record(ALICE, AuditEvent.success("auth.user.create", "user", "u-1"));
                    audit.record(
                            ALICE,
                            AuditEvent.success("auth.user.create", "user", "u-1")
                                    .with("password", "x"));
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'password'")
                .hasMessageNotContaining("=x");
        assertThatThrownBy(() -> audit.record(
                        ALICE,
                        AuditEvent.success("auth.user.create", "user", "u-1").with("note", "y".repeat(1001))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
        assertThat(count(ds, "SELECT count(*) FROM karyo_audit.audit_log")).isZero();
        assertThat(count(ds, "SELECT seq FROM karyo_audit.chain_head")).isZero();
    }

    // ---- append-only ---------------------------------------------------------------------------------------------

    @Test
    void theTriggerRefusesUpdateDeleteAndTruncateEvenToTheSuperuser() throws SQLException {
        recordSome(2);
        for (String statement : List.of(
                "UPDATE karyo_audit.audit_log SET object_id = 'x' WHERE seq = 1",
                "DELETE FROM karyo_audit.audit_log WHERE seq = 2",
                "TRUNCATE karyo_audit.audit_log")) {
            assertThatThrownBy(() -> sql(ds, statement))
                    .as(statement)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(count(ds, "SELECT count(*) FROM karyo_audit.audit_log WHERE object_id <> 'x'"))
                .isEqualTo(2);
        assertThat(audit.verify().ok()).isTrue();
    }

    // ---- verification --------------------------------------------------------------------------------------------

    @Test
    void anEmptyChainIsIntactUnlessItsHeadSaysOtherwise() throws Exception {
        assertThat(audit.verify())
                .isEqualTo(VerifyReport.intact(0, 0, "no checkpoint file yet (" + checkpointFile() + ")"));
        sql(ds, "UPDATE karyo_audit.chain_head SET seq = 2");
        VerifyReport report = audit.verify();
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(1);
        assertThat(report.reason()).contains("the chain head is at entry 2 but the last entry is 0");
    }

    @Test
    void verifyInsideAUnitOfWorkUsesItsConnectionAndSeesItsWrites() {
        recordSome(2);
        VerifyReport inside = uow.required(() -> {
            recordSome(1);
            return audit.verify();
        });
        assertThat(inside.ok()).isTrue();
        assertThat(inside.entries()).isEqualTo(3);
    }

    @Test
    void aModifiedRowIsDetectedAtExactlyItsSeq() throws SQLException {
        recordSome(5);
        Fixtures.tamper(ds, "UPDATE karyo_audit.audit_log SET object_id = '999' WHERE seq = 3");

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(3);
        assertThat(report.entries()).isEqualTo(2);
        assertThat(report.reason()).contains("entry 3", "modified");
    }

    @Test
    void aModifiedDetailOrTimeIsDetected() throws SQLException {
        recordSome(3);
        Fixtures.tamper(ds, "UPDATE karyo_audit.audit_log SET details = '{\"version\": \"7\"}' WHERE seq = 2");
        assertThat(audit.verify().firstBrokenSeq()).isEqualTo(2);

        Fixtures.reset(ds);
        recordSome(3);
        Fixtures.tamper(ds, "UPDATE karyo_audit.audit_log SET at = at + interval '1 microsecond' WHERE seq = 1");
        assertThat(audit.verify().firstBrokenSeq()).isEqualTo(1);
    }

    @Test
    void aDeletedRowIsDetectedAsAGap() throws SQLException {
        recordSome(5);
        Fixtures.tamper(ds, "DELETE FROM karyo_audit.audit_log WHERE seq = 2");

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(2);
        assertThat(report.entries()).isEqualTo(1);
        assertThat(report.reason()).contains("entry 2 is missing");
    }

    @Test
    void deletedLastRowsAreDetectedByTheChainHead() throws SQLException {
        recordSome(5);
        Fixtures.tamper(ds, "DELETE FROM karyo_audit.audit_log WHERE seq >= 4");

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(4);
        assertThat(report.reason()).contains("chain head", "deleted");
    }

    @Test
    void aRewrittenLinkIsDetected() throws SQLException {
        recordSome(4);
        Fixtures.tamper(
                ds, "UPDATE karyo_audit.audit_log SET prev_hash = decode(repeat('ab', 32), 'hex') WHERE seq = 3");

        VerifyReport report = audit.verify();

        assertThat(report.firstBrokenSeq()).isEqualTo(3);
        assertThat(report.reason()).contains("prev_hash");
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------------

    @Test
    void checkpointsAreSignedJsonLinesThatVerifyChecks() throws Exception {
        assertThat(audit.checkpoint()).as("an empty chain is not signed").isFalse();
        recordSome(3);
        assertThat(audit.checkpoint()).isTrue();
        assertThat(audit.checkpoint())
                .as("an unchanged head is not signed again")
                .isFalse();
        recordSome(2);
        assertThat(audit.checkpoint()).isTrue();

        List<String> lines = java.nio.file.Files.readAllLines(checkpointFile());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .matches("\\{\"seq\":3,\"hash\":\"[0-9a-f]{64}\",\"at\":\"[^\"]+\",\"hmac\":\"[0-9a-f]{64}\"}");
        assertThat(lines.get(1))
                .startsWith("{\"seq\":5,\"hash\":\"" + all().get(4).hash() + "\"");

        assertThat(audit.verify()).isEqualTo(VerifyReport.intact(5, 2, null));
    }

    @Test
    void anEditedCheckpointOrAnotherKeyIsAnHmacMismatch() throws Exception {
        recordSome(3);
        audit.checkpoint();
        String line = java.nio.file.Files.readString(checkpointFile());
        String hmac = line.substring(line.indexOf("\"hmac\":\"") + 8, line.lastIndexOf('"'));
        String forged = line.replace(hmac, hmac.substring(0, 63) + (hmac.endsWith("0") ? "1" : "0"));
        java.nio.file.Files.writeString(checkpointFile(), forged);

        VerifyReport report = audit.verify();
        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(3);
        assertThat(report.reason()).contains("HMAC");

        java.nio.file.Files.writeString(checkpointFile(), line);
        assertThat(audit.verify().ok()).isTrue();
        AuditComponent otherKey = component("another key of thirty-two bytes!".getBytes());
        assertThat(otherKey.verify().reason()).contains("HMAC");
    }

    @Test
    void aConsistentRewriteAfterACheckpointIsDetectedByIt() throws Exception {
        recordSome(3);
        audit.checkpoint();
        recordSome(2);
        audit.checkpoint();
        // the attacker changes entry 4 and recomputes the hashes of 4, 5 and the head: the chain itself is valid
        List<AuditEntry> entries = all();
        byte[] prev = HexFormat.of().parseHex(entries.get(2).hash());
        for (AuditEntry e : entries.subList(3, 5)) {
            AuditRow row = new AuditRow(
                    e.seq(),
                    e.at(),
                    e.actorId(),
                    e.impersonatorId(),
                    e.serviceAccount(),
                    e.action(),
                    e.objectType(),
                    e.seq() == 4 ? "forged" : e.objectId(),
                    e.outcome().name(),
                    new java.util.TreeMap<>(e.details()),
                    e.requestId(),
                    e.clientAddress(),
                    prev,
                    null);
            byte[] hash = ChainHash.of(row);
            Fixtures.tamper(
                    ds,
                    "UPDATE karyo_audit.audit_log SET object_id = '" + row.objectId() + "', prev_hash = decode('"
                            + HexFormat.of().formatHex(prev) + "', 'hex'), hash = decode('"
                            + HexFormat.of().formatHex(hash) + "', 'hex') WHERE seq = " + e.seq());
            prev = hash;
        }
        sql(
                ds,
                "UPDATE karyo_audit.chain_head SET hash = decode('"
                        + HexFormat.of().formatHex(prev) + "', 'hex')");
        AuditComponent noCheckpoints = component(null);
        assertThat(noCheckpoints.verify().ok())
                .as("without checkpoints the rewrite goes unnoticed")
                .isTrue();

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(5);
        assertThat(report.checkpointsChecked()).isEqualTo(1);
        assertThat(report.reason()).contains("entries after 3 up to 5 were rewritten");
    }

    @Test
    void removingTheTailAndRewindingTheHeadIsCaughtByALaterCheckpoint() throws Exception {
        recordSome(5);
        audit.checkpoint();
        String hash3 = all().get(2).hash();
        Fixtures.tamper(ds, "DELETE FROM karyo_audit.audit_log WHERE seq > 3");
        sql(ds, "UPDATE karyo_audit.chain_head SET seq = 3, hash = decode('" + hash3 + "', 'hex')");

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(4);
        assertThat(report.reason()).contains("covers entry 5 but the chain ends at 3");
    }

    @Test
    void anUnreadableCheckpointLineIsReported() throws Exception {
        recordSome(2);
        audit.checkpoint();
        java.nio.file.Files.writeString(checkpointFile(), "not json\n", java.nio.file.StandardOpenOption.APPEND);
        recordSome(1);

        VerifyReport report = audit.verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.firstBrokenSeq()).isEqualTo(3);
        assertThat(report.reason()).contains("line 2 is not a checkpoint");
    }

    @Test
    void withoutAKeyThereAreNoCheckpointsAndVerifySaysSo() throws Exception {
        AuditComponent keyless = component(null);
        recordSome(2);
        assertThat(keyless.checkpoint()).isFalse();
        keyless.deactivate();
        assertThat(checkpointFile()).doesNotExist();
        VerifyReport report = keyless.verify();
        assertThat(report.ok()).isTrue();
        assertThat(report.entries()).isEqualTo(2);
        assertThat(report.reason()).contains("no HMAC key", "KARYO_AUDIT_HMAC_KEY");
    }

    @Test
    void theCheckpointTaskSignsTheHeadAtEachRunAndDeactivationSignsTheLastOne() throws Exception {
        AuditComponent component = component(KEY);
        CheckpointTask task =
                new CheckpointTask(component::checkpoint, component.signsCheckpoints(), Duration.ofHours(1));
        TestTaskContext run = TestTaskContext.of(CheckpointTask.NAME);
        recordSome(2);

        task.run(run);
        assertThat(run.summary()).isEqualTo("signed the chain head");
        assertThat(java.nio.file.Files.readAllLines(checkpointFile()))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("{\"seq\":2,");
        task.run(run);
        assertThat(run.summary()).isEqualTo("the chain head was signed already");
        assertThat(java.nio.file.Files.readAllLines(checkpointFile())).hasSize(1);

        recordSome(1);
        component.deactivate();
        List<String> lines = java.nio.file.Files.readAllLines(checkpointFile());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("{\"seq\":3,");
        assertThat(component.verify().ok()).isTrue();
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    private void seedForQueries() {
        audit.record(ALICE, AuditEvent.success("auth.login.success", null, null)); // 1
        audit.record(ALICE, AuditEvent.success("content.content.create", "content", 7)); // 2
        audit.record(ADMIN, AuditEvent.success("content.content.update", "content", 7)); // 3
        audit.record(ADMIN, AuditEvent.failure("auth.login.failure", null, null)); // 4
        audit.record(ALICE, AuditEvent.success("auth.logout", null, null)); // 5
        audit.record(ADMIN, new AuditEvent("a_b.x.y", "content", "8", Outcome.DENIED, null)); // 6
        audit.record(ADMIN, new AuditEvent("axb.x.y", "content", "8", Outcome.DENIED, null)); // 7
    }

    private List<Long> seqs(AuditQuery q) {
        return audit.list(ADMIN, q, new PageRequest(100, 0, OLDEST_FIRST)).results().stream()
                .map(AuditEntry::seq)
                .toList();
    }

    @Test
    void listFiltersByActorActionObjectOutcomeAndTime() {
        seedForQueries();
        List<AuditEntry> entries = all();

        assertThat(seqs(new AuditQuery("u-alice", null, null, null, null, null, null)))
                .containsExactly(1L, 2L, 5L);
        assertThat(seqs(new AuditQuery(null, "auth.login.failure", null, null, null, null, null)))
                .containsExactly(4L);
        assertThat(seqs(new AuditQuery(null, "auth.login.*", null, null, null, null, null)))
                .containsExactly(1L, 4L);
        assertThat(seqs(new AuditQuery(null, "auth.*", null, null, null, null, null)))
                .containsExactly(1L, 4L, 5L);
        assertThat(seqs(new AuditQuery(null, "a_b.*", null, null, null, null, null)))
                .as("_ is not a wildcard")
                .containsExactly(6L);
        assertThat(seqs(new AuditQuery(null, "*", null, null, null, null, null)))
                .hasSize(7);
        assertThat(seqs(new AuditQuery(null, null, "content", "7", null, null, null)))
                .containsExactly(2L, 3L);
        assertThat(seqs(new AuditQuery(null, null, null, null, Outcome.DENIED, null, null)))
                .containsExactly(6L, 7L);
        assertThat(seqs(new AuditQuery(
                        null,
                        null,
                        null,
                        null,
                        null,
                        entries.get(2).at(),
                        entries.get(4).at())))
                .as("from inclusive, to exclusive")
                .containsExactly(3L, 4L);
        assertThat(seqs(new AuditQuery("admin-1", "auth.*", null, null, Outcome.FAILURE, null, null)))
                .containsExactly(4L);
    }

    @Test
    void listIsNewestFirstByDefaultAndPagesWithACount() {
        seedForQueries();
        var first = audit.list(ADMIN, AuditQuery.all(), new PageRequest(3, 0, AuditQuery.DEFAULT_ORDERING));
        assertThat(first.count()).isEqualTo(7);
        assertThat(first.results()).extracting(AuditEntry::seq).containsExactly(7L, 6L, 5L);
        var third = audit.list(ADMIN, AuditQuery.all(), new PageRequest(3, 6, AuditQuery.DEFAULT_ORDERING));
        assertThat(third.count()).isEqualTo(7);
        assertThat(third.results()).extracting(AuditEntry::seq).containsExactly(1L);
        var beyond = audit.list(
                ADMIN,
                new AuditQuery("u-alice", null, null, null, null, null, null),
                new PageRequest(3, 10, AuditQuery.DEFAULT_ORDERING));
        assertThat(beyond.count()).isEqualTo(3);
        assertThat(beyond.results()).isEmpty();
    }

    @Test
    void listNeedsFullAdminAndChecksItsPaging() {
        seedForQueries();
        assertThatThrownBy(() -> audit.list(ALICE, AuditQuery.all(), null))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> audit.list(
                        ADMIN,
                        new AuditQuery(null, "auth.*.failure", null, null, null, Fixtures.T0, Fixtures.T0),
                        new PageRequest(101, 0, AuditQuery.DEFAULT_ORDERING)))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors())
                            .extracting(org.karyo.api.FieldError::field)
                            .containsExactlyInAnyOrder("limit", "action", "to");
                });
        assertThat(audit.list(ADMIN, null, null).results()).hasSize(7);
    }

    @Test
    void listReturnsEveryFieldOfAnEntry() {
        mdc.putAll(new HashMap<>(Map.of("requestId", "r-9", "clientIp", "2001:db8::1")));
        audit.record(
                caller("u-carol", false, "admin-1", true),
                AuditEvent.success("auth.user.disable", "user", "u-dave").with("by", "console"));
        AuditEntry e = all().get(0);
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.impersonatorId()).isEqualTo("admin-1");
        assertThat(e.serviceAccount()).isTrue();
        assertThat(e.requestId()).isEqualTo("r-9");
        assertThat(e.clientAddress()).isEqualTo("2001:db8::1");
        assertThat(e.details()).isEqualTo(Map.of("by", "console"));
        assertThat(e.hash()).hasSize(64).isNotEqualTo(e.prevHash());
    }
}
