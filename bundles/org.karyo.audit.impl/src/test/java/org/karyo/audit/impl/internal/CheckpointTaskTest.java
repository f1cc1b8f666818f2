package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;

class CheckpointTaskTest {

    private static CheckpointTask task(boolean signs, Duration interval) {
        return new CheckpointTask(() -> true, signs, interval);
    }

    @Test
    void theIntervalBecomesAPerNodeCronScheduleNeverRarerThanConfigured() {
        assertThat(task(true, Duration.ofMinutes(60)).defaultSchedule()).isEqualTo("0 0 * * * ?");
        assertThat(task(true, Duration.ofMinutes(60)).scope()).isEqualTo(TaskScope.NODE);
        assertThat(CheckpointTask.cron(Duration.ofMinutes(1))).isEqualTo("0 0/1 * * * ?");
        assertThat(CheckpointTask.cron(Duration.ofMinutes(15))).isEqualTo("0 0/15 * * * ?");
        assertThat(CheckpointTask.cron(Duration.ofMinutes(45))).isEqualTo("0 0/30 * * * ?");
        assertThat(CheckpointTask.cron(Duration.ofHours(2))).isEqualTo("0 0 0/2 * * ?");
        assertThat(CheckpointTask.cron(Duration.ofHours(5))).isEqualTo("0 0 0/4 * * ?");
        assertThat(CheckpointTask.cron(Duration.ofDays(1))).isEqualTo("0 0 0 * * ?");
        assertThat(CheckpointTask.cron(Duration.ofDays(2))).isEqualTo("0 0 0 1/2 * ?");
        assertThat(CheckpointTask.cron(Duration.ofDays(7))).isEqualTo("0 0 0 ? * MON");
    }

    @Test
    void withoutASchedulerHealthSaysCheckpointsAreNotBeingSigned() {
        CheckpointTask task = task(true, Duration.ofMinutes(60));
        assertThat(task.name()).isEqualTo("audit.checkpoint");
        assertThat(task.ready()).as("the platform keeps serving").isTrue();
        assertThat(task.detail()).contains("checkpoints are not being signed").contains("karyo-jobs");

        TaskService scheduler = (TaskService) java.lang.reflect.Proxy.newProxyInstance(
                TaskService.class.getClassLoader(), new Class<?>[] {TaskService.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        task.setScheduler(scheduler);
        assertThat(task.ready()).isTrue();
        assertThat(task.detail()).isNull();
        task.unsetScheduler(scheduler);
        assertThat(task.detail()).contains("checkpoints are not being signed");
    }

    @Test
    void withoutAKeyThereIsNothingToSignAndNothingToReport() {
        CheckpointTask task = task(false, Duration.ofMinutes(60));
        assertThat(task.ready()).isTrue();
        assertThat(task.detail()).isNull();
    }
}
