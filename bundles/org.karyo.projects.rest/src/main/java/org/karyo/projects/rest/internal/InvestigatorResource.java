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
    public Page<Investigator> list(
            @QueryParam("institution_id") String institutionId,
            @QueryParam("search") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering") String ordering,
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
    @Returns(Investigator.class)
    public Response create(NewInvestigator body, @Context UriInfo uri, @Context SecurityContext security) {
        Investigator i = institutions.createInvestigator(Callers.of(security), body);
        return Responses.created(uri, i.id(), i, i.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Returns(Investigator.class)
    public Response get(@PathParam("id") String id, @Context SecurityContext security) {
        Investigator i = institutions.investigator(Callers.of(security), Params.path(id, "investigator"));
        return Responses.ok(i, i.version());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PROJECT_MANAGE)
    @Returns(Investigator.class)
    public Response update(
            @PathParam("id") String id,
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
    public Response delete(
            @PathParam("id") String id, @Context HttpHeaders headers, @Context SecurityContext security) {
        long key = Params.path(id, "investigator");
        institutions.deleteInvestigator(Callers.of(security), key, ETags.ifMatch(headers));
        return Response.noContent().build();
    }
}
