package org.karyo.projects.rest.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
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
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectFile;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectService;
import org.karyo.projects.api.ProjectStatus;
import org.karyo.projects.api.ProjectUpdate;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ETags;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.QueryParams;
import org.karyo.rest.support.Responses;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/projects/projects}: EBDMS projects and their files. Reads need {@code projects.project.read}, writes
 * {@code projects.project.manage}; the service checks them on the project's perimeter node, and a project the caller
 * may not see answers 404 for itself and everything in it.
 */
@Component(service = ProjectResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("projects/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    static final Set<String> FILE_ORDER = Set.of("name", "category", "created_at");
    static final List<Sort> FILE_DEFAULT = List.of(new Sort("name", false));
    private static final String WHAT = "project";

    private final ProjectService projects;

    @Activate
    public ProjectResource(@Reference ProjectService projects) {
        this.projects = projects;
    }

    /**
     * The projects the caller may see. Filters: {@code institution_id}, {@code status=ACTIVE,INACTIVE},
     * {@code active=true|false} (EBDMS is_active, today), {@code search} (code or name); ordering from
     * {@link ProjectQuery#ORDERABLE}, by code by default.
     */
    @GET
    @RequiresRight(PROJECT_READ)
    @Operation(id = "listProjects", summary = "List projects")
    public Page<Project> list(
            @QueryParam("institution_id")
                    @Param(kind = Param.Kind.ID, description = "Only the projects of this institution")
                    String institutionId,
            @QueryParam("status")
                    @Param(
                            description = "Only projects with these statuses",
                            allowed = {"ACTIVE", "INACTIVE"},
                            list = true)
                    String status,
            @QueryParam("active")
                    @Param(
                            kind = Param.Kind.BOOLEAN,
                            description = "Only projects active today (true) or not (false): status and dates")
                    String active,
            @QueryParam("search") @Param(description = "Text in the project's code or name") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by code by default",
                            allowed = {
                                "code",
                                "-code",
                                "name",
                                "-name",
                                "start_date",
                                "-start_date",
                                "end_date",
                                "-end_date",
                                "created_at",
                                "-created_at"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        Long institution = QueryParams.id("institution_id", institutionId, v).orElse(null);
        Set<ProjectStatus> statuses = v.collect(
                () -> Filters.values("status", status, s -> ProjectStatus.valueOf(s.toUpperCase(Locale.ROOT))),
                Set.of());
        Boolean isActive = QueryParams.bool("active", active, v).orElse(null);
        PageRequest page = QueryParams.page(
                limit, offset, ordering, ProjectQuery.ORDERABLE, ProjectQuery.DEFAULT_ORDERING, Integer.MAX_VALUE, v);
        v.throwIfInvalid();
        return projects.list(Callers.of(security), new ProjectQuery(institution, statuses, isActive, search, page));
    }

    /**
     * Creates a project and its perimeter node under the institution's node, in one transaction: {@code 201} with
     * {@code Location} and {@code ETag}. Needs {@code projects.project.manage} on the institution.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "createProject",
            summary = "Create a project",
            description = "Its perimeter node is created under the institution's node. A code or name already taken"
                    + " is a 409.")
    @Returns(value = Project.class, status = 201, description = "The project is created")
    @Fails(409)
    public Response create(NewProject body, @Context UriInfo uri, @Context SecurityContext security) {
        Project p = projects.create(Callers.of(security), body);
        return Responses.created(uri, p.id(), p, p.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getProject", summary = "Get a project")
    @Returns(value = Project.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @Context SecurityContext security) {
        Project p = projects.get(Callers.of(security), Params.path(id, WHAT));
        return Responses.ok(p, p.version());
    }

    /** Replaces investigator, name, description, status and dates (never code or institution); {@code If-Match}. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "replaceProject",
            summary = "Replace a project's investigator, name, description, status and dates",
            description = "The code and the institution never change. A name already taken is a 409.")
    @Returns(value = Project.class, etag = true)
    @Fails(409)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            ProjectUpdate body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = Params.path(id, WHAT);
        Project p = projects.update(Callers.of(security), key, body, ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    // ---- files ----------------------------------------------------------------------------------------------------

    /** The project's files (EBDMS associated files), by name. */
    @GET
    @Path("{id}/files")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "listProjectFiles", summary = "List a project's files")
    public Page<ProjectFile> files(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by name by default",
                            allowed = {"name", "-name", "category", "-category", "created_at", "-created_at"},
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        long key = Params.path(id, WHAT);
        Validator v = new Validator();
        PageRequest page = QueryParams.page(limit, offset, ordering, FILE_ORDER, FILE_DEFAULT, Integer.MAX_VALUE, v);
        v.throwIfInvalid();
        return projects.files(Callers.of(security), key, page);
    }

    /**
     * Uploads a file: the raw body (any {@code Content-Type}; the stored type follows the name's extension, checked
     * against the first bytes), {@code ?name=} ending in {@code .pdf}, {@code .xlsx} or {@code .csv},
     * {@code ?category=DOCUMENTS|PROTOCOLS}, optional {@code ?sha256=} checked while it streams. {@code 201} with
     * {@code Location}; {@code 413} over the configured size.
     */
    @POST
    @Path("{id}/files")
    @Consumes(MediaType.WILDCARD)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "createProjectFile",
            summary = "Upload a file to a project",
            description = "The body is the file's raw bytes, sent with any `Content-Type` (for example"
                    + " `application/octet-stream`): a PDF, an Excel workbook (`.xlsx`) or a CSV file. Its type is the"
                    + " one `name`'s extension says (stored as `application/pdf`,"
                    + " `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or `text/csv`), and its"
                    + " first bytes must fit that type (400 otherwise). A name the project already has is a 409.")
    @Returns(value = ProjectFile.class, status = 201, description = "The file is stored")
    @Fails(409)
    public Response addFile(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @QueryParam("name") @Param(description = "The file's name, ending in .pdf, .xlsx or .csv", required = true)
                    String name,
            @QueryParam("category")
                    @Param(
                            description = "The file's category",
                            allowed = {"DOCUMENTS", "PROTOCOLS"},
                            required = true)
                    String category,
            @QueryParam("sha256")
                    @Param(description = "The file's SHA-256 (64 hexadecimal digits), checked while it streams")
                    String sha256,
            InputStream body,
            @Context HttpHeaders headers,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        long key = Params.path(id, WHAT);
        Validator v = new Validator();
        FileCategory c = null;
        if (category != null && !category.isBlank()) {
            try {
                c = FileCategory.valueOf(category.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.check(false, "category", "must be DOCUMENTS or PROTOCOLS");
            }
        } else {
            v.required(null, "category");
        }
        v.throwIfInvalid();
        ProjectFile f =
                projects.addFile(Callers.of(security), key, name, c, Params.upload(body, headers, name, sha256));
        return Response.created(uri.getAbsolutePathBuilder()
                        .replaceQuery(null)
                        .path(Long.toString(f.id()))
                        .build())
                .entity(f)
                .build();
    }

    @GET
    @Path("{id}/files/{fileId}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getProjectFile", summary = "Get a project file's metadata")
    public ProjectFile file(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @PathParam("fileId") @Param(kind = Param.Kind.ID, description = "The file's id") String fileId,
            @Context SecurityContext security) {
        return projects.file(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
    }

    /** The file's bytes, streamed through Karyo, with {@code ETag} = its SHA-256 and a {@code Digest} header. */
    @GET
    @Path("{id}/files/{fileId}/content")
    @Produces(MediaType.WILDCARD)
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "downloadProjectFile",
            summary = "Download a project file's bytes",
            description = "Streamed through Karyo as an attachment; `ETag` and `Digest` carry its SHA-256.")
    @Returns(
            value = StreamingOutput.class,
            description = "The file, in its stored media type",
            mediaTypes = {
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "text/csv"
            })
    public Response content(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @PathParam("fileId") @Param(kind = Param.Kind.ID, description = "The file's id") String fileId,
            @Context SecurityContext security) {
        return Params.download(
                projects.openFile(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file")));
    }

    /** A short-lived presigned URL from which the file can be fetched straight from object storage. */
    @GET
    @Path("{id}/files/{fileId}/link")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getProjectFileLink", summary = "Get a short-lived URL to download a project file from storage")
    public DownloadLink link(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @PathParam("fileId") @Param(kind = Param.Kind.ID, description = "The file's id") String fileId,
            @Context SecurityContext security) {
        return projects.fileLink(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
    }

    /** Deletes a file: {@code 204}; its object is removed once the deletion committed. */
    @DELETE
    @Path("{id}/files/{fileId}")
    @RequiresRight(PROJECT_MANAGE)
    @Operation(id = "deleteProjectFile", summary = "Delete a project file")
    @Returns(status = 204, description = "The file is deleted")
    public Response deleteFile(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The project's id") String id,
            @PathParam("fileId") @Param(kind = Param.Kind.ID, description = "The file's id") String fileId,
            @Context SecurityContext security) {
        projects.deleteFile(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
        return Response.noContent().build();
    }
}
