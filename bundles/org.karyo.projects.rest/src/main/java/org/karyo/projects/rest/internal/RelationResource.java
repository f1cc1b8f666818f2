package org.karyo.projects.rest.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.ParticipantRelation;
import org.karyo.projects.api.RelationService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.QueryParams;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/projects/projects/{projectId}/relations}: relations between participants of a project (no
 * self-relation; monozygotic twins share birth date and gender). Reads as for participants (the note is hidden from
 * pseudonymised readers), writes need {@code projects.participant.manage}.
 */
@Component(service = RelationResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("projects/projects/{projectId}/relations")
@Produces(MediaType.APPLICATION_JSON)
public class RelationResource {

    static final Set<String> ORDER = Set.of("id", "created_at");
    static final List<Sort> DEFAULT_ORDER = List.of(new Sort("id", false));
    private static final String PROJECT = "project";
    private static final String WHAT = "relation";

    private final RelationService relations;

    @Activate
    public RelationResource(@Reference RelationService relations) {
        this.relations = relations;
    }

    /** The project's relations, or those of {@code participant_id} (in either direction). */
    @GET
    @RequiresRight(PROJECT_READ)
    @Operation(id = "listParticipantRelations", summary = "List the relations between a project's participants")
    public Page<ParticipantRelation> list(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @QueryParam("participant_id")
                    @Param(kind = Param.Kind.ID, description = "Only the relations of this participant, either way")
                    String participantId,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by id by default",
                            allowed = {"id", "-id", "created_at", "-created_at"},
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        Validator v = new Validator();
        Long participant = QueryParams.id("participant_id", participantId, v).orElse(null);
        PageRequest page = QueryParams.page(limit, offset, ordering, ORDER, DEFAULT_ORDER, Integer.MAX_VALUE, v);
        v.throwIfInvalid();
        return relations.list(Callers.of(security), project, participant, page);
    }

    /** Records a relation: {@code 201} with {@code Location}; {@code 409} when the pair already has that type. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "createParticipantRelation",
            summary = "Record a relation between two participants",
            description = "A pair that already has a relation of that type is a 409.")
    @Returns(value = ParticipantRelation.class, status = 201, description = "The relation is recorded")
    @Fails(409)
    public Response create(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            NewRelation body,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        ParticipantRelation r = relations.create(Callers.of(security), Params.path(projectId, PROJECT), body);
        return Response.created(
                        uri.getAbsolutePathBuilder().path(Long.toString(r.id())).build())
                .entity(r)
                .build();
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getParticipantRelation", summary = "Get a relation between participants")
    public ParticipantRelation get(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The relation's id") String id,
            @Context SecurityContext security) {
        return relations.get(Callers.of(security), Params.path(projectId, PROJECT), Params.path(id, WHAT));
    }

    @DELETE
    @Path("{id}")
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(id = "deleteParticipantRelation", summary = "Delete a relation between participants")
    @Returns(status = 204, description = "The relation is deleted")
    public Response delete(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The relation's id") String id,
            @Context SecurityContext security) {
        relations.delete(Callers.of(security), Params.path(projectId, PROJECT), Params.path(id, WHAT));
        return Response.noContent().build();
    }
}
