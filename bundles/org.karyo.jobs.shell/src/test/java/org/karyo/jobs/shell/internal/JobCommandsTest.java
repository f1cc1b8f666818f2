package org.karyo.jobs.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.Progress;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskOutcome;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;
import org.karyo.jobs.api.TaskTrigger;
import org.mockito.ArgumentCaptor;

class JobCommandsTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
    private final Caller ops = mock(Caller.class);
    private final ConsoleIdentity identity = user -> ops;
    private final JobService jobs = mock(JobService.class);
    private final TaskService tasks = mock(TaskService.class);

    private static Job job(long id, JobState state, boolean cancelRequested, String error) {
        return new Job(
                id,
                "omics.validation",
                "omics",
                "upload-1",
                "u1",
                state,
                new Progress(250, 1000L, "bytes"),
                1,
                3,
                "n1",
                cancelRequested,
                error,
                Map.of("artifact_id", "12"),
                T,
                T,
                null,
                T);
    }

    private static String out(Consumer<PrintStream> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jobListShowsStateAndProgressAndPassesItsFilters() {
        JobListCommand c = new JobListCommand();
        c.jobs = jobs;
        c.identity = identity;
        c.state = "running,queued";
        c.type = "omics.validation";
        when(jobs.list(eq(ops), any())).thenReturn(new Page<>(1, 20, 0, List.of(job(7, JobState.RUNNING, true, null))));
        String printed = out(c::print);
        assertThat(printed)
                .contains("RUNNING (cancelling)", "250/1000 bytes (25%)", "omics.validation", "1 of 1 shown");
        ArgumentCaptor<JobQuery> q = ArgumentCaptor.forClass(JobQuery.class);
        verify(jobs).list(eq(ops), q.capture());
        assertThat(q.getValue().states()).containsExactlyInAnyOrder(JobState.RUNNING, JobState.QUEUED);
        assertThat(q.getValue().types()).containsExactly("omics.validation");
    }

    @Test
    void aBadOptionIsNamedAndNothingIsAsked() {
        JobListCommand c = new JobListCommand();
        c.jobs = jobs;
        c.identity = identity;
        c.state = "DONE";
        assertThatThrownBy(() -> out(c::print)).hasMessageContaining("--state unknown value 'DONE'");
        c.state = null;
        c.limit = 0;
        assertThatThrownBy(() -> out(c::print)).hasMessageContaining("--limit must be between 1 and 1000");
        verifyNoInteractions(jobs);
    }

    @Test
    void jobShowAndJobCancelSayWhatHappened() {
        JobShowCommand show = new JobShowCommand();
        show.jobs = jobs;
        show.identity = identity;
        show.id = 7;
        when(jobs.get(ops, 7)).thenReturn(job(7, JobState.FAILED, false, "line 3: not a VCF"));
        assertThat(out(show::print))
                .contains("Job 7", "FAILED", "line 3: not a VCF", "Result artifact_id", "1 of at most 3");

        JobCancelCommand cancel = new JobCancelCommand();
        cancel.jobs = jobs;
        cancel.identity = identity;
        cancel.id = 7;
        when(jobs.cancel(ops, 7)).thenReturn(job(7, JobState.RUNNING, true, null));
        assertThat(out(cancel::print)).contains("Job 7 asked to stop (it runs on node n1)");
        cancel.id = 8;
        when(jobs.cancel(ops, 8)).thenReturn(job(8, JobState.CANCELLED, false, "cancelled before it started"));
        assertThat(out(cancel::print)).contains("Job 8 cancelled");
        cancel.id = 9;
        when(jobs.cancel(ops, 9)).thenThrow(KaryoException.conflict("job 9 has already ended (SUCCEEDED)"));
        assertThatThrownBy(() -> out(cancel::print)).hasMessage("job 9 has already ended (SUCCEEDED)");
    }

    @Test
    void taskCommandsListRunAndShowTheHistory() {
        TaskRun last = new TaskRun(
                5L,
                "jobs.prune",
                T,
                TaskTrigger.SCHEDULE,
                "n1",
                TaskOutcome.SUCCEEDED,
                null,
                "removed 3 job(s)",
                null,
                "system",
                T,
                T);
        when(tasks.list(ops))
                .thenReturn(List.of(new TaskInfo(
                        "jobs.prune",
                        "jobs",
                        "Removes old jobs",
                        TaskScope.CLUSTER,
                        "0 15 4 * * ?",
                        "0 15 4 * * ?",
                        true,
                        T,
                        last,
                        List.of())));
        TaskListCommand list = new TaskListCommand();
        list.tasks = tasks;
        list.identity = identity;
        assertThat(out(list::print))
                .contains("jobs.prune", "CLUSTER", "0 15 4 * * ?", "SUCCEEDED 2026-01-02 03:04:05Z on n1");

        TaskRunCommand run = new TaskRunCommand();
        run.tasks = tasks;
        run.identity = identity;
        run.name = "jobs.prune";
        when(tasks.run(ops, "jobs.prune")).thenReturn(job(11, JobState.QUEUED, false, null));
        assertThat(out(run::print)).contains("Task jobs.prune runs as job 11");

        TaskHistoryCommand history = new TaskHistoryCommand();
        history.tasks = tasks;
        history.identity = identity;
        when(tasks.history(eq(ops), eq(null), any())).thenReturn(new Page<>(1, 20, 0, List.of(last)));
        assertThat(out(history::print)).contains("jobs.prune", "SCHEDULE", "removed 3 job(s)", "1 of 1 shown");
    }

    @Test
    void everyCommandIsInTheKaryoScopeWithHelp() {
        for (Class<?> c : List.of(
                JobListCommand.class,
                JobShowCommand.class,
                JobCancelCommand.class,
                TaskListCommand.class,
                TaskRunCommand.class,
                TaskHistoryCommand.class)) {
            Command command = c.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).hasSizeGreaterThan(30);
        }
    }
}
