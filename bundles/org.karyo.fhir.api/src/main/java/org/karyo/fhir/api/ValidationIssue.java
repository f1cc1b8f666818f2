package org.karyo.fhir.api;

import java.util.Locale;

/**
 * One issue a {@link FhirValidator} found, in the terms of an OperationOutcome's issue.
 *
 * @param severity how bad it is
 * @param code the FHIR issue type code ({@code structure}, {@code required}, {@code value}, {@code code-invalid},
 *     {@code invalid}, {@code not-found}, {@code informational}, …)
 * @param expression the FHIRPath location of the problem ({@code Observation.status}), or {@code null} for the whole
 *     resource
 * @param message what is wrong, for a person
 */
public record ValidationIssue(Severity severity, String code, String expression, String message) {

    /** An OperationOutcome issue's severity. */
    public enum Severity {
        FATAL,
        ERROR,
        WARNING,
        INFORMATION;

        /** The FHIR code ({@code error}). */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether it makes the resource invalid (an error or a fatal issue). */
    public boolean isError() {
        return severity == Severity.ERROR || severity == Severity.FATAL;
    }
}
