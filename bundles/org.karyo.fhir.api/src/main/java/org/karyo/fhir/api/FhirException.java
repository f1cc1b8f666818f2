package org.karyo.fhir.api;

import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/**
 * An expected failure of a FHIR interaction, with the HTTP status FHIR maps it to (400, 403, 404, 405, 409, 410, 412,
 * 413, 422) and the OperationOutcome the client gets. Its messages are client-safe by contract.
 */
public class FhirException extends KaryoException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient OperationOutcome outcome;

    public FhirException(int status, OperationOutcome outcome) {
        super(kindOf(status), "fhir-" + status, summary(outcome), List.of(), null, null);
        this.status = status;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** One error issue of type {@code code} at {@code location} (a FHIRPath expression, or {@code null}). */
    public static FhirException of(int status, IssueType code, String location, String message) {
        OperationOutcome oo = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue =
                oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(code).setDiagnostics(message);
        if (location != null) {
            issue.addExpression(location);
        }
        return new FhirException(status, oo);
    }

    /** 400: the request is malformed (an unknown search parameter, a bad value). */
    public static FhirException badRequest(String location, String message) {
        return of(400, IssueType.INVALID, location, message);
    }

    /** 404: no such resource, or one the caller may not know of. */
    public static FhirException notFound(String type, String id) {
        return of(404, IssueType.NOTFOUND, null, "Resource " + type + "/" + id + " is not known");
    }

    /** 403: the caller may not do this (a search through an element its pseudonymised access removes). */
    public static FhirException forbidden(String message) {
        return of(403, IssueType.FORBIDDEN, null, message);
    }

    /** 422: the resource is well-formed but breaks a rule (an unresolved reference, a hook's refusal). */
    public static FhirException unprocessable(String location, String message) {
        return of(422, IssueType.PROCESSING, location, message);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The OperationOutcome the client gets (a copy). */
    public OperationOutcome outcome() {
        return outcome.copy();
    }

    private static String summary(OperationOutcome oo) {
        if (oo == null || oo.getIssue().isEmpty()) {
            return "FHIR request failed";
        }
        String d = oo.getIssueFirstRep().getDiagnostics();
        return d == null ? "FHIR request failed" : d;
    }

    private static Kind kindOf(int status) {
        return switch (status) {
            case 401 -> Kind.UNAUTHENTICATED;
            case 403 -> Kind.FORBIDDEN;
            case 404, 410 -> Kind.NOT_FOUND;
            case 409 -> Kind.CONFLICT;
            case 412 -> Kind.PRECONDITION_FAILED;
            case 413 -> Kind.TOO_LARGE;
            case 422, 405 -> Kind.UNPROCESSABLE;
            case 503 -> Kind.UNAVAILABLE;
            default -> Kind.INVALID;
        };
    }
}
