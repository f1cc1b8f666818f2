package org.karyo.omics.rest.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.security.RequiresRight;
import org.karyo.omics.api.ArtifactDataService;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.HtsgetUrl;
import org.karyo.omics.api.OmicsRights;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/htsget/variants/{id}}: GA4GH htsget 1.3 tickets for VCF artifacts. {@code start}/{@code end} are
 * 0-based half-open as the htsget spec says; without {@code referenceName} the ticket covers the whole file. The
 * ticket's URLs are {@code data:} URIs (the header, partial blocks, the EOF block) and short-lived presigned storage
 * URLs with {@code Range} headers, in the order a client concatenates them. Needs
 * {@value OmicsRights#READ_GENOTYPES} on the artifact's project and no sample of the file blocked by consent.
 *
 * <p>Errors of this endpoint use htsget's own shape, {@code {"htsget":{"error":"InvalidRange","message":...}}},
 * with the spec's status codes, except that an artifact htsget does not serve (BCF, BED) answers {@code 422}
 * {@code UnsupportedFormat}, the status the rest of the API gives a BCF region query. A caller who may read the
 * artifact but not its genotypes gets {@code 403} {@code PermissionDenied} saying so. (A request refused before it reaches the resource, without credentials or without the
 * right anywhere, gets the platform's problem document.)
 */
@Component(service = HtsgetResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("htsget/variants")
@Produces({HtsgetResource.HTSGET_JSON, MediaType.APPLICATION_JSON})
public class HtsgetResource {

    /** The htsget 1.3 ticket media type. */
    static final String HTSGET_JSON = "application/vnd.ga4gh.htsget.v1.3.0+json";

    private final ArtifactDataService data;

    @Activate
    public HtsgetResource(@Reference ArtifactDataService data) {
        this.data = data;
    }

    /** A ticket for the records of {@code referenceName:[start, end)} of a VCF artifact, or of the whole file. */
    @GET
    @Path("{id}")
    @RequiresRight(OmicsRights.READ_GENOTYPES)
    @Operation(
            id = "getVariantsTicket",
            summary = "Get an htsget ticket for a VCF artifact's records",
            description = "GA4GH htsget 1.3. The ticket's URLs (`data:` URIs and short-lived presigned storage URLs"
                    + " with `Range` headers) are fetched in order and concatenated. Errors found once the request"
                    + " reaches the ticket use htsget's shape, `{\"htsget\": {\"error\": \"InvalidRange\","
                    + " \"message\": \"...\"}}` with the ticket's media type, rather than a problem document: 400"
                    + " InvalidInput, InvalidRange or UnsupportedFormat; 403 PermissionDenied (also when consent blocks"
                    + " a sample of the file); 404 NotFound (the artifact or the reference); 422 UnsupportedFormat for"
                    + " a BCF, BED or Parquet artifact or `format=BCF`. A request without credentials (401) or without"
                    + " the right anywhere (403) gets a problem document.")
    @Returns(value = HtsgetTicketResponse.class, mediaTypes = HTSGET_JSON)
    @Fails(422)
    public Response ticket(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The VCF artifact's id") String id,
            @QueryParam("format")
                    @Param(
                            description = "VCF, the only format served (the default); BCF answers 422",
                            allowed = {"VCF", "BCF"})
                    String format,
            @QueryParam("class")
                    @Param(description = "header for the header only; the whole records by default", allowed = "header")
                    String dataClass,
            @QueryParam("referenceName") @Param(description = "The contig; without it the ticket covers the whole file")
                    String referenceName,
            @QueryParam("start")
                    @Param(kind = Param.Kind.INTEGER, description = "The 0-based start, inclusive; needs referenceName")
                    String start,
            @QueryParam("end")
                    @Param(kind = Param.Kind.INTEGER, description = "The 0-based end, exclusive; needs referenceName")
                    String end,
            @Context SecurityContext security) {
        try {
            long key = PathIds.parse(id, "artifact");
            HtsgetRequest request = new HtsgetRequest(
                    format, dataClass, blankToNull(referenceName), coordinate("start", start), coordinate("end", end));
            HtsgetTicket ticket = data.htsget(Callers.of(security), key, request);
            return Response.ok(body(ticket), HTSGET_JSON)
                    .cacheControl(noStore())
                    .build();
        } catch (KaryoException e) {
            return error(e);
        }
    }

    /** The ticket's document as {@link #body} writes it, for the API description. */
    public record HtsgetTicketResponse(HtsgetTicketBody htsget) {}

    /** An htsget ticket: its format and the URLs to fetch in order. */
    public record HtsgetTicketBody(String format, List<HtsgetTicketUrl> urls) {}

    /** One URL of a ticket, with the headers to send (absent when none) and its class ({@code header}, {@code body}). */
    public record HtsgetTicketUrl(String url, Map<String, String> headers, @JsonProperty("class") String dataClass) {}

    static Map<String, Object> body(HtsgetTicket ticket) {
        List<Map<String, Object>> urls = new ArrayList<>();
        for (HtsgetUrl u : ticket.urls()) {
            Map<String, Object> url = new LinkedHashMap<>();
            url.put("url", u.url());
            if (!u.headers().isEmpty()) {
                url.put("headers", u.headers());
            }
            url.put("class", u.dataClass());
            urls.add(url);
        }
        Map<String, Object> htsget = new LinkedHashMap<>();
        htsget.put("format", ticket.format());
        htsget.put("urls", urls);
        return Map.of("htsget", htsget);
    }

    /** A failure in htsget's error shape and status. */
    static Response error(KaryoException e) {
        String error;
        int status;
        switch (e.kind()) {
            case UNAUTHENTICATED -> {
                error = "InvalidAuthentication";
                status = 401;
            }
            case FORBIDDEN -> {
                error = "PermissionDenied";
                status = 403;
            }
            case NOT_FOUND -> {
                error = "NotFound";
                status = 404;
            }
            case TOO_LARGE -> {
                error = "PayloadTooLarge";
                status = 413;
            }
            case UNPROCESSABLE -> {
                // a file htsget does not serve (BCF, BED): 422 as everywhere in the API, with htsget's error name
                error = "UnsupportedFormat";
                status = 422;
            }
            case INVALID -> {
                status = 400;
                if (e.type().equals("invalid-range")) {
                    error = "InvalidRange";
                } else if (e.errors().stream().map(FieldError::field).anyMatch("format"::equals)) {
                    error = "UnsupportedFormat";
                } else {
                    error = "InvalidInput";
                }
            }
            default -> throw e; // the platform's problem document (503 maintenance, 500)
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", e.getMessage());
        return Response.status(status)
                .type(HTSGET_JSON)
                .entity(Map.of("htsget", body))
                .build();
    }

    private static Long coordinate(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw KaryoException.invalid(name, "must be a non-negative integer");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static CacheControl noStore() {
        CacheControl c = new CacheControl();
        c.setNoStore(true);
        return c;
    }
}
