package org.karyo.fhir.impl.internal.parse;

import java.util.List;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.karyo.fhir.api.FhirException;

/**
 * Bad FHIR input: the body is not a FHIR R5 resource this server accepts. It carries every issue found (up to
 * {@link FhirJson#MAX_ISSUES}), each with its FHIRPath location. It is the only exception {@link FhirJson} throws for
 * bad input; its message and issues are client-safe. It has no stack trace (it is an expected outcome, and cheap).
 */
public final class FhirInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<Issue> issues;

    /** A 400 with these issues (at least one). */
    public FhirInputException(List<Issue> issues) {
        this(400, issues);
    }

    /**
     * @param status the HTTP status FHIR maps this to: 400, or 413 when the body is larger than allowed
     * @param issues at least one issue
     */
    public FhirInputException(int status, List<Issue> issues) {
        super(summary(issues), null, false, false);
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a FhirInputException needs at least one issue");
        }
        this.status = status;
        this.issues = List.copyOf(issues);
    }

    /** One issue. */
    public static FhirInputException of(Issue issue) {
        return new FhirInputException(List.of(issue));
    }

    /** The HTTP status: 413 when the body exceeded the byte limit, otherwise 400. */
    public int status() {
        return status;
    }

    /** Every issue found, in document order (parsing stops at the first fatal one). */
    public List<Issue> issues() {
        return issues;
    }

    /** The issues as an R5 OperationOutcome: severity, code, diagnostics and the location as {@code expression}. */
    public OperationOutcome toOperationOutcome() {
        OperationOutcome oo = new OperationOutcome();
        for (Issue issue : issues) {
            OperationOutcome.OperationOutcomeIssueComponent c = oo.addIssue()
                    .setSeverity(IssueSeverity.fromCode(issue.severity().code()))
                    .setCode(IssueType.fromCode(issue.code()))
                    .setDiagnostics(issue.message());
            if (issue.location() != null) {
                c.addExpression(issue.location());
            }
        }
        return oo;
    }

    /** The same failure as the platform's {@link FhirException} (what the REST layer and Java callers get). */
    public FhirException toFhirException() {
        return new FhirException(status, toOperationOutcome());
    }

    private static String summary(List<Issue> issues) {
        if (issues.isEmpty()) {
            return "Invalid FHIR input";
        }
        Issue first = issues.get(0);
        String where = first.location() == null ? "" : first.location() + ": ";
        String more = issues.size() > 1 ? " (and " + (issues.size() - 1) + " more issues)" : "";
        return "Invalid FHIR input: " + where + first.message() + more;
    }
}
