package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.Role;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;

/** The idempotent bootstrap: full-admin role, root perimeter, the bootstrap administrator's access. */
class BootstrapTest {

    private static TestEnv env;
    private Bootstrap bootstrap;

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
        bootstrap = new Bootstrap(
                env.store,
                env.resolver,
                env.users,
                Fakes.settings(env.clock, Map.of("root_local__id", "aphp", "root_name", "AP-HP", "root_type", "chu")));
    }

    @AfterEach
    void stop() {
        bootstrap.deactivate();
    }

    @Test
    void anEmptyInstallationGetsARoleARootAndAnAdministrator() {
        env.users.add("admin");
        bootstrap.structure();
        assertThat(bootstrap.grantAdmin()).isTrue();

        Caller admin = env.caller("admin");
        assertThat(admin.hasRight(AccessRights.FULL_ADMIN)).isTrue();
        List<Perimeter> roots = env.perimeters
                .list(admin, PerimeterQuery.ALL, new PageRequest(10, 0, List.of()))
                .results();
        assertThat(roots).singleElement().satisfies(root -> {
            assertThat(root.localId()).isEqualTo("aphp");
            assertThat(root.name()).isEqualTo("AP-HP");
            assertThat(root.type()).isEqualTo("chu");
            assertThat(root.level()).isEqualTo(1);
            assertThat(root.fullPath()).isEqualTo("AP-HP");
        });
        Role role = env.roles
                .list(admin, Optional.empty(), Set.of(), new PageRequest(10, 0, List.of()))
                .results()
                .get(0);
        assertThat(role.name()).isEqualTo(Bootstrap.ROLE_NAME);
        assertThat(role.rights()).containsExactlyInAnyOrderElementsOf(AccessRights.ALL);
        var access = env.accesses.myAccesses(admin, false).get(0);
        assertThat(access.perimeterId()).contains(roots.get(0).id());
        assertThat(access.end()).isAfter(Instant.now().plus(Duration.ofDays(365 * 99)));
        assertThat(access.createdBy()).contains("system");
        assertThat(env.audit.actions())
                .containsExactly("accesses.role.create", "accesses.perimeter.create", "accesses.access.create");
        assertThat(env.audit.entries()).allMatch(e -> e.actorId().equals("system"));
    }

    @Test
    void itIsIdempotent() {
        env.users.add("admin");
        bootstrap.structure();
        bootstrap.grantAdmin();
        env.audit.clear();
        bootstrap.structure();
        assertThat(bootstrap.grantAdmin()).isTrue();
        assertThat(env.audit.entries()).isEmpty();
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.accesses")).isEqualTo(1);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.roles")).isEqualTo(1);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(1);
    }

    @Test
    void anExistingTreeAndRoleAreKeptAndAMissingAdministratorIsRetriedLater() {
        env.tree();
        env.role("Admins", Set.copyOf(AccessRights.ALL));
        bootstrap.structure();
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.roles")).isEqualTo(1);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(16);
        assertThat(bootstrap.grantAdmin()).isFalse(); // the auth module has not created it yet
        env.users.add("admin");
        assertThat(bootstrap.grantAdmin()).isTrue();
        assertThat(env.caller("admin").hasRightOn(AccessRights.READ_PATIENT_NOMINATIVE, env.id("P14")))
                .isTrue();
        assertThat(env.accesses.myAccesses(env.caller("admin"), false).get(0).perimeterName())
                .contains("APHP");
    }

    @Test
    void anEndedAdministratorAccessIsReplaced() {
        env.tree();
        env.role("Admins", Set.copyOf(AccessRights.ALL));
        env.grant(
                "admin",
                "Admins",
                "APHP",
                env.clock.instant().minusSeconds(100),
                env.clock.instant().minusSeconds(1));
        assertThat(bootstrap.grantAdmin()).isTrue();
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.accesses")).isEqualTo(2);
        assertThat(env.caller("admin").hasRight(AccessRights.FULL_ADMIN)).isTrue();
    }

    @Test
    void aRoleNamedLikeTheBootstrapRoleWithoutFullAdminDoesNotClash() {
        env.role(Bootstrap.ROLE_NAME, Set.of(AccessRights.MANAGE_USERS));
        bootstrap.structure();
        assertThat(env.sql.list("SELECT name FROM karyo_accesses.roles ORDER BY id", rs -> rs.getString(1)))
                .containsExactly(Bootstrap.ROLE_NAME, Bootstrap.ROLE_NAME + " 2");
    }
}
