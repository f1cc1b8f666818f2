package org.karyo.accesses.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.ProfileService;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.QueryParams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /api/accesses/profiles}: users' profiles, on which accesses hang (Cohort360 {@code /profiles}). */
@Component(service = ProfileResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("accesses/profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private final ProfileService profiles;

    @Activate
    public ProfileResource(@Reference ProfileService profiles) {
        this.profiles = profiles;
    }

    /** One page of profiles: {@code ?user_id=} (a user's opaque id), {@code ?search=} (in user names), paging. */
    @GET
    @RequiresRight(AccessRights.MANAGE_USERS)
    @Operation(id = "listProfiles", summary = "List users' profiles")
    public Page<ProfileJson> list(
            @QueryParam("user_id") @Param(description = "Only the profiles of this user id") String userId,
            @QueryParam("search") @Param(description = "Text in the user's names") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(
                profiles.list(Callers.of(sc), QueryParams.text(userId), QueryParams.text(search), page),
                ProfileJson::of);
    }
}
