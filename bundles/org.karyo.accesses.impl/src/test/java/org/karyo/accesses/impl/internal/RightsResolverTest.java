package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.accesses.api.AccessRights.FULL_ADMIN;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewAccess;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Right;
import org.karyo.accesses.api.UserRights;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.api.security.Scope;

/** Rights resolution on Cohort360's fixture tree: OR over valid accesses, scopes, full admin, cache and its limits. */
class RightsResolverTest {

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

    private UserRights rightsOf(String username) {
        return env.resolver.rightsOf(env.user(username).id());
    }

    private long[] ids(String... names) {
        return Arrays.stream(names).mapToLong(env::id).sorted().toArray();
    }

    @Test
    void rightsAreTheOrOfValidAccessesWithGlobalInheritedAndLocalScopes() {
        env.grant("y", "DATA NOMI READER", "P0"); // nominative read (inherited) + IPP search (global)
        env.grant("y", "DATA PSEUDO READER", "P10");
        env.grant("y", "DATA ACCESSES MANAGER ON SAME LEVEL", "P2"); // manage_users (global) + same level (local)

        UserRights r = rightsOf("y");
        assertThat(r.fullAdmin()).isFalse();
        assertThat(r.rights())
                .containsExactlyInAnyOrder(
                        READ_PATIENT_NOMINATIVE,
                        SEARCH_PATIENTS_BY_IPP,
                        READ_PATIENT_PSEUDONYMIZED,
                        MANAGE_USERS,
                        MANAGE_DATA_ACCESSES_SAME_LEVEL);
        // inherited: the node and every descendant, nothing else
        assertThat(r.scope(READ_PATIENT_NOMINATIVE).perimeterIds())
                .containsExactly(ids("P0", "P3", "P4", "P5", "P11", "P12"));
        assertThat(r.hasOn(READ_PATIENT_NOMINATIVE, env.id("P12"))).isTrue();
        assertThat(r.hasOn(READ_PATIENT_NOMINATIVE, env.id("APHP"))).isFalse();
        assertThat(r.hasOn(READ_PATIENT_NOMINATIVE, env.id("P1"))).isFalse();
        assertThat(r.scope(READ_PATIENT_PSEUDONYMIZED).perimeterIds()).containsExactly(ids("P10", "P13", "P14"));
        // global: everywhere
        assertThat(r.scope(SEARCH_PATIENTS_BY_IPP).isAll()).isTrue();
        assertThat(r.hasOn(MANAGE_USERS, env.id("P7"))).isTrue();
        // local: the node only
        assertThat(r.scope(MANAGE_DATA_ACCESSES_SAME_LEVEL).perimeterIds()).containsExactly(ids("P2"));
        assertThat(r.hasOn(MANAGE_DATA_ACCESSES_SAME_LEVEL, env.id("P8"))).isFalse();
        // not held at all
        assertThat(r.has(MANAGE_DATA_ACCESSES_INFERIOR_LEVELS)).isFalse();
        assertThat(r.scope(FULL_ADMIN).isEmpty()).isTrue();
        assertThat(r.has("nobody.knows")).isFalse();
    }

    @Test
    void overlappingInheritedAccessesGiveOneScope() {
        env.grant("y", "DATA NOMI READER", "P2");
        env.grant("y", "DATA NOMI READER", "P10");
        env.grant("y", "DATA NOMI READER", "P4");
        assertThat(rightsOf("y").scope(READ_PATIENT_NOMINATIVE).perimeterIds())
                .containsExactly(ids("P2", "P8", "P9", "P10", "P13", "P14", "P4", "P11", "P12"));
    }

    @Test
    void aFullAdministratorHoldsEveryActiveRightEverywhere() {
        contribute("cohort", RightDefinition.inherited("cohort.read", "cohort", "Cohorts", "Read cohorts"));
        env.grant("a", "FULL ADMIN", "P3"); // even on a leaf
        UserRights r = rightsOf("a");
        assertThat(r.fullAdmin()).isTrue();
        assertThat(r.rights()).containsAll(AccessRights.ALL).contains("cohort.read");
        assertThat(r.scope("cohort.read")).isSameAs(Scope.all());
        assertThat(r.hasOn(MANAGE_DATA_ACCESSES_SAME_LEVEL, env.id("P14"))).isTrue();
        assertThat(r.has("nobody.knows")).isFalse();
    }

    @Test
    void onlyValidAccessesOnActiveProfilesCount() {
        Instant now = env.clock.instant();
        env.grant("y", "DATA NOMI READER", "P1", now.minus(Duration.ofDays(10)), now.minusSeconds(1)); // ended
        env.grant("y", "DATA PSEUDO READER", "P2", now.plusSeconds(60), now.plus(Duration.ofDays(1))); // future
        long deleted = env.grant("y", "DATA ACCESSES MANAGER", "P3");
        env.update("UPDATE karyo_accesses.accesses SET deleted_at = now() WHERE id = ?", deleted);
        env.grant("z", "DATA NOMI READER", "P1");
        env.update(
                "UPDATE karyo_accesses.profiles SET is_active = false WHERE user_id = ?",
                env.user("z").id());
        env.resolver.invalidate();

        assertThat(rightsOf("y").rights()).isEmpty();
        assertThat(rightsOf("z").rights()).isEmpty();
        assertThat(rightsOf("nobody").rights()).isEmpty();
    }

    @Test
    void aCachedLookupIsTheSameComputationUntilAChange() {
        env.grant("y", "DATA NOMI READER", "P1");
        UserRights first = rightsOf("y");
        assertThat(rightsOf("y")).isSameAs(first);
        assertThat(env.resolver.compute(env.user("y").id())).isNotSameAs(first);

        // any change drops it: an access granted through the service
        env.accesses.create(
                env.admin(),
                new NewAccess(
                        Optional.of("y"),
                        Optional.empty(),
                        env.roleId("DATA PSEUDO READER"),
                        env.id("P2"),
                        Optional.empty(),
                        Optional.empty()));
        UserRights second = rightsOf("y");
        assertThat(second).isNotSameAs(first);
        assertThat(second.hasOn(READ_PATIENT_PSEUDONYMIZED, env.id("P9"))).isTrue();
    }

    @Test
    void theCacheIsDroppedOnRoleAndPerimeterChanges() {
        env.grant("y", "DATA NOMI READER", "P1");
        UserRights before = rightsOf("y");
        env.roles.update(
                env.admin(),
                env.roleId("DATA NOMI READER"),
                Optional.empty(),
                Optional.of(Set.of(READ_PATIENT_NOMINATIVE)));
        UserRights after = rightsOf("y");
        assertThat(after).isNotSameAs(before);
        assertThat(after.has(SEARCH_PATIENTS_BY_IPP)).isFalse();

        env.perimeters.create(
                env.admin(),
                new NewPerimeter(
                        "Local P15",
                        "P15",
                        Optional.empty(),
                        Optional.empty(),
                        "unit",
                        Optional.of(env.id("P7")),
                        Optional.empty()));
        UserRights third = rightsOf("y");
        assertThat(third).isNotSameAs(after);
        long p15 = env.count("SELECT id FROM karyo_accesses.perimeters WHERE local_id = 'Local P15'");
        assertThat(third.hasOn(READ_PATIENT_NOMINATIVE, p15)).isTrue();
        assertThat(third.scope(READ_PATIENT_NOMINATIVE).contains(p15)).isTrue();
    }

    @Test
    void aCachedEntryIsRecomputedWhenAnAccessStartsOrEnds() {
        Instant now = env.clock.instant();
        env.grant("y", "DATA NOMI READER", "P1", now.plusSeconds(2), now.plusSeconds(4));
        UserRights before = rightsOf("y");
        assertThat(before.has(READ_PATIENT_NOMINATIVE)).isFalse();
        assertThat(rightsOf("y")).isSameAs(before);

        env.clock.advance(Duration.ofSeconds(2)); // it starts: no invalidation, the entry knows
        assertThat(rightsOf("y").has(READ_PATIENT_NOMINATIVE)).isTrue();

        env.clock.advance(Duration.ofSeconds(2)); // it ends
        assertThat(rightsOf("y").has(READ_PATIENT_NOMINATIVE)).isFalse();
    }

    @Test
    void aCachedEntryExpiresAfterTheTtl() {
        env.grant("y", "DATA NOMI READER", "P1");
        UserRights first = rightsOf("y");
        env.clock.advance(Duration.ofMillis(4_999));
        assertThat(rightsOf("y")).isSameAs(first);
        // a change the module hears nothing of (the auth module, or SQL by hand)
        env.update(
                "UPDATE karyo_accesses.profiles SET is_active = false WHERE user_id = ?",
                env.user("y").id());
        env.clock.advance(Duration.ofMillis(1));
        assertThat(rightsOf("y").rights()).isEmpty();
    }

    @Test
    void invalidateDropsEverything() {
        env.grant("y", "DATA NOMI READER", "P1");
        UserRights first = rightsOf("y");
        env.update(
                "UPDATE karyo_accesses.profiles SET is_active = false WHERE user_id = ?",
                env.user("y").id());
        assertThat(rightsOf("y")).isSameAs(first);
        env.resolver.invalidate();
        assertThat(rightsOf("y").rights()).isEmpty();
    }

    @Test
    void rightsOfAnUninstalledModuleGrantNothingAndComeBackWithIt() {
        RightContributor lab =
                contribute("lab", RightDefinition.inherited("lab.read", "lab", "Lab", "Read lab results"));
        env.role("LAB READER", Set.of("lab.read"));
        env.grant("y", "LAB READER", "P1");
        env.grant("a", "FULL ADMIN", "APHP");
        assertThat(rightsOf("y").hasOn("lab.read", env.id("P6"))).isTrue();

        env.registry.removeContributor(lab);
        assertThat(rightsOf("y").has("lab.read")).isFalse();
        assertThat(rightsOf("a").has("lab.read")).isFalse();
        assertThat(env.registry.list())
                .filteredOn(r -> r.key().equals("lab.read"))
                .singleElement()
                .returns(false, Right::active);
        // the role still holds it
        assertThat(env.roles.get(env.admin(), env.roleId("LAB READER")).rights())
                .containsExactly("lab.read");

        env.registry.addContributor(lab);
        assertThat(rightsOf("y").hasOn("lab.read", env.id("P6"))).isTrue();
    }

    @Test
    void theRegistryStoresTheSixteenWithCohort360sFlagsAndUpsertsContributions() {
        List<Right> rights = env.registry.list();
        assertThat(rights).extracting(Right::key).containsAll(AccessRights.ALL);
        assertThat(rights).filteredOn(r -> r.module().equals("accesses")).allMatch(Right::active);
        assertThat(rights)
                .filteredOn(Right::global)
                .extracting(Right::key)
                .contains(
                        FULL_ADMIN,
                        MANAGE_USERS,
                        AccessRights.MANAGE_DATALABS,
                        AccessRights.READ_DATALABS,
                        AccessRights.EXPORT_CSV_XLSX_NOMINATIVE,
                        AccessRights.EXPORT_JUPYTER_NOMINATIVE,
                        AccessRights.EXPORT_JUPYTER_PSEUDONYMIZED,
                        SEARCH_PATIENTS_BY_IPP,
                        AccessRights.SEARCH_PATIENTS_UNLIMITED,
                        AccessRights.SEARCH_OPPOSED_PATIENTS);
        assertThat(
                        env.count(
                                "SELECT count(*) FROM karyo_accesses.rights WHERE impact_inferior_levels AND module = 'accesses'"))
                .isEqualTo(4);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.rights WHERE allow_edit_accesses_on_same_level"))
                .isEqualTo(2);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.rights WHERE allow_edit_accesses_on_inf_levels"))
                .isEqualTo(2);

        env.audit.clear();
        RightContributor v1 = contribute(
                "omics",
                RightDefinition.global("omics.read", "omics", "Omics", "Read"),
                RightDefinition.global("omics.write", "omics", "Omics", "Write").dependingOn("omics.read"));
        assertThat(env.audit.actions()).containsExactly("accesses.rights.register");
        // the same again: nothing to write, nothing to audit
        env.registry.addContributor(v1);
        assertThat(env.audit.actions()).containsExactly("accesses.rights.register");
        // a new version drops omics.write: kept but inactive
        contribute("omics", RightDefinition.global("omics.read", "omics", "Omics", "Read, v2"));
        assertThat(env.registry.list())
                .filteredOn(r -> r.module().equals("omics"))
                .extracting(Right::key, Right::label, Right::active)
                .containsExactly(
                        Tuple.tuple("omics.read", "Read, v2", true), Tuple.tuple("omics.write", "Write", false));
    }

    @Test
    void aContributorMayNotClaimAnotherModulesKeys() {
        contribute("evil", RightDefinition.global("accesses.evil", "evil", "X", "X"));
        assertThat(env.registry.list()).extracting(Right::key).doesNotContain("accesses.evil");
        RightContributor claimsAccesses = new RightContributor() {
            @Override
            public String module() {
                return "accesses";
            }

            @Override
            public List<RightDefinition> rights() {
                return List.of(RightDefinition.global("accesses.sneaky", "accesses", "X", "X"));
            }
        };
        env.registry.addContributor(claimsAccesses);
        assertThat(env.registry.list()).extracting(Right::key).doesNotContain("accesses.sneaky");
    }

    @Test
    void limitingRightsIntersects() {
        env.grant("a", "FULL ADMIN", "APHP");
        UserRightsImpl limited = env.resolver.rightsOf(env.user("a").id()).limitedTo(Set.of(MANAGE_USERS)::contains);
        assertThat(limited.fullAdmin()).isFalse();
        assertThat(limited.rights()).containsExactly(MANAGE_USERS);
        assertThat(limited.hasOn(READ_PATIENT_NOMINATIVE, env.id("P1"))).isFalse();
        assertThat(limited.scope(READ_PATIENT_NOMINATIVE).isEmpty()).isTrue();
    }

    @Test
    void anAccessWithoutPerimeterStillGrantsItsGlobalRights() {
        env.grant("y", "DATA NOMI READER", null);
        UserRights r = rightsOf("y");
        assertThat(r.has(SEARCH_PATIENTS_BY_IPP)).isTrue();
        assertThat(r.has(READ_PATIENT_NOMINATIVE)).isFalse();
    }

    private static RightContributor contribute(String module, RightDefinition... rights) {
        RightContributor c = new RightContributor() {
            @Override
            public String module() {
                return module;
            }

            @Override
            public List<RightDefinition> rights() {
                return List.of(rights);
            }
        };
        env.registry.addContributor(c);
        return c;
    }
}
