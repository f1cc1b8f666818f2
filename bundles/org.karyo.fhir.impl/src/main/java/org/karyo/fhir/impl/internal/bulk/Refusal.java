package org.karyo.fhir.impl.internal.bulk;

import java.util.List;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.impl.internal.parse.FhirInputException;
import org.karyo.fhir.impl.internal.parse.Issue;

/**
 * Why a line of an import was not stored.
 *
 * @param code what kind of problem, an OperationOutcome issue-type code ({@code structure}, {@code required},
 *     {@code value}, {@code processing}…)
 * @param location where, as a FHIRPath expression, or {@code null}
 * @param message the client-safe explanation (the parser's messages may quote a short piece of the line, so it goes
 *     only into the import's report, which only {@code fhir.admin} reads, never into the job's result)
 */
record Refusal(String code, String location, String message) {

    /** The short form the job's result carries: the code and location only, never a piece of the line. */
    String brief() {
        return location == null ? code : code + " at " + location;
    }

    /** The report's form: the location and the message. */
    String full() {
        return location == null ? message : location + ": " + message;
    }

    static Refusal of(String code, String location, String message) {
        return new Refusal(code, location, message);
    }

    /** The first issue of bad input (and how many more there were). */
    static Refusal of(FhirInputException e) {
        List<Issue> issues = e.issues();
        Issue first = issues.get(0);
        String more = issues.size() > 1 ? " (and " + (issues.size() - 1) + " more issues)" : "";
        return new Refusal(first.code(), first.location(), first.message() + more);
    }

    /** A refusal by the store or a write hook. */
    static Refusal of(KaryoException e) {
        if (e instanceof FhirException f && !f.outcome().getIssue().isEmpty()) {
            var issue = f.outcome().getIssueFirstRep();
            String location =
                    issue.hasExpression() ? issue.getExpression().get(0).getValue() : null;
            String code =
                    issue.getCode() == null ? "processing" : issue.getCode().toCode();
            return new Refusal(code, location, e.getMessage());
        }
        return new Refusal("processing", null, e.getMessage());
    }
}
