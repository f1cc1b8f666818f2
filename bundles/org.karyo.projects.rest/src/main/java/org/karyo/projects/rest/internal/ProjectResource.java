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
import org.karyo.rest.support.Karyo;
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
    public Page<Project> list(
            @QueryParam("institution_id") String institutionId,
            @QueryParam("status") String status,
            @QueryParam("active") String active,
            @QueryParam("search") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering") String ordering,
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
    @Returns(Project.class)
    public Response create(NewProject body, @Context UriInfo uri, @Context SecurityContext security) {
        Project p = projects.create(Callers.of(security), body);
        return Responses.created(uri, p.id(), p, p.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Returns(Project.class)
    public Response get(@PathParam("id") String id, @Context SecurityContext security) {
        Project p = projects.get(Callers.of(security), Params.path(id, WHAT));
        return Responses.ok(p, p.version());
    }

    /** Replaces investigator, name, description, status and dates (never code or institution); {@code If-Match}. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Returns(Project.class)
    public Response update(
            @PathParam("id") String id,
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
    public Page<ProjectFile> files(
            @PathParam("id") String id,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering") String ordering,
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
    @Returns(ProjectFile.class)
    public Response addFile(
            @PathParam("id") String id,
            @QueryParam("name") String name,
            @QueryParam("category") String category,
            @QueryParam("sha256") String sha256,
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
    public ProjectFile file(
            @PathParam("id") String id, @PathParam("fileId") String fileId, @Context SecurityContext security) {
        return projects.file(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
    }

    /** The file's bytes, streamed through Karyo, with {@code ETag} = its SHA-256 and a {@code Digest} header. */
    @GET
    @Path("{id}/files/{fileId}/content")
    @Produces(MediaType.WILDCARD)
    @RequiresRight(PROJECT_READ)
    public Response content(
            @PathParam("id") String id, @PathParam("fileId") String fileId, @Context SecurityContext security) {
        return Params.download(
                projects.openFile(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file")));
    }

    /** A short-lived presigned URL from which the file can be fetched straight from object storage. */
    @GET
    @Path("{id}/files/{fileId}/link")
    @RequiresRight(PROJECT_READ)
    public DownloadLink link(
            @PathParam("id") String id, @PathParam("fileId") String fileId, @Context SecurityContext security) {
        return projects.fileLink(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
    }

    /** Deletes a file: {@code 204}; its object is removed once the deletion committed. */
    @DELETE
    @Path("{id}/files/{fileId}")
    @RequiresRight(PROJECT_MANAGE)
    public Response deleteFile(
            @PathParam("id") String id, @PathParam("fileId") String fileId, @Context SecurityContext security) {
        projects.deleteFile(Callers.of(security), Params.path(id, WHAT), Params.path(fileId, "file"));
        return Response.noContent().build();
    }
}
