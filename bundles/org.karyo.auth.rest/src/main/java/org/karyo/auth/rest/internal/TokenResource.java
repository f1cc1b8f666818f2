package org.karyo.auth.rest.internal;

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
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/auth/tokens}: service-account API tokens (Cohort360's executor, ETL and rollout users), hashed at rest,
 * limited to rights, expiring and revocable. Every method needs {@value Rights#FULL_ADMIN}.
 */
@Component(service = TokenResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("auth/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    /** The largest page of tokens a client may ask for. */
    static final int MAX_LIMIT = 500;

    private final ApiTokenService tokens;

    @Activate
    public TokenResource(@Reference ApiTokenService tokens) {
        this.tokens = tokens;
    }

    /**
     * Creates a token for a service account: {@code 201} with {@code Location}; the body is the only place the
     * {@code secret} is ever shown.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(Rights.FULL_ADMIN)
    @Operation(
            id = "createApiToken",
            summary = "Create an API token for a service account",
            description = "The response is the only place the secret is ever shown.")
    @Returns(value = IssuedTokenJson.class, status = 201)
    public Response create(NewTokenBody body, @Context UriInfo uri, @Context SecurityContext security) {
        var rights = body.validatedRights();
        ApiTokenService.IssuedToken issued = tokens.create(
                Callers.of(security), body.username().strip(), body.name().strip(), rights, body.expiresAt());
        String id = issued.token().id();
        return Response.created(uri.getAbsolutePathBuilder().path("{id}").build(id))
                .entity(IssuedTokenJson.of(issued))
                .build();
    }

    /**
     * One page of the tokens, newest first, of one service account with {@code ?username=}; never their secrets.
     * {@code limit} (1 to {@value #MAX_LIMIT}, {@value PageRequest#DEFAULT_LIMIT} by default) and {@code offset}.
     */
    @GET
    @RequiresRight(Rights.FULL_ADMIN)
    @Operation(id = "listApiTokens", summary = "List API tokens, without their secrets")
    @Fails(404)
    public Page<ApiTokenJson> list(
            @QueryParam("username") @Param(description = "Only the tokens of this service account") String username,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext security) {
        String filter = username == null || username.isBlank() ? null : username.strip();
        Validator v = new Validator();
        PageRequest page =
                v.collect(() -> PageRequest.parse(limit, offset, null, Set.of(), List.of(), MAX_LIMIT), null);
        v.throwIfInvalid();
        Page<ApiToken> found = tokens.list(Callers.of(security), filter, page);
        return new Page<>(
                found.count(),
                found.limit(),
                found.offset(),
                found.results().stream().map(ApiTokenJson::of).toList());
    }

    /** Revokes a token at once: {@code 204}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(Rights.FULL_ADMIN)
    @Operation(id = "revokeApiToken", summary = "Revoke an API token")
    @Returns(value = Void.class, status = 204)
    public Response revoke(
            @PathParam("id") @Param(kind = Param.Kind.UUID, description = "The token's id") String id,
            @Context SecurityContext security) {
        tokens.revoke(Callers.of(security), PathNames.tokenId(id));
        return Response.noContent().build();
    }
}
