package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start line's account of the server: its version and whether Karyo's tests run on it. */
class ServerVersionTest {

    @Test
    void theServerOfTheTestsIsOneKaryoIsTestedOn() throws Exception {
        try (PgTest.Fresh db = PgTest.freshDatabase()) {
            ServerVersion v = ServerVersion.of(db.pool());
            assertThat(v.tested())
                    .as("the tests run on PostgreSQL %s, so it must be listed as tested", v.display())
                    .isTrue();
            assertThat(v.describe()).startsWith("PostgreSQL " + v.display() + ", a version Karyo's tests run on (");
            assertThat(v.display()).matches("\\d+\\.\\d+");
        }
    }

    @Test
    void theVersionIsShownWithoutBuildDetailsAndAnUntestedOneIsSaidToBe() {
        ServerVersion debian = ServerVersion.of(150020, "15.20 (Debian 15.20-0+deb12u1)");
        assertThat(debian.major()).isEqualTo(15);
        assertThat(debian.describe()).isEqualTo("PostgreSQL 15.20, a version Karyo's tests run on (15 and 16)");

        ServerVersion old = ServerVersion.of(130004, "13.4");
        assertThat(old.tested()).isFalse();
        assertThat(old.describe())
                .isEqualTo("PostgreSQL 13.4, a version Karyo's tests do not run on (they run on 15 and 16)");
    }
}
