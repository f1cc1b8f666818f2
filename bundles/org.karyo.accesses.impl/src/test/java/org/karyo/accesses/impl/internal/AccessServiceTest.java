package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewAccess;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.Profile;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;

/** Access writes and lists: Cohort360's date rules, NOT_FOUND vs FORBIDDEN, scope filtering in SQL, counters. */
class AccessServiceTest {

    private static final PageRequest ALL = new PageRequest(1000, 0, List.of());
    private static TestEnv env;

    @BeforeAll
    static void database() {
        env = new TestEnv();
    }

    @AfterAll
    static void drop() {
        env.close();
    }

    @BeforeEach
    void fixture() {
        env.reset();
        env.tree();
        env.roles();
    }

    private Instant now() {
        return env.clock.instant();
    }

    private static NewAccess grant(String username, long role, long perimeter, Instant start, Instant end) {
        return new NewAccess(
                Optional.of(username),
                Optional.empty(),
                role,
                perimeter,
                Optional.ofNullable(start),
                Optional.ofNullable(end));
    }

    private NewAccess grant(String username, String role, String perimeter) {
        return grant(username, env.roleId(role), env.id(perimeter), null, null);
    }

    private static KaryoException failure(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e;
        }
        throw new AssertionError("expected a KaryoException");
    }

    private static void assertKind(Runnable r, Kind kind, String... fields) {
        KaryoException e = failure(r);
        assertThat(e.kind()).isEqualTo(kind);
        if (fields.length > 0) {
            assertThat(e.errors()).extracting(FieldError::field).contains(fields);
        }
    }

    private AccessQuery query(Long perimeter, boolean parents, boolean children) {
        return new AccessQuery(
                Optional.ofNullable(perimeter),
                parents,
                children,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    // ---- create ---------------------------------------------------------------------------------------------------

    @Test
    void createDefaultsDatesMakesAManualProfileAndIsAudited() {
        Caller manager = managerOn("P0");
        env.user("newcomer");
        Access a = env.accesses.create(manager, grant("newcomer", "DATA NOMI READER", "P4"));

        assertThat(a.start()).isEqualTo(now());
        assertThat(a.end()).isEqualTo(now().plus(Duration.ofDays(365)));
        assertThat(a.valid()).isTrue();
        assertThat(a.editable()).isTrue();
        assertThat(a.username()).isEqualTo("newcomer");
        assertThat(a.userId()).isEqualTo(env.user("newcomer").id());
        assertThat(a.roleName()).isEqualTo("DATA NOMI READER");
        assertThat(a.perimeterName()).contains("P4");
        assertThat(a.source()).isEqualTo("Manual");
        assertThat(a.createdBy()).contains(manager.id());
        assertThat(a.updatedBy()).contains(manager.id());
        Profile profile = env.sql
                .one("SELECT * FROM karyo_accesses.profiles WHERE id = ?", ProfileServiceImpl::profile, a.profileId())
                .orElseThrow();
        assertThat(profile.source()).isEqualTo("Manual");
        assertThat(profile.active()).isTrue();
        assertThat(profile.userId()).isEqualTo(a.userId());

        assertThat(env.audit.actions()).containsExactly("accesses.profile.create", "accesses.access.create");
        AuditEvent event = env.audit.last().event();
        assertThat(event.objectId()).isEqualTo(String.valueOf(a.id()));
        assertThat(event.details())
                .containsEntry("role_id", String.valueOf(env.roleId("DATA NOMI READER")))
                .containsEntry("perimeter_id", String.valueOf(env.id("P4")))
                .containsEntry("user_id", a.userId());
        assertThat(env.audit.last().actorId()).isEqualTo(manager.id());

        // the new access counts at once (the cache was dropped after commit), and a second one reuses the profile
        assertThat(env.caller("newcomer").hasRightOn(AccessRights.READ_PATIENT_NOMINATIVE, env.id("P12")))
                .isTrue();
        env.audit.clear();
        Access b = env.accesses.create(manager, grant("newcomer", "DATA PSEUDO READER", "P5"));
        assertThat(b.profileId()).isEqualTo(a.profileId());
        assertThat(env.audit.actions()).containsExactly("accesses.access.create");
    }

    /** Cohort360's response cache, for the list: what the module writes shows at once, other changes after the TTL. */
    @Test
    void aListPageIsKeptUntilTheModuleWritesOrTheCacheTtlPasses() {
        Caller manager = managerOn("P0");
        long before = env.accesses.list(manager, AccessQuery.ALL, ALL).count();

        // a change outside the module (another node, a SQL console): the page read a moment ago is still served
        long profile = env.count("SELECT id FROM karyo_accesses.profiles ORDER BY id LIMIT 1");
        env.sql("INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime, end_datetime)"
                + " VALUES (" + profile + ", " + env.roleId("DATA NOMI READER") + ", " + env.id("P4")
                + ", now(), now() + interval '1 day')");
        assertThat(env.accesses.list(manager, AccessQuery.ALL, ALL).count()).isEqualTo(before);
        // ... until the TTL (5 s here) has passed
        env.clock.set(env.clock.instant().plusSeconds(5));
        assertThat(env.accesses.list(manager, AccessQuery.ALL, ALL).count()).isEqualTo(before + 1);

        // a write of the module drops the cached pages after its commit
        env.user("newcomer");
        env.accesses.create(manager, grant("newcomer", "DATA PSEUDO READER", "P5"));
        assertThat(env.accesses.list(manager, AccessQuery.ALL, ALL).count()).isEqualTo(before + 2);
    }

    /** Issue 10 §3: granting the same access twice made two overlapping accesses without a word. */
    @Test
    void anIdenticalOverlappingAccessIsRefusedNamingTheExistingOne() {
        Caller manager = managerOn("P0");
        env.user("twice");
        Access first = env.accesses.create(manager, grant("twice", "DATA NOMI READER", "P4"));

        KaryoException again = failure(() -> env.accesses.create(manager, grant("twice", "DATA NOMI READER", "P4")));
        assertThat(again.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(again.getMessage()).contains("access " + first.id()).contains("already has");
        assertThat(again.extensions()).containsEntry("existing_access_id", first.id());
        // a later period that overlaps is the same access too
        assertKind(
                () -> env.accesses.create(
                        manager,
                        grant(
                                "twice",
                                env.roleId("DATA NOMI READER"),
                                env.id("P4"),
                                now().plus(Duration.ofDays(300)),
                                now().plus(Duration.ofDays(400)))),
                Kind.CONFLICT);
        // another role, another perimeter, or a period after the first one ends: allowed
        env.accesses.create(manager, grant("twice", "DATA PSEUDO READER", "P4"));
        env.accesses.create(manager, grant("twice", "DATA NOMI READER", "P5"));
        env.accesses.create(
                manager,
                grant(
                        "twice",
                        env.roleId("DATA NOMI READER"),
                        env.id("P4"),
                        first.end(),
                        first.end().plus(Duration.ofDays(30))));
        assertThat(env.count(
                        "SELECT count(*) FROM karyo_accesses.accesses WHERE deleted_at IS NULL AND profile_id = ?",
                        first.profileId()))
                .isEqualTo(4);
    }

    /** Issue 10 §3: {@code GET /api/users?with_access=true} listed every user; its holders come from here. */
    @Test
    void accessHoldersAreTheUsersWithAnAccessValidNow() {
        AccessHoldersImpl holders = new AccessHoldersImpl(env.store, env.settings);
        Caller manager = managerOn("P0");
        env.user("current");
        env.user("future");
        env.user("closed");
        env.user("none");
        env.accesses.create(manager, grant("current", "DATA NOMI READER", "P4"));
        env.accesses.create(
                manager,
                grant("future", env.roleId("DATA NOMI READER"), env.id("P4"), now().plus(Duration.ofDays(2)), null));
        Access toClose = env.accesses.create(manager, grant("closed", "DATA NOMI READER", "P5"));
        env.clock.advance(Duration.ofMinutes(1));
        env.accesses.close(manager, toClose.id());

        assertThat(holders.userIdsWithCurrentAccess())
                .contains(env.user("current").id())
                .doesNotContain(
                        env.user("future").id(),
                        env.user("closed").id(),
                        env.user("none").id());
        env.clock.advance(Duration.ofDays(3));
        assertThat(holders.userIdsWithCurrentAccess())
                .contains(env.user("future").id());
    }

    @Test
    void theDefaultValidityIsConfigurable() {
        AccessServiceImpl tenDays = new AccessServiceImpl(
                env.store, env.resolver, env.users, Fakes.settings(env.clock, Map.of("access_validity_days", 10)));
        Instant start = now().plus(Duration.ofDays(1));
        env.user("u");
        Access a =
                tenDays.create(managerOn("P0"), grant("u", env.roleId("DATA NOMI READER"), env.id("P0"), start, null));
        assertThat(a.start()).isEqualTo(start);
        assertThat(a.end()).isEqualTo(start.plus(Duration.ofDays(10)));
        assertThat(a.valid()).isFalse();
    }

    @Test
    void datesMayNotBeInThePastBeyondTenSecondsNorEndBeforeStart() {
        Caller manager = managerOn("P0");
        env.user("u");
        long role = env.roleId("DATA NOMI READER");
        long p0 = env.id("P0");
        assertKind(
                () -> env.accesses.create(manager, grant("u", role, p0, now().minusSeconds(11), null)),
                Kind.INVALID,
                "start_datetime");
        assertKind(
                () -> env.accesses.create(manager, grant("u", role, p0, null, now().minusSeconds(11))),
                Kind.INVALID,
                "end_datetime");
        assertKind(
                () -> env.accesses.create(manager, grant("u", role, p0, now().plusSeconds(100), now().plusSeconds(50))),
                Kind.INVALID,
                "end_datetime");
        assertThat(env.accesses
                        .create(manager, grant("u", role, p0, now().minusSeconds(9), null))
                        .valid())
                .isTrue();
        assertThat(env.audit.actions()).containsOnlyOnce("accesses.access.create");
    }

    @Test
    void aNodeOutsideWhatTheCallerSeesIsNotFoundAVisibleButUnmanageableOneForbidden() {
        Caller manager = managerOn("P4"); // data-access manager on P4 (same + inferior levels)
        env.user("u");
        // a sibling: unknown to the caller
        assertKind(() -> env.accesses.create(manager, grant("u", "DATA NOMI READER", "P5")), Kind.NOT_FOUND);
        assertKind(() -> env.accesses.create(manager, grant("u", "DATA NOMI READER", "P13")), Kind.NOT_FOUND);
        assertKind(
                () -> env.accesses.create(manager, grant("u", env.roleId("DATA NOMI READER"), 999_999, null, null)),
                Kind.NOT_FOUND);
        // an ancestor: visible, not manageable
        assertKind(() -> env.accesses.create(manager, grant("u", "DATA NOMI READER", "P0")), Kind.FORBIDDEN);
        // its own node, but a role that needs more
        assertKind(() -> env.accesses.create(manager, grant("u", "ADMIN ACCESSES MANAGER", "P4")), Kind.FORBIDDEN);
        assertKind(() -> env.accesses.create(manager, grant("u", "DATA ACCESSES MANAGER", "P11")), Kind.FORBIDDEN);
        // what it may do
        assertThat(env.accesses
                        .create(manager, grant("u", "DATA NOMI READER", "P11"))
                        .editable())
                .isTrue();
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.accesses")).isEqualTo(2); // the manager's and this
    }

    @Test
    void theUserRoleAndProfileMustExist() {
        Caller admin = env.admin();
        assertKind(
                () -> env.accesses.create(admin, grant("ghost", "DATA NOMI READER", "P1")), Kind.INVALID, "username");
        env.user("u");
        assertKind(
                () -> env.accesses.create(admin, grant("u", 424_242, env.id("P1"), null, null)),
                Kind.INVALID,
                "role_id");
        assertKind(
                () -> env.accesses.create(
                        admin,
                        new NewAccess(
                                Optional.empty(),
                                Optional.of(424_242L),
                                env.roleId("DATA NOMI READER"),
                                env.id("P1"),
                                Optional.empty(),
                                Optional.empty())),
                Kind.INVALID,
                "profile_id");
        assertKind(
                () -> env.accesses.create(
                        admin,
                        new NewAccess(
                                Optional.of("u"),
                                Optional.of(1L),
                                env.roleId("DATA NOMI READER"),
                                env.id("P1"),
                                Optional.empty(),
                                Optional.empty())),
                Kind.INVALID,
                "profile_id");
        assertKind(
                () -> env.accesses.create(
                        admin,
                        new NewAccess(
                                Optional.empty(),
                                Optional.empty(),
                                env.roleId("DATA NOMI READER"),
                                env.id("P1"),
                                Optional.empty(),
                                Optional.empty())),
                Kind.INVALID,
                "username");
        // by profile id
        long profile = env.count("SELECT id FROM karyo_accesses.profiles WHERE username = 'root-admin'");
        Access a = env.accesses.create(
                admin,
                new NewAccess(
                        Optional.empty(),
                        Optional.of(profile),
                        env.roleId("DATA NOMI READER"),
                        env.id("P1"),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(a.username()).isEqualTo("root-admin");
        assertKind(
                () -> env.accesses.create(Caller.ANONYMOUS, grant("u", "DATA NOMI READER", "P1")),
                Kind.UNAUTHENTICATED);
    }

    // ---- patch, close, delete ---------------------------------------------------------------------------------------

    @Test
    void patchChangesDatesOnlyUnderCohort360sRules() {
        Caller manager = managerOn("P0");
        long future = env.grant(
                "u", "DATA NOMI READER", "P3", now().plus(Duration.ofDays(1)), now().plus(Duration.ofDays(5)));
        long running = env.grant(
                "u", "DATA NOMI READER", "P5", now().minus(Duration.ofDays(1)), now().plus(Duration.ofDays(5)));

        assertKind(() -> env.accesses.patchDates(manager, future, Optional.empty(), Optional.empty()), Kind.INVALID);
        Access moved = env.accesses.patchDates(
                manager,
                future,
                Optional.of(now().plus(Duration.ofDays(2))),
                Optional.of(now().plus(Duration.ofDays(9))));
        assertThat(moved.start()).isEqualTo(now().plus(Duration.ofDays(2)));
        assertThat(moved.end()).isEqualTo(now().plus(Duration.ofDays(9)));
        assertThat(moved.updatedBy()).contains(manager.id());
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.access.update");

        // the start of a running access has passed: it cannot change; its end can, not into the past
        assertKind(
                () -> env.accesses.patchDates(manager, running, Optional.of(now().plusSeconds(60)), Optional.empty()),
                Kind.INVALID,
                "start_datetime");
        assertKind(
                () -> env.accesses.patchDates(manager, running, Optional.empty(), Optional.of(now().minusSeconds(60))),
                Kind.INVALID,
                "end_datetime");
        assertKind(
                () -> env.accesses.patchDates(
                        manager, future, Optional.empty(), Optional.of(now().plus(Duration.ofHours(1)))),
                Kind.INVALID,
                "end_datetime"); // before its start
        assertThat(env.accesses
                        .patchDates(manager, running, Optional.empty(), Optional.of(now().plus(Duration.ofDays(30))))
                        .end())
                .isEqualTo(now().plus(Duration.ofDays(30)));
        // sending the unchanged past start along is fine
        Instant runningStart = env.accesses.get(manager, running).start();
        assertThat(env.accesses
                        .patchDates(
                                manager,
                                running,
                                Optional.of(runningStart),
                                Optional.of(now().plus(Duration.ofDays(31))))
                        .end())
                .isEqualTo(now().plus(Duration.ofDays(31)));

        // an ended access cannot change at all
        long ended = env.grant(
                "u", "DATA NOMI READER", "P5", now().minus(Duration.ofDays(3)), now().minus(Duration.ofDays(1)));
        assertKind(
                () -> env.accesses.patchDates(
                        manager, ended, Optional.empty(), Optional.of(now().plus(Duration.ofDays(1)))),
                Kind.INVALID,
                "end_datetime");
        // others' accesses are unknown
        long elsewhere = env.grant("u", "DATA NOMI READER", "P1");
        assertKind(
                () -> env.accesses.patchDates(manager, elsewhere, Optional.empty(), Optional.of(now().plusSeconds(99))),
                Kind.NOT_FOUND);
    }

    @Test
    void closeEndsARunningAccessOnly() {
        Caller manager = managerOn("P0");
        long running = env.grant("u", "DATA NOMI READER", "P3", now().minusSeconds(60), now().plus(Duration.ofDays(5)));
        long future = env.grant("u", "DATA NOMI READER", "P3", now().plusSeconds(60), now().plus(Duration.ofDays(5)));
        assertThat(env.caller("u").hasRight(AccessRights.READ_PATIENT_NOMINATIVE))
                .isTrue();

        Access closed = env.accesses.close(manager, running);
        assertThat(closed.end()).isEqualTo(now());
        assertThat(closed.valid()).isFalse();
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.access.close");
        assertThat(env.caller("u").hasRight(AccessRights.READ_PATIENT_NOMINATIVE))
                .isFalse();

        assertKind(() -> env.accesses.close(manager, running), Kind.INVALID, "end_datetime");
        assertKind(() -> env.accesses.close(manager, future), Kind.INVALID, "start_datetime");
        assertKind(() -> env.accesses.close(managerOn("P1"), future), Kind.NOT_FOUND);
    }

    @Test
    void deleteOnlyBeforeTheStart() {
        Caller manager = managerOn("P0");
        long started = env.grant(
                "u", "DATA NOMI/PSEUDO READER", "P5", now().minus(Duration.ofDays(1)), now().plus(Duration.ofDays(10)));
        long future = env.grant(
                "u", "DATA NOMI/PSEUDO READER", "P5", now().plus(Duration.ofDays(1)), now().plus(Duration.ofDays(10)));
        assertKind(() -> env.accesses.delete(manager, started), Kind.INVALID, "start_datetime");
        env.accesses.delete(manager, future);
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.access.delete");
        assertThat(env.count(
                        "SELECT count(*) FROM karyo_accesses.accesses WHERE id = ? AND deleted_at IS NOT NULL", future))
                .isEqualTo(1);
        assertKind(() -> env.accesses.get(manager, future), Kind.NOT_FOUND);
        assertKind(() -> env.accesses.delete(manager, future), Kind.NOT_FOUND);
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        Caller manager = managerOn("P0");
        long future = env.grant(
                "u", "DATA NOMI READER", "P3", now().plus(Duration.ofDays(1)), now().plus(Duration.ofDays(5)));
        env.audit.clear();
        assertKind(
                () -> env.accesses.patchDates(
                        manager, future, Optional.of(now().plus(Duration.ofDays(9))), Optional.empty()),
                Kind.INVALID);
        assertThat(env.audit.entries()).isEmpty();
        assertThat(env.accesses.get(manager, future).start()).isEqualTo(now().plus(Duration.ofDays(1)));
    }

    // ---- list -------------------------------------------------------------------------------------------------------

    @Test
    void listsOnlyAccessesWhereTheCallerManagesAndNeverASiblings() {
        Caller manager = managerOn("P0");
        long onP0 = env.count("SELECT id FROM karyo_accesses.accesses");
        long onP4 = env.grant("u", "DATA NOMI READER", "P4");
        long onP12 = env.grant("v", "DATA PSEUDO READER", "P12");
        long onP1 = env.grant("u", "DATA NOMI READER", "P1"); // a sibling branch
        long onRoot = env.grant("v", "DATA NOMI READER", "APHP");
        env.grant("w", "DATA NOMI READER", null); // no perimeter

        Page<Access> page = env.accesses.list(manager, AccessQuery.ALL, ALL);
        assertThat(page.results()).extracting(Access::id).containsExactlyInAnyOrder(onP0, onP4, onP12);
        assertThat(page.count()).isEqualTo(3);
        // filters never widen the scope
        AccessQuery byUser = new AccessQuery(
                Optional.empty(),
                false,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.of(env.user("u").id()),
                Optional.empty(),
                Optional.empty());
        assertThat(env.accesses.list(manager, byUser, ALL).results())
                .extracting(Access::id)
                .containsExactly(onP4);
        assertKind(() -> env.accesses.list(manager, query(env.id("P1"), true, true), ALL), Kind.NOT_FOUND);
        assertKind(() -> env.accesses.get(manager, onP1), Kind.NOT_FOUND);
        assertKind(() -> env.accesses.get(manager, onRoot), Kind.NOT_FOUND);

        // a full administrator sees all seven (with its own and the one without perimeter)
        assertThat(env.accesses.list(env.admin(), AccessQuery.ALL, ALL).count()).isEqualTo(7);
        // no management right: forbidden
        assertKind(() -> env.accesses.list(env.caller("u"), AccessQuery.ALL, ALL), Kind.FORBIDDEN);
    }

    @Test
    void listOnAPerimeterWithParentsAndChildren() {
        Caller manager = managerOn("P0");
        long onP4 = env.grant("u", "DATA NOMI READER", "P4");
        long onP11 = env.grant("v", "DATA PSEUDO READER", "P11");
        long rootReader = env.grant("w", "DATA NOMI READER", "APHP"); // inherited rights reach P4
        env.grant("w", "DATA ACCESSES MANAGER ON SAME LEVEL", "APHP"); // local: does not reach P4
        long p0Manager = env.count("SELECT min(id) FROM karyo_accesses.accesses");
        long ended = env.grant("v", "DATA NOMI READER", "P4", now().minus(Duration.ofDays(2)), now().minusSeconds(5));

        assertThat(env.accesses
                        .list(manager, query(env.id("P4"), false, false), ALL)
                        .results())
                .extracting(Access::id)
                .containsExactly(onP4); // valid ones only
        assertThat(env.accesses
                        .list(manager, query(env.id("P4"), false, true), ALL)
                        .results())
                .extracting(Access::id)
                .containsExactlyInAnyOrder(onP4, onP11);
        List<Access> withParents = env.accesses
                .list(manager, query(env.id("P4"), true, false), ALL)
                .results();
        assertThat(withParents).extracting(Access::id).containsExactlyInAnyOrder(onP4, rootReader, p0Manager);
        assertThat(withParents)
                .filteredOn(a -> a.id() == rootReader)
                .singleElement()
                .returns(false, Access::editable);
        // asking for ended ones explicitly
        AccessQuery endedOnes = new AccessQuery(
                Optional.of(env.id("P4")),
                false,
                false,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(false));
        assertThat(env.accesses.list(manager, endedOnes, ALL).results())
                .extracting(Access::id)
                .containsExactly(ended);
    }

    @Test
    void listPagesAndOrders() {
        Caller admin = env.admin();
        for (String p : List.of("P1", "P2", "P3", "P4")) {
            env.grant("u" + p, "DATA NOMI READER", p);
        }
        Page<Access> page = env.accesses.list(
                admin, AccessQuery.ALL, new PageRequest(2, 1, List.of(new Sort("perimeter_name", true))));
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.results())
                .extracting(a -> a.perimeterName().orElseThrow())
                .containsExactly("P3", "P2");
        assertThat(env.accesses
                        .list(admin, AccessQuery.ALL, new PageRequest(2, 10, List.of()))
                        .results())
                .isEmpty();
        assertThat(env.accesses
                        .list(admin, AccessQuery.ALL, new PageRequest(2, 10, List.of()))
                        .count())
                .isEqualTo(5);
        assertKind(
                () -> env.accesses.list(admin, AccessQuery.ALL, new PageRequest(2, 0, List.of(new Sort("x", false)))),
                Kind.INVALID,
                "ordering");
        assertThat(env.accesses
                        .list(admin, AccessQuery.ALL, new PageRequest(9, 0, List.of(new Sort("is_valid", true))))
                        .count())
                .isEqualTo(5);
    }

    // ---- my accesses ------------------------------------------------------------------------------------------------

    @Test
    void myAccessesAreTheValidOnesAndExpiringKeepsTheEarliestPerPerimeter() {
        long longOne =
                env.grant("y", "DATA NOMI/PSEUDO READER", "P8", now().minusSeconds(5), now().plus(Duration.ofDays(90)));
        long soon = env.grant("y", "DATA NOMI READER", "P9", now().minusSeconds(5), now().plus(Duration.ofDays(29)));
        env.grant("y", "DATA PSEUDO READER", "P9", now().minusSeconds(5), now().plus(Duration.ofDays(20)));
        long sooner = env.count("SELECT max(id) FROM karyo_accesses.accesses");
        env.grant("y", "DATA NOMI READER", "P7", now().minus(Duration.ofDays(2)), now().minus(Duration.ofDays(1)));
        env.grant("y", "DATA NOMI READER", "P6", now().plus(Duration.ofDays(2)), now().plus(Duration.ofDays(3)));
        env.grant("other", "DATA NOMI READER", "P6");

        Caller y = env.caller("y");
        assertThat(env.accesses.myAccesses(y, false))
                .extracting(Access::id)
                .containsExactlyInAnyOrder(longOne, soon, sooner);
        assertThat(env.accesses.myAccesses(y, true)).extracting(Access::id).containsExactly(sooner);
        assertThat(env.accesses.myAccesses(env.caller("nobody"), true)).isEmpty();
    }

    @Test
    void endingBetweenListsValidAccessesEndingInTheWindow() {
        long inWindow = env.grant("y", "DATA NOMI READER", "P9", now().minusSeconds(5), now().plus(Duration.ofDays(2)));
        env.grant("y", "DATA NOMI READER", "P8", now().minusSeconds(5), now().plus(Duration.ofDays(40)));
        assertThat(env.accesses.endingBetween(now().plus(Duration.ofDays(1)), now().plus(Duration.ofDays(3))))
                .extracting(Access::id)
                .containsExactly(inWindow);
    }

    // ---- counters ---------------------------------------------------------------------------------------------------

    private Perimeter perimeter(String name) {
        return env.perimeters.get(env.admin(), env.id(name));
    }

    @Test
    void userCountersFollowAccessWrites() {
        Caller admin = env.admin(); // root-admin: full admin on APHP, a role that also reads patient data (inherited)
        List.of("a", "b", "c", "d").forEach(env::user);
        env.accesses.create(admin, grant("a", "DATA NOMI READER", "P4")); // inherited: impacts P11, P12
        env.accesses.create(admin, grant("b", "DATA ACCESSES MANAGER ON SAME LEVEL", "P4")); // local: impacts none
        env.accesses.create(admin, grant("a", "DATA PSEUDO READER", "P11"));
        env.accesses.create(admin, grant("c", "DATA PSEUDO READER", "P12"));
        Access later = env.accesses.create(
                admin, grant("d", env.roleId("DATA NOMI READER"), env.id("P0"), now().plus(Duration.ofDays(1)), null));

        assertThat(perimeter("P4").countAllowedUsers()).isEqualTo(2);
        assertThat(perimeter("P4").countAllowedUsersInferiorLevels()).isEqualTo(2); // a and c
        assertThat(perimeter("P0").countAllowedUsers()).isZero(); // d starts tomorrow
        assertThat(perimeter("P0").countAllowedUsersInferiorLevels()).isEqualTo(3); // a, b, c
        assertThat(perimeter("APHP").countAllowedUsers()).isEqualTo(1); // root-admin
        assertThat(perimeter("APHP").countAllowedUsersInferiorLevels()).isEqualTo(3);
        // above: a on P4 and root-admin on APHP; b's role (users + same level) impacts no inferior level
        assertThat(perimeter("P11").countAllowedUsersAboveLevels()).isEqualTo(2);
        assertThat(perimeter("P12").countAllowedUsers()).isEqualTo(1);
        assertThat(perimeter("P4").countAllowedUsersAboveLevels()).isEqualTo(1);
        assertThat(perimeter("APHP").countAllowedUsersAboveLevels()).isZero();

        // closing changes them; an inactive profile does not count
        Access aOnP4 = env.accesses.list(admin, query(env.id("P4"), false, false), ALL).results().stream()
                .filter(x -> x.username().equals("a"))
                .findFirst()
                .orElseThrow();
        env.accesses.close(admin, aOnP4.id());
        assertThat(perimeter("P4").countAllowedUsers()).isEqualTo(1);
        assertThat(perimeter("P11").countAllowedUsersAboveLevels()).isEqualTo(1);
        env.update(
                "UPDATE karyo_accesses.profiles SET is_active = false WHERE user_id = ?",
                env.user("c").id());
        assertThat(env.accesses.recountUsers()).isPositive();
        assertThat(perimeter("P12").countAllowedUsers()).isZero();
        // time passing: d's access starts
        env.clock.advance(Duration.ofDays(2));
        env.accesses.recountUsers();
        assertThat(perimeter("P0").countAllowedUsers()).isEqualTo(1);
        assertThat(perimeter("P4").countAllowedUsersAboveLevels()).isEqualTo(2);
        assertThat(later.valid()).isFalse();
    }

    // ---- profiles ---------------------------------------------------------------------------------------------------

    @Test
    void profilesAreListedForUserManagersOnly() {
        env.grant("alice", "DATA NOMI READER", "P1");
        env.grant("bob", "DATA NOMI READER", "P2");
        Caller manager = managerOn("P0"); // the role holds manage_users
        assertThat(env.profiles
                        .list(manager, Optional.empty(), Optional.empty(), ALL)
                        .results())
                .extracting(Profile::username)
                .containsExactly("alice", "bob", "manager-P0");
        assertThat(env.profiles
                        .list(manager, Optional.of(env.user("bob").id()), Optional.empty(), ALL)
                        .results())
                .extracting(Profile::username)
                .containsExactly("bob");
        assertThat(env.profiles
                        .list(manager, Optional.empty(), Optional.of("LIC"), ALL)
                        .results())
                .extracting(Profile::username)
                .containsExactly("alice");
        assertKind(
                () -> env.profiles.list(env.caller("alice"), Optional.empty(), Optional.empty(), ALL), Kind.FORBIDDEN);
    }

    /** A data-access manager (same and inferior levels, and manage_users) on a node. */
    private Caller managerOn(String perimeter) {
        env.grant("manager-" + perimeter, "DATA ACCESSES MANAGER", perimeter);
        return env.caller("manager-" + perimeter);
    }
}
