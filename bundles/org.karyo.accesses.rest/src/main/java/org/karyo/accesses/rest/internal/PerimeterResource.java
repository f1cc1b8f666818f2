package org.karyo.accesses.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.ws.rs.Consumes;
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
import org.apache.commons.io.input.BoundedInputStream;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.AccessService.ReadMode;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Authenticated;
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
 * {@code /api/accesses/perimeters}: the perimeter tree (Cohort360 {@code /perimeters}) and the caller's patient-data
 * rights over it. A caller sees the nodes on which it holds a right, their descendants and their ancestors; other
 * nodes answer 404. Adding and importing nodes needs {@code accesses.full_admin}.
 */
@Component(service = PerimeterResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("accesses/perimeters")
@Produces(MediaType.APPLICATION_JSON)
public class PerimeterResource {

    /** The largest CSV import accepted, in bytes. */
    static final long MAX_CSV_BYTES = 64L * 1024 * 1024;

    static final String TEXT_CSV = "text/csv";

    private static final String WHAT = "perimeter";

    private final PerimeterService perimeters;
    private final AccessService accesses;

    @Activate
    public PerimeterResource(@Reference PerimeterService perimeters, @Reference AccessService accesses) {
        this.perimeters = perimeters;
        this.accesses = accesses;
    }

    /**
     * One page of the nodes the caller sees. Filters, each comma-separated for "any of": {@code type_source_value},
     * {@code parent_id}, {@code local_id}, {@code source_value}, {@code cohort_id}; {@code search} (in names); paging.
     */
    @GET
    @Authenticated
    @Operation(id = "listPerimeters", summary = "List the perimeters the caller sees")
    public Page<PerimeterJson> list(
            @QueryParam("search") @Param(description = "Text in the names") String search,
            @QueryParam("type_source_value") @Param(description = "Any of these types (comma-separated)")
                    String typeSourceValue,
            @QueryParam("parent_id") @Param(description = "Any of these parent ids (comma-separated)") String parentId,
            @QueryParam("local_id") @Param(description = "Any of these local ids (comma-separated)") String localId,
            @QueryParam("source_value") @Param(description = "Any of these source values (comma-separated)")
                    String sourceValue,
            @QueryParam("cohort_id") @Param(description = "Any of these cohort ids (comma-separated)") String cohortId,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        PerimeterQuery query = query(search, typeSourceValue, parentId, localId, sourceValue, cohortId, v);
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(perimeters.list(Callers.of(sc), query, page), PerimeterJson::of);
    }

    /**
     * The caller's top manageable nodes (where its access-management rights start). With any query parameter
     * (Cohort360's rule), those nodes and all their descendants, filtered like the list.
     */
    @GET
    @Path("manageable")
    @Authenticated
    @Operation(
            id = "listManageablePerimeters",
            summary = "List the perimeters where the caller's access-management rights start",
            description = "With any query parameter, those perimeters and all their descendants, filtered.")
    public List<PerimeterJson> manageable(
            @QueryParam("search") @Param(description = "Text in the names") String search,
            @QueryParam("type_source_value") @Param(description = "Any of these types (comma-separated)")
                    String typeSourceValue,
            @QueryParam("parent_id") @Param(description = "Any of these parent ids (comma-separated)") String parentId,
            @QueryParam("local_id") @Param(description = "Any of these local ids (comma-separated)") String localId,
            @QueryParam("source_value") @Param(description = "Any of these source values (comma-separated)")
                    String sourceValue,
            @QueryParam("cohort_id") @Param(description = "Any of these cohort ids (comma-separated)") String cohortId,
            @Context UriInfo uri,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        PerimeterQuery query = query(search, typeSourceValue, parentId, localId, sourceValue, cohortId, v);
        v.throwIfInvalid();
        boolean withDescendants = uri != null && !uri.getQueryParameters().isEmpty();
        return perimeters.manageable(Callers.of(sc), withDescendants, query).stream()
                .map(PerimeterJson::of)
                .toList();
    }

    /**
     * One page of the caller's patient-data rights, one row per node where it holds one (read rights inherited down
     * the tree, global rights copied onto every row).
     */
    @GET
    @Path("patient-data/rights")
    @Authenticated
    @Operation(id = "listPatientDataRights", summary = "List the caller's patient-data rights, one row per perimeter")
    public Page<DataRightJson> patientDataRights(
            @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context SecurityContext sc) {
        Validator v = new Validator();
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(accesses.patientDataRights(Callers.of(sc), page), DataRightJson::of);
    }

    /**
     * What the caller may read of the patients of some perimeters, given by {@code perimeters_ids} and/or by
     * {@code cohort_ids} (perimeters' virtual cohorts or cohorts built on them). {@code mode=min}: every target must
     * be readable, nominative only if all are; {@code mode=max}: one readable target suffices, nominative if any is.
     * 404 when the mode's condition fails.
     */
    @GET
    @Path("patient-data/read")
    @Authenticated
    @Operation(
            id = "getPatientDataReadPermission",
            summary = "Say what the caller may read of the patients of some perimeters or cohorts",
            description = "`mode=min`: every target must be readable; `mode=max`: one suffices. 404 when the mode's"
                    + " condition fails or no target perimeter exists.")
    @Fails(404)
    public ReadPermissionJson patientDataRead(
            @QueryParam("perimeters_ids") @Param(description = "Comma-separated perimeter ids") String perimetersIds,
            @QueryParam("cohort_ids") @Param(description = "Comma-separated cohort ids") String cohortIds,
            @QueryParam("mode")
                    @Param(
                            description = "Required: min or max",
                            allowed = {"min", "max"})
                    String mode,
            @Context SecurityContext sc) {
        Validator v = new Validator();
        List<Long> ids = QueryParams.ids("perimeters_ids", perimetersIds, v);
        List<String> cohorts = QueryParams.values(cohortIds);
        ReadMode readMode = mode(mode, v);
        v.check(
                !ids.isEmpty() || !cohorts.isEmpty() || v.hasErrors(),
                "perimeters_ids",
                "give perimeters_ids, cohort_ids or both");
        v.throwIfInvalid();
        return ReadPermissionJson.of(accesses.patientDataRead(Callers.of(sc), ids, cohorts, readMode));
    }

    /** One node the caller sees. */
    @GET
    @Path("{id}")
    @Authenticated
    @Operation(id = "getPerimeter", summary = "Get a perimeter")
    public PerimeterJson get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The perimeter's id") String id,
            @Context SecurityContext sc) {
        return PerimeterJson.of(perimeters.get(Callers.of(sc), PathIds.parse(id, WHAT)));
    }

    /** One page of a node's children (those the caller sees). */
    @GET
    @Path("{id}/children")
    @Authenticated
    @Operation(id = "listPerimeterChildren", summary = "List a perimeter's children")
    public Page<PerimeterJson> children(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The perimeter's id") String id,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @Context SecurityContext sc) {
        long perimeterId = PathIds.parse(id, WHAT);
        Validator v = new Validator();
        PageRequest page = QueryParams.page(limit, offset, Params.MAX_LIMIT, v);
        v.throwIfInvalid();
        return QueryParams.map(perimeters.children(Callers.of(sc), perimeterId, page), PerimeterJson::of);
    }

    /** Adds a node under {@code parent_id} (under the site root without it): {@code 201} with {@code Location}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(AccessRights.FULL_ADMIN)
    @Operation(id = "createPerimeter", summary = "Add a perimeter")
    @Returns(value = PerimeterJson.class, status = 201)
    public Response create(NewPerimeterBody body, @Context UriInfo uri, @Context SecurityContext sc) {
        Validator v = new Validator();
        v.check(present(body.localId()), "local_id", "is required");
        v.check(present(body.name()), "name", "is required");
        v.check(present(body.typeSourceValue()), "type_source_value", "is required");
        v.check(body.parentId() == null || body.parentId() > 0, "parent_id", "must be a positive integer id");
        v.throwIfInvalid();
        NewPerimeter node = new NewPerimeter(
                body.localId().strip(),
                body.name().strip(),
                QueryParams.text(body.shortName()),
                QueryParams.text(body.sourceValue()),
                body.typeSourceValue().strip(),
                Optional.ofNullable(body.parentId()),
                QueryParams.text(body.cohortId()));
        Perimeter created = perimeters.create(Callers.of(sc), node);
        return Params.created(uri, created.id(), PerimeterJson.of(created));
    }

    /**
     * Imports Cohort360's {@code perimeters.csv} ({@code Content-Type: text/csv}; columns {@code id, local_id, name,
     * short_name, source_value, type_source_value, parent_id} with a header), all or nothing: new nodes are added and
     * existing ones (by {@code local_id}) updated. At most 64 MiB.
     */
    @POST
    @Path("import")
    @Consumes(TEXT_CSV)
    @RequiresRight(AccessRights.FULL_ADMIN)
    @Operation(
            id = "importPerimeters",
            summary = "Import perimeters from a CSV file, all or nothing",
            description = "Columns `id, local_id, name, short_name, source_value, type_source_value, parent_id` with a"
                    + " header; new perimeters are added, existing ones (by `local_id`) updated. At most 64 MiB.")
    public ImportReportJson importCsv(InputStream csv, @Context SecurityContext sc) {
        // the runtime owns the request stream and closes it
        InputStream capped = capped(csv, MAX_CSV_BYTES);
        return ImportReportJson.of(perimeters.importCsv(Callers.of(sc), capped));
    }

    /** The request body read up to {@code limit} bytes: reading past it fails with a 413 ({@code too-large}). */
    static InputStream capped(InputStream body, long limit) {
        try {
            return cappedStream(body, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the builder fails only without a stream, which it always has
        }
    }

    private static InputStream cappedStream(InputStream body, long limit) throws IOException {
        return BoundedInputStream.builder()
                .setInputStream(body == null ? InputStream.nullInputStream() : body)
                // one byte more than allowed: a body of exactly the limit reaches its end without complaint
                .setMaxCount(limit + 1)
                .setOnMaxCount((max, count) -> {
                    throw new KaryoException(
                            Kind.TOO_LARGE,
                            "too-large",
                            "The request body is larger than " + limit + " bytes",
                            null,
                            null,
                            null);
                })
                .get();
    }

    private static PerimeterQuery query(
            String search,
            String typeSourceValue,
            String parentId,
            String localId,
            String sourceValue,
            String cohortId,
            Validator v) {
        return new PerimeterQuery(
                QueryParams.text(search),
                QueryParams.values(typeSourceValue),
                QueryParams.ids("parent_id", parentId, v),
                QueryParams.values(localId),
                QueryParams.values(sourceValue),
                QueryParams.values(cohortId));
    }

    private static ReadMode mode(String raw, Validator v) {
        if (raw == null || raw.isBlank()) {
            v.check(false, "mode", "is required: min or max");
            return null;
        }
        switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "min":
                return ReadMode.MIN;
            case "max":
                return ReadMode.MAX;
            default:
                v.check(false, "mode", "must be min or max");
                return null;
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
