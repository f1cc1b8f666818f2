package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.AccessService.DataRight;
import org.karyo.accesses.api.AccessService.ReadMode;
import org.karyo.accesses.api.AccessService.ReadPermission;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.Role;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;

/**
 * Cohort360's access rules on its fixture tree (accesses/tests): who manages whose access, editable, assignable
 * roles, manageable perimeters, my-data-rights, patient-data rights and reads, perimeter visibility.
 */
class AccessRulesTest {

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

    private boolean canManage(String username, String role, String perimeter) {
        UserRightsImpl rights = env.caller(username).rights();
        Set<String> roleRights =
                env.resolver.catalog().role(env.roleId(role)).orElseThrow().rights();
        return Rules.canManage(rights, env.resolver.tree(), env.resolver.catalog(), roleRights, env.id(perimeter));
    }

    private List<String> names(List<Role> roles) {
        return roles.stream().map(Role::name).toList();
    }

    private List<String> perimeterNames(List<Perimeter> perimeters) {
        return perimeters.stream().map(Perimeter::name).toList();
    }

    // ---- who manages whose access ---------------------------------------------------------------------------------

    @Test
    void sameLevelRightsCountOnTheNodeItselfOnly() {
        env.grant("y", "DATA ACCESSES MANAGER ON SAME LEVEL", "P0");
        assertThat(canManage("y", "DATA NOMI READER", "P0")).isTrue();
        assertThat(canManage("y", "DATA NOMI READER", "P4")).isFalse();
        assertThat(canManage("y", "DATA NOMI READER", "APHP")).isFalse();
        assertThat(canManage("y", "DATA NOMI READER", "P1")).isFalse();
    }

    @Test
    void inferiorLevelRightsCountOnStrictDescendantsOnly() {
        env.grant("y", "DATA ACCESSES MANAGER ON INFERIOR LEVELS", "P0");
        assertThat(canManage("y", "DATA NOMI READER", "P0")).isFalse();
        assertThat(canManage("y", "DATA NOMI READER", "P4")).isTrue();
        assertThat(canManage("y", "DATA NOMI READER", "P12")).isTrue();
        assertThat(canManage("y", "DATA NOMI READER", "P6")).isFalse();
    }

    @Test
    void theTargetRolesRightsDecideTheManagementRightNeeded() {
        env.grant("data", "DATA ACCESSES MANAGER", "APHP");
        env.grant("admin", "ADMIN ACCESSES MANAGER", "APHP");
        for (String user : List.of("data", "admin")) {
            // full-admin-only roles: admin-access management, unlimited search, full admin
            assertThat(canManage(user, "FULL ADMIN", "P1")).isFalse();
            assertThat(canManage(user, "ADMIN ACCESSES MANAGER", "P1")).isFalse();
            assertThat(canManage(user, "ADMIN ACCESSES MANAGER ON INFERIOR LEVELS", "P1"))
                    .isFalse();
            assertThat(canManage(user, "DATA NOMI READER FULL ACCESS", "P1")).isFalse();
            // data roles: data-access management, which admin-access management implies
            assertThat(canManage(user, "DATA NOMI READER", "P1")).isTrue();
            assertThat(canManage(user, "JUPYTER EXPORTER PSEUDO", "P1")).isTrue();
        }
        // admin-managed roles: users, data-access management, datalabs
        assertThat(canManage("data", "DATA ACCESSES MANAGER", "P1")).isFalse();
        assertThat(canManage("data", "SUPPORT CSE - JUPYTER EXPORTS NOMI/PSEUDO", "P1"))
                .isFalse();
        assertThat(canManage("admin", "DATA ACCESSES MANAGER", "P1")).isTrue();
        assertThat(canManage("admin", "SUPPORT CSE - JUPYTER EXPORTS NOMI/PSEUDO", "P1"))
                .isTrue();
        // a full administrator manages everything
        env.grant("full", "FULL ADMIN", "P3");
        assertThat(canManage("full", "FULL ADMIN", "P14")).isTrue();
    }

    @Test
    void aRoleWithoutRightsStillNeedsAManagementRightAndOtherModulesRightsFollowTheirScope() {
        env.role("EMPTY", Set.of());
        env.grant("nobody", "DATA NOMI READER", "P1");
        env.grant("data", "DATA ACCESSES MANAGER ON SAME LEVEL", "P1");
        assertThat(canManage("nobody", "EMPTY", "P1")).isFalse();
        assertThat(canManage("data", "EMPTY", "P1")).isTrue();
        assertThat(Rules.need(Set.of("cohort.read"), env.resolver.catalog())).isEqualTo(Rules.Need.ADMIN);
    }

    @Test
    void editableFollowsTheManagementRulePerRow() {
        // Cohort360 test_list_accesses_of_user_x_as_user_y
        long onP1 = env.grant("x", "DATA NOMI/PSEUDO READER", "P1");
        long onP4 = env.grant("x", "ADMIN ACCESSES MANAGER", "P4");
        long onP10 = env.grant("x", "DATA ACCESSES MANAGER", "P10");
        long profileX = env.count("SELECT id FROM karyo_accesses.profiles WHERE username = 'x'");
        AccessQuery byProfile = new AccessQuery(
                Optional.empty(),
                false,
                false,
                Optional.empty(),
                Optional.of(profileX),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        env.grant("full", "FULL ADMIN", "APHP");
        assertThat(env.accesses.list(env.caller("full"), byProfile, ALL).results())
                .extracting(Access::editable)
                .containsExactly(true, true, true);

        env.grant("admin", "ADMIN ACCESSES MANAGER", "APHP");
        assertThat(editable(
                        env.accesses.list(env.caller("admin"), byProfile, ALL).results()))
                .containsEntry(onP1, true)
                .containsEntry(onP4, false)
                .containsEntry(onP10, true);

        env.grant("data", "DATA ACCESSES MANAGER", "APHP");
        assertThat(editable(
                        env.accesses.list(env.caller("data"), byProfile, ALL).results()))
                .containsEntry(onP1, true)
                .containsEntry(onP4, false)
                .containsEntry(onP10, false);

        // object methods: NOT_FOUND for accesses the caller may not manage
        assertThat(env.accesses.get(env.caller("data"), onP1).editable()).isTrue();
        assertThatThrownBy(() -> env.accesses.get(env.caller("data"), onP4))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    private static Map<Long, Boolean> editable(List<Access> accesses) {
        Map<Long, Boolean> out = new HashMap<>();
        accesses.forEach(a -> out.put(a.id(), a.editable()));
        return out;
    }

    // ---- roles/assignable (Cohort360 test_view_role) -------------------------------------------------------------

    private static final List<String> DATA_MANAGED_ROLES = List.of(
            "DATA ACCESSES MANAGER",
            "DATA ACCESSES MANAGER ON INFERIOR LEVELS",
            "DATA ACCESSES MANAGER ON SAME LEVEL",
            "DATA NOMI READER",
            "DATA NOMI READER + CSV EXPORTER",
            "DATA NOMI/PSEUDO READER",
            "DATA PSEUDO READER",
            "JUPYTER EXPORTER PSEUDO",
            "SUPPORT CSE - JUPYTER EXPORTS NOMI/PSEUDO");

    @Test
    void aFullAdministratorMayAssignEveryRoleEverywhere() {
        env.grant("full", "FULL ADMIN", "APHP");
        List<String> all = env.roles.list(env.caller("full"), Optional.empty(), Set.of(), ALL).results().stream()
                .map(Role::name)
                .toList();
        for (String p : List.of("APHP", "P5", "P7", "P13")) {
            assertThat(names(env.roles.assignable(env.caller("full"), env.id(p))))
                    .containsExactlyInAnyOrderElementsOf(all);
        }
    }

    @Test
    void anAdminAccessManagerOnTheRootAssignsAdminAndDataRolesBelow() {
        env.grant("u", "ADMIN ACCESSES MANAGER", "APHP");
        assertThat(names(env.roles.assignable(env.caller("u"), env.id("P0"))))
                .containsExactlyInAnyOrderElementsOf(DATA_MANAGED_ROLES);
    }

    @Test
    void anAdminAccessManagerOnSameLevelOnTheRootAssignsNothingBelow() {
        env.grant("u", "ADMIN ACCESSES MANAGER ON SAME LEVEL", "APHP");
        // Cohort360 answers an empty list; here P0 is not even visible (a same-level right reaches the root only)
        assertThatThrownBy(() -> env.roles.assignable(env.caller("u"), env.id("P0")))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThat(names(env.roles.assignable(env.caller("u"), env.id("APHP"))))
                .containsExactlyInAnyOrderElementsOf(DATA_MANAGED_ROLES);
    }

    @Test
    void anAdminAccessManagerOnInferiorLevelsOfTheRootAssignsBelow() {
        env.grant("u", "ADMIN ACCESSES MANAGER ON INFERIOR LEVELS", "APHP");
        assertThat(names(env.roles.assignable(env.caller("u"), env.id("P0"))))
                .containsExactlyInAnyOrderElementsOf(DATA_MANAGED_ROLES);
        assertThat(env.roles.assignable(env.caller("u"), env.id("APHP"))).isEmpty();
    }

    @Test
    void anAdminAccessManagerOnANodeAssignsOnIt() {
        env.grant("u", "ADMIN ACCESSES MANAGER", "P0");
        assertThat(names(env.roles.assignable(env.caller("u"), env.id("P0"))))
                .containsExactlyInAnyOrderElementsOf(DATA_MANAGED_ROLES);
    }

    @Test
    void anAdminAccessManagerBelowAssignsNothingAboveAndCannotSeeSiblings() {
        env.grant("u", "ADMIN ACCESSES MANAGER", "P4");
        assertThat(env.roles.assignable(env.caller("u"), env.id("P0"))).isEmpty(); // visible (an ancestor), empty
        assertThatThrownBy(() -> env.roles.assignable(env.caller("u"), env.id("P5"))) // a sibling: unknown
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    // ---- perimeters/manageable (Cohort360 test_view_perimeters) --------------------------------------------------

    @Test
    void manageableTopsAreTheSameLevelNodesWithoutAManagedAncestor() {
        env.grant("z", "DATA ACCESSES MANAGER", "P0");
        env.grant("z", "ADMIN ACCESSES MANAGER", "P1");
        env.grant("z", "ADMIN ACCESSES MANAGER", "P2");
        env.grant("z", "DATA ACCESSES MANAGER", "P8");
        assertThat(perimeterNames(env.perimeters.manageable(env.caller("z"), false, PerimeterQuery.ALL)))
                .containsExactlyInAnyOrder("P0", "P1", "P2");
    }

    @Test
    void manageableTopsIncludeTheChildrenOfNodesManagedAtInferiorLevelsOnly() {
        env.grant("t", "DATA ACCESSES MANAGER ON INFERIOR LEVELS", "P0");
        env.grant("t", "ADMIN ACCESSES MANAGER", "P1");
        env.grant("t", "ADMIN ACCESSES MANAGER ON SAME LEVEL", "P8");
        env.grant("t", "DATA ACCESSES MANAGER ON INFERIOR LEVELS", "P10");
        Caller t = env.caller("t");
        assertThat(perimeterNames(env.perimeters.manageable(t, false, PerimeterQuery.ALL)))
                .containsExactlyInAnyOrder("P3", "P4", "P5", "P1", "P8", "P13", "P14");
        // with descendants, filtered by the query
        assertThat(perimeterNames(env.perimeters.manageable(t, true, PerimeterQuery.ALL)))
                .containsExactlyInAnyOrder("P3", "P4", "P5", "P11", "P12", "P1", "P6", "P7", "P8", "P13", "P14");
        PerimeterQuery search =
                new PerimeterQuery(Optional.of("P1"), List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(perimeterNames(env.perimeters.manageable(t, true, search)))
                .containsExactlyInAnyOrder("P1", "P11", "P12", "P13", "P14");
    }

    @Test
    void fullAdministratorsAndUsersWithOnlyGlobalManagementRightsGetTheRoots() {
        env.grant("full", "FULL ADMIN", "P3");
        assertThat(perimeterNames(env.perimeters.manageable(env.caller("full"), false, PerimeterQuery.ALL)))
                .containsExactly("APHP");
        env.role("USER MANAGER", Set.of(AccessRights.MANAGE_USERS));
        env.grant("um", "USER MANAGER", "P5");
        assertThat(perimeterNames(env.perimeters.manageable(env.caller("um"), false, PerimeterQuery.ALL)))
                .containsExactly("APHP");
        // one access without a global management right is enough to leave that case
        env.grant("um", "DATA NOMI READER", "P5");
        assertThat(env.perimeters.manageable(env.caller("um"), false, PerimeterQuery.ALL))
                .isEmpty();
        // and no access at all manages nothing
        assertThat(env.perimeters.manageable(env.caller("nobody"), true, PerimeterQuery.ALL))
                .isEmpty();
    }

    // ---- my-data-rights (Cohort360 test_get_my_data_reading_rights) ----------------------------------------------

    @Test
    void myDataRightsMergeReadRightsUpTheAncestorChainAndCopyGlobalFlags() {
        env.grant("y", "DATA NOMI/PSEUDO READER", "P0");
        env.grant("y", "ADMIN ACCESSES MANAGER", "P1");
        env.grant("y", "JUPYTER EXPORTER PSEUDO", "P7");
        env.grant("y", "DATA NOMI READER", "P8");
        env.grant("y", "DATA NOMI READER + CSV EXPORTER", "P12");
        Caller y = env.caller("y");

        assertThat(env.accesses.myDataRights(y, List.of(env.id("P0"))))
                .containsExactly(new DataRight(env.id("P0"), "P0", true, true, true, false, true, false, true));
        assertThat(env.accesses.myDataRights(y, List.of(env.id("P2")))).isEmpty();
        assertThat(env.accesses.myDataRights(y, List.of(env.id("P4"))))
                .containsExactly(new DataRight(env.id("P4"), "P4", true, true, true, false, true, false, true));
        assertThat(env.accesses.myDataRights(y, List.of(env.id("P8"))))
                .containsExactly(new DataRight(env.id("P8"), "P8", true, false, true, false, true, false, true));
        // without targets: one row per node with a read access (P1's access reads nothing)
        assertThat(env.accesses.myDataRights(y, List.of()))
                .extracting(DataRight::perimeterName)
                .containsExactly("P0", "P7", "P8", "P12");
        assertThat(env.accesses.myDataRights(y, List.of()))
                .filteredOn(d -> d.perimeterName().equals("P12"))
                .singleElement()
                .returns(true, DataRight::readPatientPseudonymized); // from P0 above
    }

    // ---- patient-data/rights (Cohort360 test_get_data_reading_rights_on_perimeters) ------------------------------

    @Test
    void patientDataRightsListTheTopReadableNodesWithInheritedFlags() {
        env.grant("y", "DATA PSEUDO READER", "P0");
        env.grant("y", "DATA NOMI READER FULL ACCESS", "P1");
        env.grant("y", "DATA NOMI/PSEUDO READER", "P2");
        env.grant("y", "DATA NOMI READER", "P4");
        env.grant("y", "DATA PSEUDO READER", "P10");
        List<DataRight> rows =
                env.accesses.patientDataRights(env.caller("y"), ALL).results();
        assertThat(rows)
                .containsExactly(
                        // sorted by full path: APHP/P0, APHP/P0/P4, APHP/P1, APHP/P2
                        new DataRight(env.id("P0"), "P0", false, true, true, true, false, false, false),
                        new DataRight(env.id("P4"), "P4", true, true, true, true, false, false, false),
                        new DataRight(env.id("P1"), "P1", true, true, true, true, false, false, false),
                        new DataRight(env.id("P2"), "P2", true, true, true, true, false, false, false));
        assertThat(env.accesses
                        .patientDataRights(env.caller("y"), new PageRequest(2, 1, List.of()))
                        .results())
                .extracting(DataRight::perimeterName)
                .containsExactly("P4", "P1");
        assertThat(env.accesses.patientDataRights(env.caller("nobody"), ALL).count())
                .isZero();
    }

    // ---- patient-data/read (Cohort360 test_read_patient_data_rights_case_*) --------------------------------------

    private ReadPermission read(String user, ReadMode mode, String... perimeters) {
        List<String> cohorts = Arrays.stream(perimeters).map(p -> "cohort-" + p).toList();
        return env.accesses.patientDataRead(env.caller(user), List.of(), cohorts, mode);
    }

    private static ReadPermission flags(boolean nomi, boolean opposed, boolean unlimited, boolean practitioner) {
        return new ReadPermission(nomi, opposed, unlimited, practitioner);
    }

    private void notFound(String user, ReadMode mode, String... perimeters) {
        assertThatThrownBy(() -> read(user, mode, perimeters))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void readCase1NominativeOnTheTargetWithPseudonymisedAbove() {
        env.grant("z", "DATA PSEUDO READER", "APHP");
        env.grant("z", "DATA NOMI READER", "P1");
        assertThat(read("z", ReadMode.MIN, "P1")).isEqualTo(flags(true, false, false, false));
    }

    @Test
    void readCase2NominativeFromAbove() {
        env.grant("z", "DATA PSEUDO READER", "P1");
        env.grant("z", "DATA NOMI READER", "APHP");
        assertThat(read("z", ReadMode.MIN, "P1", "P5")).isEqualTo(flags(true, false, false, false));
    }

    @Test
    void readCase3MaxAnyNominativeMinAllNominative() {
        env.grant("z", "DATA PSEUDO READER", "APHP");
        env.grant("z", "DATA NOMI READER", "P0");
        env.grant("z", "DATA NOMI READER", "P10");
        assertThat(read("z", ReadMode.MAX, "P5", "P8")).isEqualTo(flags(true, false, false, false));
        assertThat(read("z", ReadMode.MIN, "P5", "P8")).isEqualTo(flags(false, false, false, false));
    }

    @Test
    void readCase4() {
        env.grant("z", "DATA PSEUDO READER", "APHP");
        env.grant("z", "DATA NOMI/PSEUDO READER", "P4");
        env.grant("z", "DATA NOMI READER", "P10");
        assertThat(read("z", ReadMode.MIN, "APHP", "P4", "P10")).isEqualTo(flags(false, false, false, false));
        assertThat(read("z", ReadMode.MAX, "APHP", "P4", "P10")).isEqualTo(flags(true, false, false, false));
    }

    @Test
    void readCase5PseudonymisedOnly() {
        env.grant("z", "DATA PSEUDO READER", "P2");
        env.grant("z", "DATA PSEUDO READER", "P3");
        assertThat(read("z", ReadMode.MAX, "P2", "P9")).isEqualTo(flags(false, false, false, false));
        assertThat(read("z", ReadMode.MIN, "P2", "P9")).isEqualTo(flags(false, false, false, false));
    }

    @Test
    void readCase6() {
        env.grant("t", "DATA PSEUDO READER", "P1");
        env.grant("t", "DATA NOMI READER", "P4");
        assertThat(read("t", ReadMode.MIN, "P6", "P12")).isEqualTo(flags(false, false, false, false));
    }

    @Test
    void readCases7And8UnlimitedSearchAllowsEverything() {
        env.grant("t", "DATA NOMI READER FULL ACCESS", "P1");
        assertThat(read("t", ReadMode.MIN, "P6", "P12")).isEqualTo(flags(true, true, true, false));
        assertThat(read("t", ReadMode.MAX, "P6", "P12")).isEqualTo(flags(true, true, true, false));
        // even on nodes that do not exist
        assertThat(read("t", ReadMode.MIN, "nowhere")).isEqualTo(flags(true, true, true, false));
    }

    @Test
    void readMissingAccessOnSomeTargets() {
        env.grant("t", "DATA PSEUDO READER", "P1");
        env.grant("t", "DATA NOMI READER", "P2");
        notFound("t", ReadMode.MIN, "P1", "P5");
        assertThat(read("t", ReadMode.MAX, "P1", "P5")).isEqualTo(flags(false, false, false, false));
    }

    @Test
    void readWithoutDataRightsOrTargetsIsNotFoundAndWithoutModeInvalid() {
        env.grant("y", "DATA ACCESSES MANAGER ON SAME LEVEL", "APHP");
        env.grant("y", "DATA ACCESSES MANAGER ON INFERIOR LEVELS", "P2");
        notFound("y", ReadMode.MIN, "APHP", "P2");
        env.grant("w", "DATA NOMI READER", "APHP");
        notFound("w", ReadMode.MAX, "nowhere");
        assertThatThrownBy(() -> env.accesses.patientDataRead(env.caller("w"), List.of(), List.of("cohort-P1"), null))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        assertThatThrownBy(() -> env.accesses.patientDataRead(env.caller("w"), List.of(), List.of(), ReadMode.MIN))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    }

    @Test
    void readPractitionerFollowsManageUsersAndOpposedFollowsItsRight() {
        env.role("READER+", Set.of(AccessRights.READ_PATIENT_NOMINATIVE, AccessRights.SEARCH_OPPOSED_PATIENTS));
        env.grant("r", "READER+", "P0");
        env.grant("r", "DATA ACCESSES MANAGER ON SAME LEVEL", "P7");
        // by perimeter id too
        assertThat(env.accesses.patientDataRead(env.caller("r"), List.of(env.id("P11")), List.of(), ReadMode.MIN))
                .isEqualTo(flags(true, true, false, true));
    }

    // ---- perimeter visibility --------------------------------------------------------------------------------------

    @Test
    void callersSeeTheirNodesTheirInheritedSubtreesAndTheAncestorsOnly() {
        env.grant("y", "DATA NOMI READER", "P4"); // inherited: P4, P11, P12; ancestors P0, APHP
        env.grant("y", "DATA ACCESSES MANAGER ON SAME LEVEL", "P9"); // manage_users is global, same level local: P9
        Caller y = env.caller("y");
        assertThat(perimeterNames(
                        env.perimeters.list(y, PerimeterQuery.ALL, ALL).results()))
                .containsExactlyInAnyOrder("APHP", "P0", "P4", "P11", "P12", "P2", "P9");
        assertThat(env.perimeters.get(y, env.id("P12")).name()).isEqualTo("P12");
        for (String hidden : List.of("P1", "P3", "P10", "P13")) {
            assertThatThrownBy(() -> env.perimeters.get(y, env.id(hidden)))
                    .isInstanceOfSatisfying(
                            KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        }
        assertThat(perimeterNames(env.perimeters.children(y, env.id("P0"), ALL).results()))
                .containsExactly("P4");
        assertThat(perimeterNames(
                        env.perimeters.children(y, env.id("APHP"), ALL).results()))
                .containsExactlyInAnyOrder("P0", "P2");
        assertThatThrownBy(() -> env.perimeters.children(y, env.id("P1"), ALL))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        // filters apply within what is visible, in SQL
        PerimeterQuery byCohort = new PerimeterQuery(
                Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of("cohort-P11", "cohort-P13"));
        assertThat(perimeterNames(env.perimeters.list(y, byCohort, ALL).results()))
                .containsExactly("P11");
    }

    @Test
    void aFullAdministratorSeesEveryNodeAndOthersNothing() {
        env.grant("full", "FULL ADMIN", "P3");
        assertThat(env.perimeters
                        .list(env.caller("full"), PerimeterQuery.ALL, ALL)
                        .count())
                .isEqualTo(16);
        assertThat(env.perimeters
                        .list(env.caller("nobody"), PerimeterQuery.ALL, ALL)
                        .count())
                .isZero();
        assertThatThrownBy(() -> env.perimeters.list(Caller.ANONYMOUS, PerimeterQuery.ALL, ALL))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED));
    }

    @Test
    void perimeterListsPageOrderAndFilter() {
        Caller full = env.admin();
        var page = env.perimeters.list(
                full,
                new PerimeterQuery(Optional.empty(), List.of("hospital"), List.of(), List.of(), List.of(), List.of()),
                new PageRequest(3, 2, List.of(new Sort("name", true))));
        assertThat(page.count()).isEqualTo(15);
        assertThat(perimeterNames(page.results())).containsExactly("P7", "P6", "P5");
        assertThatThrownBy(() -> env.perimeters.list(
                        full, PerimeterQuery.ALL, new PageRequest(3, 0, List.of(new Sort("secret", false)))))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("ordering"));
        Perimeter p12 = env.perimeters.get(full, env.id("P12"));
        assertThat(p12.level()).isEqualTo(4);
        assertThat(p12.aboveLevelsIds()).containsExactly(env.id("APHP"), env.id("P0"), env.id("P4"));
        assertThat(p12.fullPath()).isEqualTo("APHP/P0/P4/P12");
        assertThat(p12.parentId()).contains(env.id("P4"));
        assertThat(p12.cohortId()).contains("cohort-P12");
    }
}
