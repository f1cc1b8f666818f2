package org.karyo.maintenance.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
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
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceRights;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ETags;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.karyo.rest.support.Responses;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/maintenances}: maintenance phases (Cohort360 {@code /maintenances}). Anyone may read them (clients show
 * banners before logging in); writing needs {@value MaintenanceRights#MANAGE}. These paths stay open during maintenance.
 */
@Component(service = MaintenanceResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("maintenances")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    /** The largest page a client may ask for. */
    static final int MAX_LIMIT = 1000;

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private static final String WHAT = "maintenance phase";

    private final MaintenanceService maintenance;

    @Activate
    public MaintenanceResource(@Reference MaintenanceService maintenance) {
        this.maintenance = maintenance;
    }

    /**
     * Lists phases: {@code ?min_start_datetime=&max_end_datetime=} (ISO-8601 instants), {@code ?type=partial,full},
     * {@code ?active=true|false}, {@code ?search=} (in the subject), paging and {@code ?ordering=} over
     * {@code start_datetime, end_datetime, subject, created_at} (default {@code -start_datetime}).
     */
    @GET
    @Public
    @Operation(id = "listMaintenances", summary = "List maintenance phases")
    public Page<MaintenancePhase> list(
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; latest start first by default",
                            allowed = {
                                "start_datetime",
                                "-start_datetime",
                                "end_datetime",
                                "-end_datetime",
                                "subject",
                                "-subject",
                                "created_at",
                                "-created_at"
                            },
                            list = true)
                    String ordering,
            @QueryParam("search") @Param(description = "Text in the subject") String search,
            @QueryParam("type")
                    @Param(
                            description = "Only phases of these types",
                            allowed = {"partial", "full"},
                            list = true)
                    String type,
            @QueryParam("active")
                    @Param(kind = Param.Kind.BOOLEAN, description = "Only phases that are (or are not) active now")
                    String active,
            @QueryParam("min_start_datetime")
                    @Param(kind = Param.Kind.DATE_TIME, description = "Only phases that start at or after this instant")
                    String minStart,
            @QueryParam("max_end_datetime")
                    @Param(kind = Param.Kind.DATE_TIME, description = "Only phases that end at or before this instant")
                    String maxEnd,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        Instant min = instant("min_start_datetime", minStart, v);
        Instant max = instant("max_end_datetime", maxEnd, v);
        Boolean isActive = bool("active", active, v);
        Set<MaintenanceType> types = v.collect(() -> Filters.values("type", type, MaintenanceType::parse), Set.of());
        v.throwIfInvalid();
        PageRequest page = PageRequest.parse(
                limit, offset, ordering, MaintenanceService.ORDERABLE, MaintenanceService.DEFAULT_ORDERING, MAX_LIMIT);
        return maintenance.list(
                Callers.of(sc), new MaintenanceQuery(min, max, types, isActive, blankToNull(search)), page);
    }

    /** The phase to announce: the active one with the latest end, else the next to start, else {@code {}}. */
    @GET
    @Path("next")
    @Public
    @Operation(
            id = "getNextMaintenance",
            summary = "Get the maintenance phase to announce",
            description = "The active phase that ends last, else the next one to start; an empty object when there is"
                    + " none.")
    @Returns(value = MaintenancePhase.class, etag = true, orEmpty = true)
    public Response next(@Context SecurityContext sc) {
        Optional<MaintenancePhase> next = maintenance.next(Callers.of(sc));
        return next.map(p -> Responses.ok(p, p.version()))
                .orElseGet(() -> Response.ok(Map.of()).build());
    }

    /** One phase, with its ETag. */
    @GET
    @Path("{id}")
    @Public
    @Operation(id = "getMaintenance", summary = "Get a maintenance phase")
    @Returns(value = MaintenancePhase.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The maintenance phase's id") String id,
            @Context SecurityContext sc) {
        MaintenancePhase p = maintenance.get(Callers.of(sc), PathIds.parse(id, WHAT));
        return Responses.ok(p, p.version());
    }

    /** Creates a phase: {@code 201} with {@code Location} and {@code ETag}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(MaintenanceRights.MANAGE)
    @Operation(id = "createMaintenance", summary = "Create a maintenance phase")
    @Returns(value = MaintenancePhase.class, status = 201)
    public Response create(NewMaintenancePhase body, @Context UriInfo uri, @Context SecurityContext sc) {
        MaintenancePhase p = maintenance.create(Callers.of(sc), body);
        return Responses.created(uri, p.id(), p, p.version());
    }

    /** Changes the given fields; {@code If-Match} with a stale ETag gives 412. */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
    @RequiresRight(MaintenanceRights.MANAGE)
    @Operation(id = "updateMaintenance", summary = "Change some fields of a maintenance phase")
    @Returns(value = MaintenancePhase.class, etag = true)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The maintenance phase's id") String id,
            MaintenancePatch body,
            @Context HttpHeaders headers,
            @Context SecurityContext sc) {
        long phaseId = PathIds.parse(id, WHAT);
        MaintenancePhase p = maintenance.update(Callers.of(sc), phaseId, body, ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    /** Deletes a phase (it stops refusing requests at once); {@code 204}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(MaintenanceRights.MANAGE)
    @Operation(id = "deleteMaintenance", summary = "Delete a maintenance phase")
    @Returns(value = Void.class, status = 204)
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The maintenance phase's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext sc) {
        long phaseId = PathIds.parse(id, WHAT);
        maintenance.delete(Callers.of(sc), phaseId, ETags.ifMatch(headers));
        return Response.noContent().build();
    }

    static Instant instant(String name, String raw, Validator errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            errors.check(false, name, "must be an ISO-8601 instant, for example 2030-01-31T18:00:00Z");
            return null;
        }
    }

    static Boolean bool(String name, String raw, Validator errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                errors.check(false, name, "must be true or false");
                return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
