package org.karyo.auth.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.ext.Providers;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Public;
import org.karyo.auth.api.AuthService;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.karyo.rest.support.Accepts;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ClientAddress;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/auth}: login, refresh, logout (wire-compatible with Cohort360's {@code /auth/*}), the JWK set and the
 * caller's own user. The resource only decodes the request and calls {@link AuthService} / {@link UserService}.
 */
@Component(service = AuthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    /** How long clients and proxies may cache the JWK set (signing keys are announced before they are used). */
    static final String JWKS_CACHE_CONTROL = "public, max-age=300";

    private final AuthService auth;
    private final UserService users;
    private final Clock clock;

    @Activate
    public AuthResource(@Reference AuthService auth, @Reference UserService users) {
        this(auth, users, Clock.systemUTC());
    }

    AuthResource(AuthService auth, UserService users, Clock clock) {
        this.auth = auth;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Logs in with {@code {username, password[, otp]}} or {@code {provider, auth_code, redirect_uri, code_verifier}},
     * each with an optional {@code client_id} (default {@value LoginBody#DEFAULT_CLIENT_ID}). Any failed
     * authentication is a 401 that does not say what was wrong ({@code mfa-required} when only the one-time code is
     * missing); 429 with {@code Retry-After} while the user or the client address is backing off. The client address
     * is the one the platform resolved (behind a trusted proxy, from {@code X-Forwarded-For}).
     */
    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Public
    @Operation(
            id = "login",
            summary = "Log in with a password or an identity provider's code",
            description = "Any failed authentication is a 401 that does not say what was wrong (`mfa-required` when"
                    + " only the one-time code is missing); 429 with Retry-After while the user or the address backs"
                    + " off.")
    @Fails({401, 429})
    public LoginResponse login(LoginBody body) {
        LoginRequest request = body.toRequest();
        try {
            ClientInfo client = new ClientInfo(ClientAddress.current(), body.clientIdOrDefault());
            return LoginResponse.of(auth.login(request, client), clock.instant());
        } finally {
            Secrets.wipe(request.password());
        }
    }

    /**
     * Rotates a refresh token: {@code {refresh_token}} gives a new pair; the old refresh token stops working. A
     * malformed, expired, revoked or reused refresh token is a 400 whose problem carries {@code "error":
     * "invalid_grant"} (RFC 6749 §5.2, Cohort360's contract); reusing a rotated one also ends its whole session.
     */
    @POST
    @Path("refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Public
    @Operation(
            id = "refreshToken",
            summary = "Exchange a refresh token for a new token pair",
            description = "A malformed, expired, revoked or reused refresh token is a 400 with `error: invalid_grant`.")
    public TokenResponse refresh(RefreshBody body) {
        body.validate();
        ClientInfo client = new ClientInfo(ClientAddress.current(), body.clientIdOrDefault());
        return TokenResponse.of(auth.refresh(body.refreshToken(), client), clock.instant());
    }

    /**
     * Ends the caller's session: its refresh tokens and access tokens stop working. The body is optional (a client
     * may post nothing, without a {@code Content-Type}); {@code {refresh_token}} is passed on for the identity
     * provider's logout. {@code 204}.
     */
    @POST
    @Path("logout")
    @Authenticated
    @Operation(
            id = "logout",
            summary = "End the caller's session",
            description = "The body is optional; when given it is JSON `{refresh_token}`.")
    @Accepts(value = LogoutBody.class, required = false)
    @Returns(value = Void.class, status = 204)
    public Response logout(
            InputStream body,
            @Context HttpHeaders headers,
            @Context Providers providers,
            @Context SecurityContext security)
            throws IOException {
        Optional<String> refreshToken = OptionalJsonBody.read(body, LogoutBody.class, headers, providers)
                .map(LogoutBody::refreshToken)
                .filter(t -> !t.isBlank());
        auth.logout(Callers.of(security), refreshToken);
        return Response.noContent().build();
    }

    /** The public keys that sign access tokens, as a JWK set (RFC 7517); cacheable for five minutes. */
    @GET
    @Path("jwks")
    @Public
    @Operation(id = "getJwks", summary = "Get the public keys that sign access tokens (a JWK set)")
    @Returns(value = Map.class, status = 200, description = "The JWK set (RFC 7517), cacheable for five minutes")
    public Response jwks() {
        return Response.ok(auth.jwks())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, JWKS_CACHE_CONTROL)
                .build();
    }

    /** The caller's own user, with {@code impersonated_by} naming the administrator while one acts as the caller. */
    @GET
    @Path("me")
    @Authenticated
    @Operation(id = "getMe", summary = "Get the caller's own user")
    public MeJson me(@Context SecurityContext security) {
        Caller caller = Callers.of(security);
        User user = users.byId(caller.id())
                .orElseThrow(() -> KaryoException.unauthenticated("No user is behind these credentials"));
        UserRef admin = caller.impersonatedBy()
                .map(id -> users.byId(id).map(UserRef::of).orElse(new UserRef(id, null, null)))
                .orElse(null);
        return MeJson.of(user, admin);
    }
}
