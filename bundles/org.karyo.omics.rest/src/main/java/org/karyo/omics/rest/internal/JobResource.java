package org.karyo.omics.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.karyo.api.Page;
import org.karyo.api.security.RequiresRight;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.UploadService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/omics/jobs}: validation jobs of completed uploads ({@code received -> validating -> available |
 * rejected | failed | cancelled}), with the bytes read so far out of the file's size; a rejected job says where the
 * file is wrong. Each is a platform job too ({@code GET /api/jobs/{id}}, cancelled with
 * {@code POST /api/jobs/{id}/cancel}). Needs {@value OmicsRights#UPLOAD} on the project.
 */
@Component(service = JobResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("omics/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final UploadService uploads;

    @Activate
    public JobResource(@Reference UploadService uploads) {
        this.uploads = uploads;
    }

    /** Jobs of the projects the caller may upload to, newest first ({@code ?project=1,2}). */
    @GET
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(id = "listValidationJobs", summary = "List the validation jobs of uploads")
    public Page<Job> list(
            @QueryParam("project") @Param(description = "Only these projects' jobs: comma-separated project ids")
                    String project,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; newest first by default",
                            allowed = {"id", "-id", "created_at", "-created_at"},
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        return uploads.jobs(Callers.of(security), UploadResource.listQuery(project, limit, offset, ordering));
    }

    /** One job: poll it until it is available (then {@code artifact_id} names the artifact) or rejected. */
    @GET
    @Path("{id}")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(id = "getValidationJob", summary = "Get the validation job of an upload")
    public Job get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The job's id") String id,
            @Context SecurityContext security) {
        return uploads.job(Callers.of(security), PathIds.parse(id, "job"));
    }
}
