package org.karyo.auth.rest.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.ws.rs.Consumes;
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
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.auth.api.AccessHolders;
import org.karyo.auth.api.MfaService;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/users}: Cohort360's {@code /users/} (GET, POST, PATCH; no DELETE: users are disabled, never removed),
 * looked up by username, plus the reset of a user's second factor. Users need {@value Rights#MANAGE_USERS}.
 */
@Component(service = UserResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    /** The fields a list may be ordered by. */
    static final Set<String> ORDERABLE =
            Set.of("username", "firstname", "lastname", "email", "kind", "source", "created_at", "last_login");

    /** Username ascending. */
    static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("username", false));

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private static final int MAX_SEARCH = 200;

    private final UserService users;
    private final MfaService mfa;
    private volatile AccessHolders accessHolders;

    @Activate
    public UserResource(@Reference UserService users, @Reference MfaService mfa) {
        this.users = users;
        this.mfa = mfa;
    }

    /** The access module's holders, while it is installed. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetAccessHolders")
    void setAccessHolders(AccessHolders h) {
        accessHolders = h;
    }

    void unsetAccessHolders(AccessHolders h) {
        if (accessHolders == h) {
            accessHolders = null;
        }
    }

    /** The users holding a current access; none without the access module. */
    private Set<String> holders() {
        AccessHolders h = accessHolders;
        return h == null ? Set.of() : h.userIdsWithCurrentAccess();
    }

    /**
     * One page of users. Filters: {@code search} (username, names or e-mail, case-insensitive), {@code kind}
     * ({@code person} or {@code service}), {@code is_active} and {@code manual_only} ({@code true} or {@code false};
     * the latter keeps users created locally), {@code with_access} ({@code true} keeps the users holding an access valid
     * now); {@code limit}, {@code offset}, {@code ordering} (from
     * {@link #ORDERABLE}, username by default).
     */
    @GET
    @RequiresRight(Rights.MANAGE_USERS)
    @Operation(id = "listUsers", summary = "List users")
    public Page<UserJson> list(
            @QueryParam("search") @Param(description = "Text in the username, the names or the e-mail address")
                    String search,
            @QueryParam("kind")
                    @Param(
                            description = "Only users of this kind",
                            allowed = {"person", "service"})
                    String kind,
            @QueryParam("is_active") @Param(kind = Param.Kind.BOOLEAN, description = "Only active (or disabled) users")
                    String isActive,
            @QueryParam("manual_only")
                    @Param(kind = Param.Kind.BOOLEAN, description = "true keeps the users created locally")
                    String manualOnly,
            @QueryParam("with_access")
                    @Param(kind = Param.Kind.BOOLEAN, description = "true keeps the users holding an access valid now")
                    String withAccess,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; username by default",
                            allowed = {
                                "username", "-username", "firstname", "-firstname", "lastname", "-lastname", "email",
                                "-email", "kind", "-kind", "source", "-source", "created_at", "-created_at",
                                "last_login", "-last_login"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        v.maxLength(search, "search", MAX_SEARCH);
        UserKind k = kind == null || kind.isBlank() ? null : UserJson.kind(kind.strip());
        v.check(kind == null || kind.isBlank() || k != null, "kind", "must be person or service");
        Optional<Boolean> active = bool(v, "is_active", isActive);
        Optional<Boolean> localOnly = bool(v, "manual_only", manualOnly);
        Optional<Boolean> holdersOnly = bool(v, "with_access", withAccess);
        PageRequest page = v.collect(
                // the service enforces its configured largest page
                () -> PageRequest.parse(limit, offset, ordering, ORDERABLE, DEFAULT_ORDERING, Integer.MAX_VALUE), null);
        v.throwIfInvalid();
        UserQuery query = new UserQuery(
                Optional.ofNullable(search).filter(s -> !s.isBlank()).map(String::strip),
                Optional.ofNullable(k),
                active,
                localOnly.orElse(false),
                holdersOnly.filter(Boolean::booleanValue).map(yes -> holders()));
        Page<User> found = users.list(Callers.of(security), query, page);
        return new Page<>(
                found.count(),
                found.limit(),
                found.offset(),
                found.results().stream().map(UserJson::of).toList());
    }

    /** One user. */
    @GET
    @Path("{username}")
    @RequiresRight(Rights.MANAGE_USERS)
    @Operation(id = "getUser", summary = "Get a user")
    public UserJson get(
            @PathParam("username") @Param(description = "The user's username") String username,
            @Context SecurityContext security) {
        return UserJson.of(users.get(Callers.of(security), PathNames.username(username)));
    }

    /**
     * Creates a user: {@code {username, firstname, lastname, email?, kind?, password?}} gives {@code 201} with
     * {@code Location}. A person without a password logs in through an authentication provider or OIDC; a service
     * account has no password and uses API tokens.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(Rights.MANAGE_USERS)
    @Operation(id = "createUser", summary = "Create a user")
    @Returns(value = UserJson.class, status = 201)
    @Fails(409)
    public Response create(NewUserBody body, @Context UriInfo uri, @Context SecurityContext security) {
        NewUser request = body.toNewUser();
        User created;
        try {
            created = users.create(Callers.of(security), request);
        } finally {
            Secrets.wipe(request.password());
        }
        return Response.created(uri.getAbsolutePathBuilder().path("{username}").build(created.username()))
                .entity(UserJson.of(created))
                .build();
    }

    /**
     * Changes a user: any of {@code firstname}, {@code lastname}, {@code email} ({@code null} removes it),
     * {@code is_active} (a disabled user cannot log in and holds no right, from the next request on), {@code password}.
     */
    @PATCH
    @Path("{username}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
    @RequiresRight(Rights.MANAGE_USERS)
    @Operation(id = "updateUser", summary = "Change some fields of a user")
    @Fails(409)
    public UserJson update(
            @PathParam("username") @Param(description = "The user's username") String username,
            UserPatchBody body,
            @Context SecurityContext security) {
        String name = PathNames.username(username);
        UserPatch patch = body.toPatch();
        try {
            return UserJson.of(users.update(Callers.of(security), name, patch));
        } finally {
            Secrets.wipe(patch.password());
        }
    }

    /**
     * Whether a username exists locally, else whether an authentication provider knows it (Cohort360's identity
     * hook), with the names it reports: for filling in the form of a new user.
     */
    @GET
    @Path("{username}/check")
    @RequiresRight(Rights.MANAGE_USERS)
    @Operation(id = "checkUser", summary = "Check whether a username exists locally or at an authentication provider")
    public UserCheckJson check(
            @PathParam("username") @Param(description = "The user's username") String username,
            @Context SecurityContext security) {
        return UserCheckJson.of(users.check(Callers.of(security), PathNames.username(username)));
    }

    /** Removes a user's second factor (they enrol again at their next login if the site requires it): {@code 204}. */
    @POST
    @Path("{username}/mfa/reset")
    @RequiresRight(Rights.FULL_ADMIN)
    @Operation(id = "resetUserMfa", summary = "Remove a user's second factor")
    @Returns(value = Void.class, status = 204)
    public Response resetMfa(
            @PathParam("username") @Param(description = "The user's username") String username,
            @Context SecurityContext security) {
        mfa.reset(Callers.of(security), PathNames.username(username));
        return Response.noContent().build();
    }

    private static Optional<Boolean> bool(Validator v, String parameter, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String s = raw.strip().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return Optional.of(true);
        }
        if (s.equals("false")) {
            return Optional.of(false);
        }
        v.check(false, parameter, "must be true or false");
        return Optional.empty();
    }
}
