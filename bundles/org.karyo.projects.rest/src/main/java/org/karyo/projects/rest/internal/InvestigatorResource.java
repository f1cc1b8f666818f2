package org.karyo.projects.rest.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.util.List;
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
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.projects.api.InstitutionService;
import org.karyo.projects.api.Investigator;
import org.karyo.projects.api.InvestigatorUpdate;
import org.karyo.projects.api.NewInvestigator;
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
 * {@code /api/projects/investigators}: the principal investigators of institutions. Reads need
 * {@code projects.project.read}, writes {@code projects.project.manage}, checked by the service on the institution's
 * perimeter node (NOT_FOUND for an investigator of an institution the caller may not see).
 */
@Component(service = InvestigatorResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("projects/investigators")
@Produces(MediaType.APPLICATION_JSON)
public class InvestigatorResource {

    static final Set<String> ORDER = Set.of("last_name", "first_name", "created_at");
    static final List<Sort> DEFAULT_ORDER = List.of(new Sort("last_name", false), new Sort("first_name", false));

    private final InstitutionService institutions;

    @Activate
    public InvestigatorResource(@Reference InstitutionService institutions) {
        this.institutions = institutions;
    }

    /** The investigators the caller may see, of one institution with {@code institution_id}. */
    @GET
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "listInvestigators",
            summary = "List principal investigators",
            description = "An `institution_id` the caller may not see answers 404.")
    @Fails(404)
    public Page<Investigator> list(
            @QueryParam("institution_id")
                    @Param(kind = Param.Kind.ID, description = "Only the investigators of this institution")
                    String institutionId,
            @QueryParam("search") @Param(description = "Text in the investigator's names") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by last and first name by default",
                            allowed = {
                                "last_name",
                                "-last_name",
                                "first_name",
                                "-first_name",
                                "created_at",
                                "-created_at"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        Long institution = QueryParams.id("institution_id", institutionId, v).orElse(null);
        PageRequest page = QueryParams.page(limit, offset, ordering, ORDER, DEFAULT_ORDER, Integer.MAX_VALUE, v);
        v.throwIfInvalid();
        return institutions.investigators(Callers.of(security), institution, search, page);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "createInvestigator",
            summary = "Create a principal investigator of an institution",
            description = "An institution that already has an investigator of this name answers 409.")
    @Returns(value = Investigator.class, status = 201, description = "The investigator is created")
    @Fails(409)
    public Response create(NewInvestigator body, @Context UriInfo uri, @Context SecurityContext security) {
        Investigator i = institutions.createInvestigator(Callers.of(security), body);
        return Responses.created(uri, i.id(), i, i.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getInvestigator", summary = "Get a principal investigator")
    @Returns(value = Investigator.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The investigator's id") String id,
            @Context SecurityContext security) {
        Investigator i = institutions.investigator(Callers.of(security), Params.path(id, "investigator"));
        return Responses.ok(i, i.version());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "replaceInvestigator",
            summary = "Replace a principal investigator's names and contact details",
            description = "A name another investigator of the institution has is a 409.")
    @Returns(value = Investigator.class, etag = true)
    @Fails(409)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The investigator's id") String id,
            InvestigatorUpdate body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = Params.path(id, "investigator");
        Investigator i = institutions.updateInvestigator(Callers.of(security), key, body, ETags.ifMatch(headers));
        return Responses.ok(i, i.version());
    }

    /** Deletes an investigator who leads no project ({@code 409} otherwise): {@code 204}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(PROJECT_MANAGE)
    @Operation(
            id = "deleteInvestigator",
            summary = "Delete a principal investigator",
            description = "An investigator who leads projects cannot be deleted (409).")
    @Returns(status = 204, description = "The investigator is deleted")
    @Fails(409)
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The investigator's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = Params.path(id, "investigator");
        institutions.deleteInvestigator(Callers.of(security), key, ETags.ifMatch(headers));
        return Response.noContent().build();
    }
}
