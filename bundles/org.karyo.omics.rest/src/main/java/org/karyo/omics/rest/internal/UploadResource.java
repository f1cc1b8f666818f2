package org.karyo.omics.rest.internal;

import java.io.InputStream;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.ListQuery;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.PartUrl;
import org.karyo.omics.api.Upload;
import org.karyo.omics.api.UploadPart;
import org.karyo.omics.api.UploadResult;
import org.karyo.omics.api.UploadService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.karyo.rest.support.QueryParams;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/omics/uploads}: the upload protocol. Start an upload (idempotent by key), send its parts through Karyo
 * ({@code PUT parts/{n}}) or straight to storage (a presigned URL), list what arrived to resume, send the declared
 * index, complete it (202 and a validation job), or abort it. Every method needs {@value OmicsRights#UPLOAD} (the
 * service checks it on the upload's project).
 */
@Component(service = UploadResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("omics/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private static final String WHAT = "upload";

    private final UploadService uploads;

    @Activate
    public UploadResource(@Reference UploadService uploads) {
        this.uploads = uploads;
    }

    /**
     * Starts an upload: {@code 201} with {@code Location} and the part size to use; the same idempotency key and body
     * again answer {@code 200} with the same upload; another body with that key, {@code 409}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "createUpload",
            summary = "Start an upload",
            description = "Idempotent by `idempotency_key`: the same key and body again answer 200 with the same"
                    + " upload; the key with another body is a 409. The upload's `part_size` says how to cut the file.")
    @Returns(value = Upload.class, status = 201, description = "The upload is started")
    @Returns(
            value = Upload.class,
            status = 200,
            description = "A retry with the same idempotency key and body: the upload already started")
    @Fails({404, 409})
    public Response create(NewUpload body, @Context UriInfo uri, @Context SecurityContext security) {
        UploadResult r = uploads.create(Callers.of(security), body);
        if (!r.created()) {
            return Response.ok(r.upload())
                    .location(uri.getAbsolutePathBuilder()
                            .path(String.valueOf(r.upload().id()))
                            .build())
                    .build();
        }
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(String.valueOf(r.upload().id()))
                        .build())
                .entity(r.upload())
                .build();
    }

    /** Uploads of the projects the caller may upload to, newest first ({@code ?project=1,2}). */
    @GET
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(id = "listUploads", summary = "List uploads")
    public Page<Upload> list(
            @QueryParam("project") @Param(description = "Only these projects' uploads: comma-separated project ids")
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
        return uploads.list(Callers.of(security), listQuery(project, limit, offset, ordering));
    }

    /** One upload with the parts received so far (what a client resuming needs). */
    @GET
    @Path("{id}")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(id = "getUpload", summary = "Get an upload with the parts received so far")
    public Upload get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @Context SecurityContext security) {
        return uploads.get(Callers.of(security), PathIds.parse(id, WHAT));
    }

    /**
     * Stores part {@code n} streamed through Karyo; its {@code Content-Length} must be the part's exact size (the
     * upload's part size, the rest for the last part). Sending a part again replaces it.
     */
    @PUT
    @Path("{id}/parts/{n}")
    @Consumes(MediaType.WILDCARD)
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "uploadPart",
            summary = "Send one part of an upload through Karyo",
            description = "The body is the part's raw bytes; its `Content-Length` must be the part's exact size (the"
                    + " upload's part size, the rest for the last part). Sending a part again replaces it.")
    @Fails(409)
    public UploadPart putPart(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @PathParam("n") @Param(kind = Param.Kind.INTEGER, description = "The part number, from 1 to 10000")
                    String n,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH)
                    @Param(kind = Param.Kind.INTEGER, description = "The body's size in bytes")
                    String contentLength,
            InputStream body,
            @Context SecurityContext security) {
        long upload = PathIds.parse(id, WHAT);
        int part = Params.part(n);
        long length = Params.contentLength(contentLength);
        return uploads.putPart(Callers.of(security), upload, part, body, length);
    }

    /** A presigned URL to PUT part {@code n} straight to storage (short-lived). */
    @POST
    @Path("{id}/parts/{n}/presign")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "presignUploadPart",
            summary = "Get a short-lived URL to send one part straight to storage",
            description = "Answers 200 with the URL; the part is then sent with a PUT of exactly `size` bytes.")
    @Fails(409)
    public PartUrl presign(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @PathParam("n") @Param(kind = Param.Kind.INTEGER, description = "The part number, from 1 to 10000")
                    String n,
            @Context SecurityContext security) {
        return uploads.presignPart(Callers.of(security), PathIds.parse(id, WHAT), Params.part(n));
    }

    /** The same as {@code POST .../presign}, for clients that prefer a GET. */
    @GET
    @Path("{id}/parts/{n}/url")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "getUploadPartUrl",
            summary = "Get a short-lived URL to send one part straight to storage (as a GET)",
            description = "The same as `presignUploadPart`.")
    @Fails(409)
    public PartUrl partUrl(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @PathParam("n") @Param(kind = Param.Kind.INTEGER, description = "The part number, from 1 to 10000")
                    String n,
            @Context SecurityContext security) {
        return presign(id, n, security);
    }

    /** Stores the declared index ({@code .tbi}/{@code .csi}), checking its size and SHA-256. */
    @PUT
    @Path("{id}/index")
    @Consumes(MediaType.WILDCARD)
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "uploadIndex",
            summary = "Send the upload's declared index",
            description = "The body is the raw `.tbi` or `.csi` index declared when the upload started; its size and"
                    + " SHA-256 must be the declared ones (400), its type too (422). An upload that declared no index"
                    + " answers 409.")
    @Fails({409, 422})
    public Upload putIndex(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH)
                    @Param(kind = Param.Kind.INTEGER, description = "The body's size in bytes")
                    String contentLength,
            InputStream body,
            @Context SecurityContext security) {
        long upload = PathIds.parse(id, WHAT);
        long length = Params.contentLength(contentLength);
        return uploads.putIndex(Callers.of(security), upload, body, length);
    }

    /**
     * Completes the upload: {@code 202} with the validation job and its {@code Location}; completing again answers
     * the same job.
     */
    @POST
    @Path("{id}/complete")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "completeUpload",
            summary = "Complete an upload and start its validation",
            description = "Completing again answers the same job. A missing part or index is a 409.")
    @Returns(
            value = Job.class,
            status = 202,
            description = "The upload is complete; validation runs as this job (Location: the job)")
    @Fails(409)
    public Response complete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        Job job = uploads.complete(Callers.of(security), PathIds.parse(id, WHAT));
        return Response.accepted(job)
                .location(uri.getBaseUriBuilder()
                        .path("omics/jobs")
                        .path(String.valueOf(job.id()))
                        .build())
                .build();
    }

    /** Aborts an upload that is still receiving; its parts are dropped. */
    @DELETE
    @Path("{id}")
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "abortUpload",
            summary = "Abort an upload that is still receiving",
            description = "Its parts are dropped. An upload that is no longer receiving answers 409.")
    @Returns(status = 204, description = "The upload is aborted")
    @Fails(409)
    public Response abort(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
            @Context SecurityContext security) {
        uploads.abort(Callers.of(security), PathIds.parse(id, WHAT));
        return Response.noContent().build();
    }

    static ListQuery listQuery(String project, String limit, String offset, String ordering) {
        Validator v = new Validator();
        Set<Long> projects = Set.copyOf(QueryParams.ids("project", project, v));
        PageRequest page = v.collect(
                () -> PageRequest.parse(
                        limit, offset, ordering, ListQuery.ORDERABLE, ListQuery.DEFAULT_ORDERING, Integer.MAX_VALUE),
                null);
        v.throwIfInvalid();
        return new ListQuery(projects, page);
    }
}
