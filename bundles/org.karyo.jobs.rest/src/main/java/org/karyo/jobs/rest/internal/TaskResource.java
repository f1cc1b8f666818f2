package org.karyo.jobs.rest.internal;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.RequiresRight;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.TaskInfo;
import org.karyo.jobs.api.TaskRun;
import org.karyo.jobs.api.TaskService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/tasks}: the scheduled tasks of the node answering, their schedule, next and last run; running one now;
 * the run history. Every operation needs {@value JobRights#TASKS_MANAGE}.
 */
@Component(service = TaskResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    private static final List<Sort> NEWEST_FIRST = List.of(new Sort("id", true));

    private final TaskService tasks;

    @Activate
    public TaskResource(@Reference TaskService tasks) {
        this.tasks = tasks;
    }

    /** Every task, by name: schedule (Quartz cron), whether it is enabled, next run, last run. */
    @GET
    @RequiresRight(JobRights.TASKS_MANAGE)
    @Operation(id = "listTasks", summary = "List the scheduled tasks")
    public Page<TaskInfo> list(
            @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context SecurityContext security) {
        PageRequest page = PageRequest.parse(limit, offset, null, java.util.Set.of(), List.of(), JobResource.MAX_PAGE);
        List<TaskInfo> all = tasks.list(Callers.of(security));
        int from = Math.min(page.offset(), all.size());
        int to = Math.min(all.size(), from + page.limit());
        return new Page<>(all.size(), page.limit(), page.offset(), all.subList(from, to));
    }

    /** One task. */
    @GET
    @Path("{name}")
    @RequiresRight(JobRights.TASKS_MANAGE)
    @Operation(id = "getTask", summary = "Get a scheduled task")
    public TaskInfo get(
            @PathParam("name") @Param(description = "The task's name") String name, @Context SecurityContext security) {
        return tasks.get(Callers.of(security), name);
    }

    /**
     * Runs a task now, whether or not its schedule is enabled: {@code 202} with the job that runs it and its
     * {@code Location} ({@code /api/jobs/{id}}).
     */
    @POST
    @Path("{name}/run")
    @RequiresRight(JobRights.TASKS_MANAGE)
    @Operation(id = "runTask", summary = "Run a scheduled task now")
    @Returns(value = Job.class, status = 202, description = "The job that runs the task; its state is at Location")
    public Response run(
            @PathParam("name") @Param(description = "The task's name") String name,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        Job job = tasks.run(Callers.of(security), name);
        return Response.accepted(job)
                .location(uri.getBaseUriBuilder()
                        .path("jobs")
                        .path(String.valueOf(job.id()))
                        .build())
                .build();
    }

    /** The runs of a task, newest first: firings (run, skipped, interrupted) and manual runs. */
    @GET
    @Path("{name}/runs")
    @RequiresRight(JobRights.TASKS_MANAGE)
    @Operation(id = "listTaskRuns", summary = "List the runs of a scheduled task")
    public Page<TaskRun> runs(
            @PathParam("name") @Param(description = "The task's name") String name,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext security) {
        PageRequest page =
                PageRequest.parse(limit, offset, null, java.util.Set.of(), NEWEST_FIRST, JobResource.MAX_PAGE);
        return tasks.history(Callers.of(security), name, page);
    }
}
