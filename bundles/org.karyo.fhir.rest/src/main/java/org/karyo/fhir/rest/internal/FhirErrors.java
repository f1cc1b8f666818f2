package org.karyo.fhir.rest.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.FhirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The FHIR API's errors: every failure of a FHIR interaction is an OperationOutcome with FHIR's status (400, 401, 403,
 * 404, 405, 409, 410, 412, 413, 415, 422, 503). Anything unexpected is a 500 with an incident id, logged once here; no
 * other exception's message reaches the client.
 */
final class FhirErrors {
    private static final Logger LOG = LoggerFactory.getLogger(FhirErrors.class);

    private FhirErrors() {}

    static Response response(Throwable t) {
        FhirException fhir = find(t, FhirException.class);
        if (fhir != null) {
            return response(fhir.status(), fhir.outcome());
        }
        KaryoException k = find(t, KaryoException.class);
        if (k != null) {
            int status =
                    switch (k.kind()) {
                        case INVALID -> 400;
                        case UNAUTHENTICATED -> 401;
                        case FORBIDDEN -> 403;
                        case NOT_FOUND -> 404;
                        case CONFLICT -> 409;
                        case PRECONDITION_FAILED -> 412;
                        case TOO_LARGE -> 413;
                        case UNPROCESSABLE -> 422;
                        case TOO_MANY_REQUESTS -> 429;
                        case RANGE_NOT_SATISFIABLE -> 416;
                        case UNAVAILABLE -> 503;
                    };
            String location = k.errors().isEmpty() ? null : k.errors().get(0).field();
            Response.ResponseBuilder r =
                    Response.fromResponse(response(status, outcome(type(status), location, k.getMessage())));
            if (status == 401) {
                r.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"karyo\"");
            }
            if (k.retryAfter() != null) {
                r.header("Retry-After", Long.toString(Math.max(1, k.retryAfter().toSeconds())));
            }
            return r.build();
        }
        WebApplicationException web = find(t, WebApplicationException.class);
        if (web != null && web.getResponse() != null && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            String message =
                    switch (status) {
                        case 404 -> "No FHIR interaction is served at this path";
                        case 405 -> "This interaction is not supported at this path";
                        case 406 -> "The server writes application/fhir+json";
                        case 415 -> "Send application/fhir+json (or application/json-patch+json to PATCH)";
                        default -> "The request is not valid";
                    };
            Response.ResponseBuilder r = Response.fromResponse(response(status, outcome(type(status), null, message)));
            if (status == 405 && web.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
                r.header(HttpHeaders.ALLOW, web.getResponse().getHeaderString(HttpHeaders.ALLOW));
            }
            return r.build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.error("Unexpected error in the FHIR API (incident {}, request {})", incident, MDC.get("requestId"), t);
        return response(500, outcome(IssueType.EXCEPTION, null, "Unexpected error (incident " + incident + ")"));
    }

    static Response response(int status, OperationOutcome oo) {
        String json = FhirContext.forR5Cached().newJsonParser().encodeResourceToString(oo);
        return Response.status(status).entity(json).type(Fhir.FHIR_JSON).build();
    }

    static OperationOutcome outcome(IssueType type, String location, String message) {
        OperationOutcome oo = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue =
                oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        if (location != null) {
            issue.addExpression(location);
        }
        return oo;
    }

    private static IssueType type(int status) {
        return switch (status) {
            case 401 -> IssueType.LOGIN;
            case 403 -> IssueType.FORBIDDEN;
            case 404, 410 -> IssueType.NOTFOUND;
            case 405, 406, 415 -> IssueType.NOTSUPPORTED;
            case 409, 412 -> IssueType.CONFLICT;
            case 413 -> IssueType.TOOCOSTLY;
            case 429, 503 -> IssueType.TRANSIENT;
            default -> IssueType.INVALID;
        };
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
