package org.karyo.jobs.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RequiresRight;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.api.Progress;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskScope;
import org.karyo.jobs.api.TaskService;
import org.mockito.ArgumentCaptor;

class JobResourceTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private final JobService jobs = mock(JobService.class);
    private final TaskService tasks = mock(TaskService.class);
    private final JobResource jobResource = new JobResource(jobs);
    private final TaskResource taskResource = new TaskResource(tasks);
    private final Caller caller = mock(Caller.class);
    private final SecurityContext security = mock(SecurityContext.class);

    JobResourceTest() {
        when(security.getUserPrincipal()).thenReturn(caller);
        when(jobs.list(any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
    }

    private static Job job(long id, JobState state, boolean cancelRequested) {
        return new Job(
                id,
                "omics.validation",
                "omics",
                "upload-1",
                "u1",
                state,
                new Progress(10, 100L, "bytes"),
                1,
                3,
                "n1",
                cancelRequested,
                null,
                Map.of(),
                T,
                T,
                null,
                T);
    }

    @Test
    void theListDecodesItsFiltersAndPaging() {
        jobResource.list(
                "omics.validation,jobs.task",
                "omics",
                "QUEUED,RUNNING",
                "u1",
                "upload-1",
                "5",
                "10",
                "-created_at",
                security);
        ArgumentCaptor<JobQuery> query = ArgumentCaptor.forClass(JobQuery.class);
        verify(jobs).list(eq(caller), query.capture());
        JobQuery q = query.getValue();
        assertThat(q.types()).containsExactlyInAnyOrder("omics.validation", "jobs.task");
        assertThat(q.modules()).containsExactly("omics");
        assertThat(q.states()).containsExactlyInAnyOrder(JobState.QUEUED, JobState.RUNNING);
        assertThat(q.owner()).isEqualTo("u1");
        assertThat(q.key()).isEqualTo("upload-1");
        assertThat(q.page()).isEqualTo(new PageRequest(5, 10, List.of(new Sort("created_at", true))));
    }

    @Test
    void badFiltersAreAllNamedAndReachNoService() {
        assertThatThrownBy(() -> jobResource.list(null, null, "DONE", null, null, "0", null, "colour", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors())
                            .extracting(FieldError::field)
                            .containsExactlyInAnyOrder("state", "limit", "ordering");
                });
        assertThatThrownBy(() -> jobResource.get("abc", security))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        verifyNoInteractions(jobs);
    }

    @Test
    void cancellingAQueuedJobIs200AndARunningOne202() {
        when(jobs.cancel(caller, 7)).thenReturn(job(7, JobState.CANCELLED, false));
        when(jobs.cancel(caller, 8)).thenReturn(job(8, JobState.RUNNING, true));
        assertThat(jobResource.cancel("7", security).getStatus()).isEqualTo(200);
        Response running = jobResource.cancel("8", security);
        assertThat(running.getStatus()).isEqualTo(202);
        assertThat(((Job) running.getEntity()).cancelRequested()).isTrue();
    }

    @Test
    void runningATaskIs202WithTheJobsLocation() {
        when(tasks.run(caller, "jobs.prune")).thenReturn(job(9, JobState.QUEUED, false));
        UriInfo uri = mock(UriInfo.class);
        when(uri.getBaseUriBuilder()).thenReturn(UriBuilder.fromUri("http://h/api/"));
        Response r = taskResource.run("jobs.prune", uri, security);
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://h/api/jobs/9"));
    }

    @Test
    void theTaskListIsPagedLikeEveryList() {
        TaskInfo a = new TaskInfo(
                "a.one", "a", "d", TaskScope.CLUSTER, "0 0 1 * * ?", "0 0 1 * * ?", true, T, null, List.of());
        TaskInfo b = new TaskInfo(
                "b.two", "b", "d", TaskScope.NODE, "0 0 1 * * ?", "0 0 1 * * ?", false, null, null, List.of());
        when(tasks.list(caller)).thenReturn(List.of(a, b));
        Page<TaskInfo> page = taskResource.list("1", "1", security);
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.results()).containsExactly(b);
        assertThat(taskResource.list(null, "5", security).results()).isEmpty();
    }

    @Test
    void everyOperationDeclaresWhatItNeeds() {
        for (Class<?> c : List.of(JobResource.class, TaskResource.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class)) {
                    boolean declared =
                            m.isAnnotationPresent(Authenticated.class) || m.isAnnotationPresent(RequiresRight.class);
                    assertThat(declared)
                            .as(c.getSimpleName() + "." + m.getName())
                            .isTrue();
                }
            }
        }
        assertThat(Arrays.stream(TaskResource.class.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(RequiresRight.class))
                        .map(m -> m.getAnnotation(RequiresRight.class).value())
                        .distinct())
                .containsExactly(JobRights.TASKS_MANAGE);
    }
}
