package org.karyo.accesses.rest.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RequiresRight;
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
 * {@code /api/accesses/roles}: named sets of rights (Cohort360 {@code /roles}). Any authenticated caller reads them;
 * writes need {@code accesses.full_admin} and pass the service's consistency checks.
 */
@Component(service = RoleResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("accesses/roles")
@Produces(MediaType.APPLICATION_JSON)
public class RoleResource {

    private static final String WHAT = "role";
    private static final String FLAG_PREFIX = "right_";

    private final RoleService roles;

    @Activate
    public RoleResource(@Reference RoleService roles) {
        this.roles = roles;
    }

    /**
     * One page of roles: {@code ?name=} (part of the name), {@code ?rights=a,b} (holding every listed key), and
     * Cohort360's {@code ?right_<flag>=true} for each of the sixteen (holding that right; only {@code true} is
     * supported), paging.
     */
    @GET
    @Authenticated
    @Operation(
            id = "listRoles",
            summary = "List roles",
            description = "Each `right_<key>=true` flag keeps the roles holding that right; only true is supported.")
    public Page<RoleJson> list(
            @QueryParam("name") @Param(description = "Part of the role's name") String name,
            @QueryParam("rights")
                    @Param(description = "Only roles holding every one of these right keys (comma-separated)")
                    String rights,
            @QueryParam("right_full_admin") String rightFullAdmin,
            @QueryParam("right_manage_users") String rightManageUsers,
            @QueryParam("right_manage_datalabs") String rightManageDatalabs,
            @QueryParam("right_read_datalabs") String rightReadDatalabs,
            @QueryParam("right_export_csv_xlsx_nominative") String rightExportCsvXlsxNominative,
            @QueryParam("right_export_jupyter_nominative") String rightExportJupyterNominative,
            @QueryParam("right_export_jupyter_pseudonymized") String rightExportJupyterPseudonymized,
            @QueryParam("right_manage_admin_accesses_same_level") String rightManageAdminAccessesSameLevel,
            @QueryParam("right_manage_admin_accesses_inferior_levels") String rightManageAdminAccessesInferiorLevels,
            @QueryParam("right_manage_data_accesses_same_level") String rightManageDataAccessesSameLevel,
            @QueryParam("right_manage_data_accesses_inferior_levels") String rightManageDataAccessesInferiorLevels,
            @QueryParam("right_read_patient_nominative") String rightReadPatientNominative,
            @QueryParam("right_read_patient_pseudonymized") String rightReadPatientPseudonymized,
            @QueryParam("right_search_patients_by_ipp") String rightSearchPatientsByIpp,
            @QueryParam("right_search_patients_unlimited") String rightSearchPatientsUnlimited,
            @QueryParam("right_search_opposed_patients") String rightSearchOpposedPatients,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context UriInfo uri,
            @Context SecurityContext sc) {
        // in AccessRights.ALL's order
        String[] flags = {
            rightFullAdmin,
            rightManageUsers,
            rightManageDatalabs,
            rightReadDatalabs,
            rightExportCsvXlsxNominative,
            rightExportJupyterNominative,
            rightExportJupyterPseudonymized,
            rightManageAdminAccessesSameLevel,
            rightManageAdminAccessesInferiorLevels,
            rightManageDataAccessesSameLevel,
            rightManageDataAccessesInferiorLevels,
            rightReadPatientNominative,
            rightReadPatientPseudonymized,
            rightSearchPatientsByIpp,
            rightSearchPatientsUnlimited,
            rightSearchOpposedPatients
        };
        Validator v = new Validator();
        Set<String> withRights = new LinkedHashSet<>(Filters.values(rights));
        for (int i = 0; i < flags.length; i++) {
            String key = AccessRights.ALL.get(i);
            String param = AccessRights.flag(key);
            Optional<Boolean> on = QueryParams.bool(param, flags[i], v);
            if (on.isPresent() && on.get()) {
                withRights.add(key);
            } else if (on.isPresent()) {
                v.check(false, param, "only true is supported: it lists the roles that hold the right");
            }
        }
        if (uri != null) {
            for (String param : uri.getQueryParameters().keySet()) {
                v.check(
                        !param.startsWith(FLAG_PREFIX) || isFlag(param),
                        param,
                        "is not one of the sixteen right_* flags; filter other rights with rights=<key>");
            }
        }
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(roles.list(Callers.of(sc), QueryParams.text(name), withRights, page), RoleJson::of);
    }

    /** The roles the caller may grant on a perimeter ({@code ?perimeter_id=}, required). */
    @GET
    @Path("assignable")
    @Authenticated
    @Operation(id = "listAssignableRoles", summary = "List the roles the caller may grant on a perimeter")
    @Fails(404)
    public List<RoleJson> assignable(
            @QueryParam("perimeter_id") @Param(kind = Param.Kind.ID, description = "Required: the perimeter's id")
                    String perimeterId,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        long perimeter = QueryParams.requiredId("perimeter_id", perimeterId, v);
        v.throwIfInvalid();
        return roles.assignable(Callers.of(sc), perimeter).stream()
                .map(RoleJson::of)
                .toList();
    }

    /** One role. */
    @GET
    @Path("{id}")
    @Authenticated
    @Operation(id = "getRole", summary = "Get a role")
    public RoleJson get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The role's id") String id,
            @Context SecurityContext sc) {
        return RoleJson.of(roles.get(Callers.of(sc), PathIds.parse(id, WHAT)));
    }

    /**
     * The users holding a valid access with this role on a perimeter the caller can see: {@code ?filter_by_name=}
     * (part of a user's name), paging.
     */
    @GET
    @Path("{id}/users")
    @Authenticated
    @Operation(id = "listRoleHolders", summary = "List the users holding a valid access with a role")
    public Page<RoleHolderJson> users(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The role's id") String id,
            @QueryParam("filter_by_name") @Param(description = "Part of a user's name") String filterByName,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext sc) {
        long roleId = PathIds.parse(id, WHAT);
        Validator v = new Validator();
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(
                roles.holders(Callers.of(sc), roleId, QueryParams.text(filterByName), page), RoleHolderJson::of);
    }

    /** Creates a role: {@code 201} with {@code Location}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(AccessRights.FULL_ADMIN)
    @Operation(id = "createRole", summary = "Create a role")
    @Returns(value = RoleJson.class, status = 201)
    public Response create(RoleBody body, @Context UriInfo uri, @Context SecurityContext sc) {
        Validator v = new Validator();
        v.check(body.name() != null && !body.name().isBlank(), "name", "is required");
        Set<String> rights = body.mergedRights(Set.of(), v);
        v.throwIfInvalid();
        Role role = roles.create(Callers.of(sc), body.name().strip(), rights);
        return Params.created(uri, role.id(), RoleJson.of(role));
    }

    /**
     * Changes the name and/or the rights: {@code rights} replaces the set, {@code right_*} flags add ({@code true})
     * or remove ({@code false}) one right, on top of {@code rights} or of the current set.
     */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, Params.MERGE_PATCH_JSON})
    @RequiresRight(AccessRights.FULL_ADMIN)
    @Operation(id = "updateRole", summary = "Change a role's name or rights")
    public RoleJson update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The role's id") String id,
            RoleBody body,
            @Context SecurityContext sc) {
        long roleId = PathIds.parse(id, WHAT);
        Validator v = new Validator();
        v.check(body.name() == null || !body.name().isBlank(), "name", "must not be blank");
        v.check(body.name() != null || body.changesRights(), "name", "give name, rights or a right_* flag to change");
        v.throwIfInvalid();
        Caller caller = Callers.of(sc);
        Optional<Set<String>> rights = Optional.empty();
        if (body.changesRights()) {
            Set<String> current =
                    body.rights() == null ? roles.get(caller, roleId).rights() : Set.of();
            rights = Optional.of(body.mergedRights(current, v));
            v.throwIfInvalid();
        }
        Optional<String> name = Optional.ofNullable(body.name()).map(String::strip);
        return RoleJson.of(roles.update(caller, roleId, name, rights));
    }

    /** Deletes a role that no access uses (never the full-administrator role): {@code 204}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(AccessRights.FULL_ADMIN)
    @Operation(id = "deleteRole", summary = "Delete a role that no access uses")
    @Returns(value = Void.class, status = 204)
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The role's id") String id,
            @Context SecurityContext sc) {
        roles.delete(Callers.of(sc), PathIds.parse(id, WHAT));
        return Response.noContent().build();
    }

    private static boolean isFlag(String param) {
        return AccessRights.ALL.stream().map(AccessRights::flag).anyMatch(param::equals);
    }
}
