package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.jobs.api.TaskScope;
import org.karyo.testing.TestTaskContext;

/** The hourly identity upkeep as a task of the platform scheduler: what one run does, on a real database. */
class HousekeepingTaskTest {
    private Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private int count(String table) throws Exception {
        try (var c = f.db.dataSource().getConnection();
                var rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aRunDropsOldBackOffRowsAndSaysWhatItDid() throws Exception {
        HousekeepingTask task = new HousekeepingTask(f.keys, f.sessions, f.backoff);
        assertThat(task.name()).isEqualTo("auth.housekeeping");
        assertThat(task.scope()).isEqualTo(TaskScope.CLUSTER);
        assertThat(task.catchUp()).isTrue();
        assertThat(task.defaultSchedule()).isEqualTo("0 0 * * * ?");

        f.backoff.failure("user:u1");
        assertThat(count("karyo_auth.login_failures")).isEqualTo(1);
        f.clock.advance(Duration.ofHours(2));
        TestTaskContext run = TestTaskContext.of(task.name());
        task.run(run);

        assertThat(count("karyo_auth.login_failures")).isZero();
        assertThat(run.summary()).contains("signing keys maintained");
    }
}
