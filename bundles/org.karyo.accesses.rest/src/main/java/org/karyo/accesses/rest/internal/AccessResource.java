package org.karyo.accesses.rest.internal;

import java.util.List;
import java.util.Optional;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
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
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.NewAccess;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Authenticated;
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
 * {@code /api/accesses/accesses}: who holds which role on which perimeter, when (Cohort360 {@code /accesses}). Every
 * method only needs an authenticated caller: the service decides per access (Cohort360's {@code editable} rule:
 * the caller's management rights on the access's perimeter), lists only the accesses the caller may manage, and
 * answers 404 for the others.
 */
@Component(service = AccessResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("accesses/accesses")
@Produces(MediaType.APPLICATION_JSON)
public class AccessResource {

    private static final String WHAT = "access";

    private final AccessService accesses;

    @Activate
    public AccessResource(@Reference AccessService accesses) {
        this.accesses = accesses;
    }

    /**
     * One page of the accesses the caller may manage (needs an access-management right). Filters:
     * {@code perimeter_id} (with {@code include_parents=true} and/or {@code include_children=true} to widen it to the
     * node's ancestors or descendants), {@code role_id}, {@code profile_id}, {@code user_id}, {@code source},
     * {@code is_valid=true|false}; paging.
     */
    @GET
    @Authenticated
    @Operation(id = "listAccesses", summary = "List the accesses the caller may manage")
    @Fails(404)
    public Page<AccessJson> list(
            @QueryParam("perimeter_id")
                    @Param(kind = Param.Kind.ID, description = "Only accesses on this perimeter (404 when unseen)")
                    String perimeterId,
            @QueryParam("include_parents")
                    @Param(kind = Param.Kind.BOOLEAN, description = "With perimeter_id: add the perimeter's ancestors")
                    String includeParents,
            @QueryParam("include_children")
                    @Param(
                            kind = Param.Kind.BOOLEAN,
                            description = "With perimeter_id: add the perimeter's descendants")
                    String includeChildren,
            @QueryParam("role_id") @Param(kind = Param.Kind.ID, description = "Only accesses with this role")
                    String roleId,
            @QueryParam("profile_id") @Param(kind = Param.Kind.ID, description = "Only accesses of this profile")
                    String profileId,
            @QueryParam("user_id") @Param(description = "Only accesses of this user id") String userId,
            @QueryParam("source") @Param(description = "Only accesses from this source") String source,
            @QueryParam("is_valid")
                    @Param(kind = Param.Kind.BOOLEAN, description = "Only accesses valid (or not valid) now")
                    String isValid,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        AccessQuery query = new AccessQuery(
                QueryParams.id("perimeter_id", perimeterId, v),
                QueryParams.bool("include_parents", includeParents, v).orElse(false),
                QueryParams.bool("include_children", includeChildren, v).orElse(false),
                QueryParams.id("role_id", roleId, v),
                QueryParams.id("profile_id", profileId, v),
                QueryParams.text(userId),
                QueryParams.text(source),
                QueryParams.bool("is_valid", isValid, v));
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(accesses.list(Callers.of(sc), query, page), AccessJson::of);
    }

    /**
     * The caller's own valid accesses; with {@code ?expiring=true}, per perimeter the earliest-ending access that ends
     * within the configured window (30 days).
     */
    @GET
    @Path("my-accesses")
    @Authenticated
    @Operation(id = "listMyAccesses", summary = "List the caller's own valid accesses")
    public List<AccessJson> myAccesses(
            @QueryParam("expiring")
                    @Param(
                            kind = Param.Kind.BOOLEAN,
                            description = "true: per perimeter, the earliest-ending access that ends soon")
                    String expiring,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        boolean onlyExpiring = QueryParams.bool("expiring", expiring, v).orElse(false);
        v.throwIfInvalid();
        return accesses.myAccesses(Callers.of(sc), onlyExpiring).stream()
                .map(AccessJson::of)
                .toList();
    }

    /**
     * The caller's patient-data rights per perimeter ({@code ?perimeters_ids=1,2}; all its perimeters when absent):
     * read rights merged up the ancestor chain, global rights copied onto every row; only rows with a read right.
     */
    @GET
    @Path("my-data-rights")
    @Authenticated
    @Operation(id = "listMyDataRights", summary = "List the caller's patient-data rights per perimeter")
    public List<DataRightJson> myDataRights(
            @QueryParam("perimeters_ids")
                    @Param(description = "Comma-separated perimeter ids; every perimeter of the caller when absent")
                    String perimetersIds,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        List<Long> ids = QueryParams.ids("perimeters_ids", perimetersIds, v);
        v.throwIfInvalid();
        return accesses.myDataRights(Callers.of(sc), ids).stream()
                .map(DataRightJson::of)
                .toList();
    }

    /** One access the caller may manage. */
    @GET
    @Path("{id}")
    @Authenticated
    @Operation(id = "getAccess", summary = "Get an access")
    public AccessJson get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The access's id") String id,
            @Context SecurityContext sc) {
        return AccessJson.of(accesses.get(Callers.of(sc), PathIds.parse(id, WHAT)));
    }

    /**
     * Grants an access: {@code 201} with {@code Location}. The caller needs the management right that the role's
     * rights call for on the perimeter; dates may not be in the past.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(
            id = "createAccess",
            summary = "Grant an access",
            description = "404 when the perimeter does not exist; 409 when the user already holds an overlapping access"
                    + " with this role on this perimeter.")
    @Returns(value = AccessJson.class, status = 201)
    @Fails({404, 409})
    public Response create(NewAccessBody body, @Context UriInfo uri, @Context SecurityContext sc) {
        Validator v = new Validator();
        boolean byUsername = body.username() != null;
        boolean byProfile = body.profileId() != null;
        v.check(byUsername || byProfile, "username", "give username or profile_id");
        v.check(!(byUsername && byProfile), "username", "give username or profile_id, not both");
        v.check(!byUsername || !body.username().isBlank(), "username", "must not be blank");
        v.check(!byProfile || body.profileId() > 0, "profile_id", "must be a positive integer id");
        v.check(body.roleId() > 0, "role_id", "is required and must be a positive integer id");
        v.check(body.perimeterId() > 0, "perimeter_id", "is required and must be a positive integer id");
        v.throwIfInvalid();
        NewAccess access = new NewAccess(
                Optional.ofNullable(body.username()).map(String::strip),
                Optional.ofNullable(body.profileId()),
                body.roleId(),
                body.perimeterId(),
                Optional.ofNullable(body.startDatetime()),
                Optional.ofNullable(body.endDatetime()));
        Access created = accesses.create(Callers.of(sc), access);
        return Params.created(uri, created.id(), AccessJson.of(created));
    }

    /**
     * Changes an access's dates, the only fields that change: {@code start_datetime} and/or {@code end_datetime}
     * (ISO-8601 instants, not in the past; a date that already passed cannot change).
     */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, Params.MERGE_PATCH_JSON})
    @Authenticated
    @Operation(id = "updateAccess", summary = "Change an access's start or end date")
    public AccessJson update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The access's id") String id,
            AccessDatesBody body,
            @Context SecurityContext sc) {
        long accessId = PathIds.parse(id, WHAT);
        Validator v = new Validator();
        v.check(
                body.startDatetime() != null || body.endDatetime() != null,
                "start_datetime",
                "give start_datetime, end_datetime or both");
        v.throwIfInvalid();
        return AccessJson.of(accesses.patchDates(
                Callers.of(sc),
                accessId,
                Optional.ofNullable(body.startDatetime()),
                Optional.ofNullable(body.endDatetime())));
    }

    /** Ends a valid access now (400 when it has ended or not started yet). */
    @PATCH
    @Path("{id}/close")
    @Authenticated
    @Operation(id = "closeAccess", summary = "End a valid access now")
    public AccessJson close(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The access's id") String id,
            @Context SecurityContext sc) {
        return AccessJson.of(accesses.close(Callers.of(sc), PathIds.parse(id, WHAT)));
    }

    /** Deletes an access that has not started yet (400 otherwise): {@code 204}. */
    @DELETE
    @Path("{id}")
    @Authenticated
    @Operation(id = "deleteAccess", summary = "Delete an access that has not started yet")
    @Returns(value = Void.class, status = 204)
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The access's id") String id,
            @Context SecurityContext sc) {
        accesses.delete(Callers.of(sc), PathIds.parse(id, WHAT));
        return Response.noContent().build();
    }
}
