package org.karyo.fhir.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Public;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.api.FhirStore;
import org.karyo.fhir.api.JsonResource;
import org.karyo.fhir.api.QueryStrings;
import org.karyo.fhir.api.SearchRequest;
import org.karyo.fhir.api.WriteOptions;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.OwnQueryParameters;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The FHIR R5 RESTful API, {@code /api/fhir/r5} (also served at {@code /fhir/r5} and {@code /FHIR/R5}, see
 * {@link FhirPaths}): read, vread, create (also conditional), update (also conditional), patch (JSON Patch), delete
 * (also conditional), instance, type and system history, search by GET and by POST {@code _search}, batch and
 * transaction Bundles, {@code Patient/{id}/$everything} and the CapabilityStatement. Every interaction but
 * {@code metadata} needs an authenticated caller; what it may read and write is the store's decision (the caller's
 * rights on the patients' perimeters, {@code fhir.write}, {@code fhir.admin}). Bodies are {@code application/fhir+json};
 * every error is an OperationOutcome.
 *
 * <p>It lives in the platform's one JAX-RS application: in Karaf, CXF's HTTP transport keeps one registry of endpoint
 * addresses for all JAX-RS applications, and every whiteboard application publishes its endpoint at {@code /}, so a
 * second application would take {@code /api}'s requests.
 */
@Component(service = FhirResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Path(FhirResource.BASE)
@OwnQueryParameters
@Produces({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
public class FhirResource {
    static final String BASE = "fhir/r5";
    /** The request attribute with the external base URL a forwarded request came to ({@code …/fhir/r5}). */
    static final String BASE_ATTRIBUTE = "org.karyo.fhir.base";

    private static final String TYPE = "{type: [A-Z][A-Za-z]+}";
    private static final String ID = "{id: [A-Za-z0-9\\-.]{1,64}}";
    private static final String TYPE_DOC = "The resource type, for example Observation";
    private static final String ID_DOC = "The resource's logical id";

    private final FhirStore store;
    private final FhirFormat format;
    private final CapabilityStatements capabilities;

    @Activate
    public FhirResource(
            @Reference FhirStore store, @Reference FhirFormat format, @Reference CapabilityStatements capabilities) {
        this.store = store;
        this.format = format;
        this.capabilities = capabilities;
    }

    /** The CapabilityStatement of what is installed now. */
    @GET
    @Path("metadata")
    @Public
    @Operation(id = "fhirCapabilities", summary = "FHIR: the CapabilityStatement")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response metadata(@Context UriInfo uri, @Context HttpServletRequest http) {
        return Fhir.answer(() -> Fhir.ok(format, uri, capabilities.current(base(uri, http))));
    }

    /** A batch or transaction Bundle. */
    @POST
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirTransaction", summary = "FHIR: a batch or transaction Bundle")
    @Fails({404, 409, 412, 422})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response transaction(
            @Context SecurityContext sc, @Context UriInfo uri, @Context HttpServletRequest http, InputStream body) {
        return Fhir.answer(() -> {
            Resource r = Fhir.parse(format, body, "Bundle");
            return Fhir.ok(format, uri, store.transaction(caller(sc), (Bundle) r, base(uri, http)));
        });
    }

    /** A search of every type ({@code _type} narrows it). */
    @GET
    @Authenticated
    @Operation(id = "fhirSearchSystem", summary = "FHIR: search every type")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response searchAll(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @HeaderParam("Prefer") String prefer) {
        return Fhir.answer(() -> search(sc, uri, null, request(uri, http, prefer, null)));
    }

    /** The history of every resource. */
    @GET
    @Path("_history")
    @Authenticated
    @Operation(id = "fhirHistorySystem", summary = "FHIR: the history of every resource")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response systemHistory(@Context SecurityContext sc, @Context UriInfo uri, @Context HttpServletRequest http) {
        return Fhir.answer(
                () -> Fhir.ok(format, uri, store.history(caller(sc), null, null, request(uri, http, null, null))));
    }

    /** A search's answer: the store's JSON when it goes out as it is, else the Bundle written with the query's options. */
    private Response search(SecurityContext sc, UriInfo uri, String type, SearchRequest request) {
        if (Fhir.plain(uri)) {
            return Fhir.ok(store.searchJson(caller(sc), type, request), null, null);
        }
        return Fhir.ok(format, uri, store.search(caller(sc), type, request));
    }

    /** A search by GET. */
    @GET
    @Path(TYPE)
    @Authenticated
    @Operation(id = "fhirSearch", summary = "FHIR: search a type")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response search(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @HeaderParam("Prefer") String prefer) {
        return Fhir.answer(() -> search(sc, uri, type, request(uri, http, prefer, null)));
    }

    /** A search by POST: form parameters, and query parameters too. */
    @POST
    @Path(TYPE + "/_search")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(id = "fhirSearchByPost", summary = "FHIR: search a type by POST")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response searchByPost(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @HeaderParam("Prefer") String prefer,
            InputStream form) {
        return Fhir.answer(() -> {
            String body = read(form, 1 << 20).replace('+', ' ');
            return search(sc, uri, type, request(uri, http, prefer, body));
        });
    }

    /** A create, or a conditional create with {@code If-None-Exist}. */
    @POST
    @Path(TYPE)
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirCreate", summary = "FHIR: create a resource")
    @Fails({409, 412, 422})
    @Returns(value = Object.class, status = 201, mediaTypes = Fhir.FHIR_JSON)
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON, description = "If-None-Exist matched")
    public Response create(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @HeaderParam("If-None-Exist") String ifNoneExist,
            @HeaderParam("Prefer") String prefer,
            InputStream body) {
        return Fhir.answer(() -> {
            Resource resource = Fhir.parse(format, body, type);
            WriteOutcome out = store.create(caller(sc), resource, new WriteOptions(null, ifNoneExist, base(uri, http)));
            return written(uri, http, out, out.created() ? 201 : 200, prefer);
        });
    }

    /** A conditional update: the query must match at most one resource. */
    @PUT
    @Path(TYPE)
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirConditionalUpdate", summary = "FHIR: update the resource a search matches")
    @Fails({409, 412, 422})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    @Returns(value = Object.class, status = 201, mediaTypes = Fhir.FHIR_JSON, description = "Nothing matched")
    public Response conditionalUpdate(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            InputStream body) {
        return Fhir.answer(() -> {
            String query = uri.getRequestUri().getRawQuery();
            if (query == null || query.isBlank()) {
                throw FhirException.badRequest(null, "A conditional update needs search parameters");
            }
            Resource resource = Fhir.parse(format, body, type);
            WriteOutcome out = store.conditionalUpdate(
                    caller(sc), type, query, resource, new WriteOptions(version(ifMatch), null, base(uri, http)));
            return written(uri, http, out, out.created() ? 201 : 200, prefer);
        });
    }

    /** A conditional delete. */
    @DELETE
    @Path(TYPE)
    @Authenticated
    @Operation(id = "fhirConditionalDelete", summary = "FHIR: delete the resource a search matches")
    @Fails({409, 412})
    @Returns(value = Void.class, status = 204)
    public Response conditionalDelete(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type) {
        return Fhir.answer(() -> {
            String query = uri.getRequestUri().getRawQuery();
            if (query == null || query.isBlank()) {
                throw FhirException.badRequest(null, "A conditional delete needs search parameters");
            }
            store.conditionalDelete(caller(sc), type, query, WriteOptions.plain(base(uri, http)));
            return Response.noContent().build();
        });
    }

    /** The history of a type. */
    @GET
    @Path(TYPE + "/_history")
    @Authenticated
    @Operation(id = "fhirHistoryType", summary = "FHIR: the history of a type")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response typeHistory(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type) {
        return Fhir.answer(
                () -> Fhir.ok(format, uri, store.history(caller(sc), type, null, request(uri, http, null, null))));
    }

    /** A read. */
    @GET
    @Path(TYPE + "/" + ID)
    @Authenticated
    @Operation(id = "fhirRead", summary = "FHIR: read a resource")
    @Fails({410})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON, etag = true)
    public Response read(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return Fhir.answer(() -> {
            if (Fhir.plain(uri)) {
                JsonResource r = store.readJson(caller(sc), type, id);
                if (ifNoneMatch != null && r.versionId().equals(version(ifNoneMatch))) {
                    return Response.notModified(new EntityTag(r.versionId(), true))
                            .build();
                }
                return Fhir.ok(r.json(), r.versionId(), r.lastUpdated());
            }
            Resource r = store.read(caller(sc), type, id);
            String v = r.getMeta().getVersionId();
            if (ifNoneMatch != null && v != null && v.equals(version(ifNoneMatch))) {
                return Response.notModified(new EntityTag(v, true)).build();
            }
            return Fhir.ok(format, uri, r);
        });
    }

    /** An update (a create, for a client-assigned id that is new). */
    @PUT
    @Path(TYPE + "/" + ID)
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirUpdate", summary = "FHIR: update (or create) a resource")
    @Fails({409, 422})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON, etag = true)
    @Returns(value = Object.class, status = 201, mediaTypes = Fhir.FHIR_JSON, description = "A new id")
    public Response update(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            InputStream body) {
        return Fhir.answer(() -> {
            Resource resource = Fhir.parse(format, body, type);
            WriteOutcome out = store.update(
                    caller(sc), type, id, resource, new WriteOptions(version(ifMatch), null, base(uri, http)));
            return written(uri, http, out, out.created() ? 201 : 200, prefer);
        });
    }

    /** A JSON Patch. */
    @PATCH
    @Path(TYPE + "/" + ID)
    @Authenticated
    @Consumes(Fhir.JSON_PATCH)
    @Operation(id = "fhirPatch", summary = "FHIR: patch a resource (JSON Patch)")
    @Fails({409, 422})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON, etag = true)
    public Response patch(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch,
            @HeaderParam("Prefer") String prefer,
            InputStream body) {
        return Fhir.answer(() -> {
            String patch = read(body, 16 << 20);
            WriteOutcome out =
                    store.patch(caller(sc), type, id, patch, new WriteOptions(version(ifMatch), null, base(uri, http)));
            return written(uri, http, out, 200, prefer);
        });
    }

    /** A delete: the resource's history is kept. */
    @DELETE
    @Path(TYPE + "/" + ID)
    @Authenticated
    @Operation(id = "fhirDelete", summary = "FHIR: delete a resource")
    @Fails({409})
    @Returns(value = Void.class, status = 204)
    public Response delete(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch) {
        return Fhir.answer(() -> {
            store.delete(caller(sc), type, id, new WriteOptions(version(ifMatch), null, base(uri, http)));
            return Response.noContent().build();
        });
    }

    /** The history of a resource. */
    @GET
    @Path(TYPE + "/" + ID + "/_history")
    @Authenticated
    @Operation(id = "fhirHistoryInstance", summary = "FHIR: the history of a resource")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response history(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("type") String type,
            @PathParam("id") String id) {
        return Fhir.answer(
                () -> Fhir.ok(format, uri, store.history(caller(sc), type, id, request(uri, http, null, null))));
    }

    /** A version of a resource. */
    @GET
    @Path(TYPE + "/" + ID + "/_history/{vid: [0-9]{1,9}}")
    @Authenticated
    @Operation(id = "fhirVread", summary = "FHIR: read a version of a resource")
    @Fails({410})
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON, etag = true)
    public Response vread(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @PathParam("vid") long vid) {
        return Fhir.answer(() -> Fhir.ok(format, uri, store.vread(caller(sc), type, id, vid)));
    }

    /** {@code Patient/{id}/$everything}. */
    @GET
    @Path("Patient/" + ID + "/$everything")
    @Authenticated
    @Operation(id = "fhirPatientEverything", summary = "FHIR: everything of a patient")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response everything(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @Context HttpServletRequest http,
            @PathParam("id") String id) {
        return Fhir.answer(
                () -> Fhir.ok(format, uri, store.everything(caller(sc), id, request(uri, http, null, null))));
    }

    private Response written(UriInfo uri, HttpServletRequest http, WriteOutcome out, int status, String prefer) {
        Response.ResponseBuilder b = Response.status(status);
        b.location(URI.create(base(uri, http) + "/" + out.type() + "/" + out.id() + "/_history/" + out.version()))
                .tag(new EntityTag(Long.toString(out.version()), true));
        if (out.lastUpdated() != null) {
            b.lastModified(java.util.Date.from(out.lastUpdated()));
        }
        String ret = preference(prefer, "return");
        if ("minimal".equals(ret)) {
            return b.build();
        }
        Resource entity = out.resource();
        if ("OperationOutcome".equals(ret)) {
            OperationOutcome oo = new OperationOutcome();
            oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics((status == 201 ? "Created " : "Stored ") + out.type() + "/" + out.id() + " version "
                            + out.version());
            entity = oo;
        }
        return entity == null
                ? b.build()
                : b.entity(Fhir.body(format, uri, entity)).type(Fhir.FHIR_JSON).build();
    }

    /** The value of one preference of a {@code Prefer} header ({@code return=minimal}), or {@code null}. */
    static String preference(String prefer, String name) {
        if (prefer == null) {
            return null;
        }
        for (String p : prefer.split("[,;]")) {
            String t = p.trim();
            if (t.startsWith(name + "=")) {
                return t.substring(name.length() + 1).replace("\"", "");
            }
        }
        return null;
    }

    private static SearchRequest request(UriInfo uri, HttpServletRequest http, String prefer, String form) {
        List<Map.Entry<String, String>> params =
                new ArrayList<>(QueryStrings.parse(uri.getRequestUri().getRawQuery()));
        if (form != null) {
            params.addAll(QueryStrings.parse(form));
        }
        params.removeIf(e -> e.getKey().equals("_format") || e.getKey().equals("_pretty"));
        return new SearchRequest(params, base(uri, http), "lenient".equals(preference(prefer, "handling")));
    }

    private static String read(InputStream in, int limit) {
        try {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw FhirException.of(
                        413, OperationOutcome.IssueType.TOOCOSTLY, null, "The body is larger than " + limit + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version of a weak ETag ({@code W/"3"} → {@code 3}). */
    static String version(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String v = etag.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        return v.replace("\"", "");
    }

    /** The base URL of the FHIR API as the client addressed it (a forwarded {@code /fhir/r5} request keeps its own). */
    static String base(UriInfo uri, HttpServletRequest http) {
        Object forwarded = http == null ? null : http.getAttribute(BASE_ATTRIBUTE);
        if (forwarded instanceof String s) {
            return s;
        }
        String b = uri.getBaseUri().toString();
        return (b.endsWith("/") ? b : b + "/") + BASE;
    }

    private static Caller caller(SecurityContext sc) {
        return Callers.of(sc);
    }
}
