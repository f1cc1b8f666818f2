package org.karyo.projects.rest.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
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
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.InstitutionService;
import org.karyo.projects.api.InstitutionUpdate;
import org.karyo.projects.api.NewInstitution;
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
 * {@code /api/projects/institutions}: EBDMS institutions. Reads need {@code projects.project.read}, writes {@code projects.project.manage}; the service checks
 * them on the institution's perimeter node (NOT_FOUND for an institution the caller may not see).
 */
@Component(service = InstitutionResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("projects/institutions")
@Produces(MediaType.APPLICATION_JSON)
public class InstitutionResource {

    static final Set<String> INSTITUTION_ORDER = Set.of("code", "name", "created_at");
    static final List<Sort> INSTITUTION_DEFAULT = List.of(new Sort("code", false));

    private final InstitutionService institutions;

    @Activate
    public InstitutionResource(@Reference InstitutionService institutions) {
        this.institutions = institutions;
    }

    /** The institutions the caller may see; {@code search} matches code or name; ordering by code, name, created_at. */
    @GET
    @RequiresRight(PROJECT_READ)
    @Operation(id = "listInstitutions", summary = "List institutions")
    public Page<Institution> list(
            @QueryParam("search") @Param(description = "Text in the institution's code or name") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by code by default",
                            allowed = {"code", "-code", "name", "-name", "created_at", "-created_at"},
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        PageRequest page =
                QueryParams.page(limit, offset, ordering, INSTITUTION_ORDER, INSTITUTION_DEFAULT, Integer.MAX_VALUE, v);
        v.throwIfInvalid();
        return institutions.list(Callers.of(security), search, page);
    }

    /**
     * Creates an institution and its perimeter node: {@code 201} with {@code Location} and {@code ETag}. Under
     * {@code parent_perimeter_id} the caller needs {@code projects.project.manage} on that node; without it (a new
     * root) everywhere.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "createInstitution",
            summary = "Create an institution",
            description = "Its perimeter node is created under `parent_perimeter_id`, or as a new root. A code, name"
                    + " and department, or address already taken is a 409.")
    @Returns(value = Institution.class, status = 201, description = "The institution is created")
    @Fails(409)
    public Response create(NewInstitution body, @Context UriInfo uri, @Context SecurityContext security) {
        Institution i = institutions.create(Callers.of(security), body);
        return Responses.created(uri, i.id(), i, i.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getInstitution", summary = "Get an institution")
    @Returns(value = Institution.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The institution's id") String id,
            @Context SecurityContext security) {
        Institution i = institutions.get(Callers.of(security), Params.path(id, "institution"));
        return Responses.ok(i, i.version());
    }

    /** Replaces name, department and address (the code never changes); optional {@code If-Match}. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "replaceInstitution",
            summary = "Replace an institution's name, department and address",
            description = "The code never changes. A name and department, or address already taken is a 409.")
    @Returns(value = Institution.class, etag = true)
    @Fails(409)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The institution's id") String id,
            InstitutionUpdate body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = Params.path(id, "institution");
        Institution i = institutions.update(Callers.of(security), key, body, ETags.ifMatch(headers));
        return Responses.ok(i, i.version());
    }
}
