package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.auth.api.UserKind;

class BootstrapTest {
    private Fixture f;
    private AdminBootstrap bootstrap;

    @BeforeEach
    void setUp() {
        f = new Fixture();
        bootstrap = new AdminBootstrap(f.db.dataSource(), f.db.unitOfWork(), f.audit, f.settings, f.clock);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void theDevProfileCreatesAdminWithPasswordAdmin() {
        assertThat(bootstrap.run(env("KARYO_PROFILE", "dev"))).isPresent();
        UserRow admin = f.users.byUsername("admin").orElseThrow();
        assertThat(admin.kind()).isEqualTo(UserKind.PERSON);
        assertThat(admin.active()).isTrue();
        assertThat(f.login("admin", "admin").accessToken()).isNotBlank();
        assertThat(f.audit.last("auth.user.create").event().details()).containsEntry("bootstrap", "true");
        assertThat(f.audit.last("auth.user.create").actorId()).isEqualTo("system");
        // issue 10 §3: it was " (admin)"
        assertThat(f.userService.find("admin").orElseThrow().displayName()).isEqualTo("admin");
    }

    @Test
    void outsideDevAMissingPasswordCreatesNothing() {
        assertThat(bootstrap.run(env("KARYO_ADMIN_USERNAME", "root1"))).isEmpty();
        assertThat(f.users.byUsername("root1")).isEmpty();
        assertThat(f.audit.entries()).isEmpty();
    }

    @Test
    void outsideDevWeakOrDefaultPasswordsAreRefused() {
        for (String weak : new String[] {"admin", "karaf", "changeme", "password", "Password1234", "short-1A"}) {
            assertThat(bootstrap.run(env("KARYO_ADMIN_PASSWORD", weak)))
                    .as(weak)
                    .isEmpty();
        }
        assertThat(bootstrap.run(env("KARYO_ADMIN_PASSWORD", "My-admin-Secret-99")))
                .isEmpty();
        assertThat(f.users.byUsername("admin")).isEmpty();
    }

    @Test
    void outsideDevAStrongPasswordCreatesTheNamedAdministratorOnce() {
        EnvOverrides env = EnvOverrides.of(Map.of(
                "KARYO_ADMIN_USERNAME", "chief", "KARYO_ADMIN_PASSWORD", "Correct-Horse-42!", "KARYO_PROFILE", "prod"));
        assertThat(bootstrap.run(env)).isPresent();
        assertThat(f.login("chief", "Correct-Horse-42!").user().username()).isEqualTo("chief");
        assertThat(bootstrap.run(env)).isEmpty();
    }

    @Test
    void nothingHappensWhenUsersExist() {
        f.person("alice");
        assertThat(bootstrap.run(env("KARYO_PROFILE", "dev"))).isEmpty();
        assertThat(f.users.byUsername("admin")).isEmpty();
    }

    @Test
    void anInvalidUsernameCreatesNothing() {
        assertThat(bootstrap.run(EnvOverrides.of(Map.of("KARYO_PROFILE", "dev", "KARYO_ADMIN_USERNAME", "bad name!"))))
                .isEmpty();
    }

    private static EnvOverrides env(String k, String v) {
        return EnvOverrides.of(Map.of(k, v));
    }
}
