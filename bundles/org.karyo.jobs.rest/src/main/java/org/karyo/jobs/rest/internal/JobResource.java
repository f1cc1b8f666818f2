package org.karyo.jobs.rest.internal;

import java.util.Set;
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
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Authenticated;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobQuery;
import org.karyo.jobs.api.JobRights;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.JobState;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/jobs}: the platform's jobs (validations, imports, counts, exports, manual task runs) with their state and
 * progress. Any signed-in caller sees and cancels its own jobs; a holder of {@value JobRights#MANAGE} every job. A job
 * the caller may not see answers 404, as one that does not exist.
 */
@Component(service = JobResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    /** The largest page a client may ask for. */
    static final int MAX_PAGE = 1000;

    private static final String WHAT = "job";

    private final JobService jobs;

    @Activate
    public JobResource(@Reference JobService jobs) {
        this.jobs = jobs;
    }

    /**
     * The caller's jobs (every job for a holder of {@value JobRights#MANAGE}), newest first. Filters:
     * {@code type=omics.validation,…}, {@code module=omics,…}, {@code state=QUEUED,RUNNING,…}, {@code owner=<id>},
     * {@code key=<the module's key>}; {@code ordering} from {@code id, created_at, updated_at, state, type}.
     */
    @GET
    @Authenticated
    @Operation(
            id = "listJobs",
            summary = "List jobs",
            description = "The caller's jobs, or every job for a holder of the right to manage jobs.")
    public Page<Job> list(
            @QueryParam("type") @Param(description = "Only jobs of these types (comma-separated)") String type,
            @QueryParam("module") @Param(description = "Only jobs of these modules (comma-separated)") String module,
            @QueryParam("state")
                    @Param(
                            description = "Only jobs in these states",
                            allowed = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"},
                            list = true)
                    String state,
            @QueryParam("owner") @Param(description = "Only jobs of this user id") String owner,
            @QueryParam("key") @Param(description = "Only jobs with this module key") String key,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; newest first by default",
                            allowed = {
                                "id",
                                "-id",
                                "created_at",
                                "-created_at",
                                "updated_at",
                                "-updated_at",
                                "state",
                                "-state",
                                "type",
                                "-type"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        Set<JobState> states = v.collect(() -> Filters.values("state", state, JobState::valueOf), Set.of());
        PageRequest page = v.collect(
                () -> PageRequest.parse(
                        limit, offset, ordering, JobQuery.ORDERABLE, JobQuery.DEFAULT_ORDERING, MAX_PAGE),
                null);
        v.maxLength(owner, "owner", 200).maxLength(key, "key", 200);
        v.throwIfInvalid();
        JobQuery query = new JobQuery(Filters.values(type), Filters.values(module), states, owner, key, page);
        return jobs.list(Callers.of(security), query);
    }

    /** One job: its state, its progress ({@code done} of {@code total} {@code unit}), its result or error. */
    @GET
    @Path("{id}")
    @Authenticated
    @Operation(id = "getJob", summary = "Get a job with its progress and result")
    public Job get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The job's id") String id,
            @Context SecurityContext security) {
        return jobs.get(Callers.of(security), PathIds.parse(id, WHAT));
    }

    /**
     * Cancels a job: {@code 200} with the job {@code CANCELLED} when it had not started; {@code 202} with the job
     * still {@code RUNNING} and {@code cancel_requested} when it runs (it stops soon: poll it); {@code 409} when it has
     * already ended.
     */
    @POST
    @Path("{id}/cancel")
    @Authenticated
    @Operation(id = "cancelJob", summary = "Cancel a job")
    @Returns(value = Job.class, status = 200, description = "The job had not started and is cancelled")
    @Returns(value = Job.class, status = 202, description = "The job runs and stops soon (cancel_requested): poll it")
    @Fails(409)
    public Response cancel(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The job's id") String id,
            @Context SecurityContext security) {
        Job job = jobs.cancel(Callers.of(security), PathIds.parse(id, WHAT));
        return job.state().finished()
                ? Response.ok(job).build()
                : Response.accepted(job).build();
    }
}
