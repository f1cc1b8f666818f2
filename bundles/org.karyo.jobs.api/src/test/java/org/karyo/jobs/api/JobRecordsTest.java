package org.karyo.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRecordsTest {

    @Test
    void aNewJobIsBuiltStepByStepAndCopiesItsPayload() {
        java.util.HashMap<String, String> payload = new java.util.HashMap<>(Map.of("upload_id", "12"));
        NewJob job = NewJob.of("omics.validation")
                .withKey("upload-12")
                .withPayload(payload)
                .withProgress("bytes", 1000L)
                .superseding()
                .onNode("n1");
        payload.put("later", "x");
        assertThat(job.type()).isEqualTo("omics.validation");
        assertThat(job.key()).isEqualTo("upload-12");
        assertThat(job.payload()).containsExactly(Map.entry("upload_id", "12"));
        assertThat(job.unit()).isEqualTo("bytes");
        assertThat(job.total()).isEqualTo(1000L);
        assertThat(job.supersede()).isTrue();
        assertThat(job.node()).isEqualTo("n1");
        assertThat(NewJob.of("a.b").unit()).isEqualTo(NewJob.DEFAULT_UNIT);
    }

    @Test
    void onlyTheThreeEndStatesAreFinished() {
        assertThat(JobState.QUEUED.finished()).isFalse();
        assertThat(JobState.RUNNING.finished()).isFalse();
        assertThat(JobState.SUCCEEDED.finished()).isTrue();
        assertThat(JobState.FAILED.finished()).isTrue();
        assertThat(JobState.CANCELLED.finished()).isTrue();
    }

    @Test
    void progressIsNeverNegative() {
        assertThat(new Progress(0, null, "rows").total()).isNull();
        assertThatThrownBy(() -> new Progress(-1, 10L, "rows")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Progress(1, -10L, "rows")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRightBelongsToTheJobsModule() {
        assertThat(JobRights.definitions())
                .extracting(d -> d.key())
                .containsExactly(JobRights.MANAGE, JobRights.TASKS_MANAGE)
                .allMatch(k -> k.startsWith(JobRights.MODULE + "."));
    }

    @Test
    void aCancelledJobSaysWhichJobItWas() {
        JobContext cancelled = new JobContext() {
            public long id() {
                return 42;
            }

            public String type() {
                return "a.b";
            }

            public String key() {
                return null;
            }

            public Map<String, String> payload() {
                return Map.of();
            }

            public org.karyo.api.security.Caller caller() {
                return org.karyo.api.security.Caller.SYSTEM;
            }

            public int attempt() {
                return 1;
            }

            public String node() {
                return "n";
            }

            public Map<String, String> checkpoint() {
                return Map.of();
            }

            public void checkpoint(Map<String, String> state) {}

            public void progress(long done, Long total) {}

            public boolean cancelled() {
                return true;
            }
        };
        assertThatThrownBy(cancelled::throwIfCancelled)
                .isInstanceOf(JobCancelledException.class)
                .hasMessage("job 42 was cancelled");
    }
}
