package org.karyo.fhir.impl.internal.parse;

import java.io.Serializable;
import java.util.Objects;

/**
 * One problem found in a FHIR input, as it goes into an OperationOutcome issue.
 *
 * @param severity how bad it is ({@link Severity#FATAL} when parsing had to stop)
 * @param code the FHIR issue-type code: {@code structure}, {@code required}, {@code value}, {@code invalid},
 *     {@code too-long}, {@code too-costly} or {@code not-supported}
 * @param location where, as a FHIRPath expression ({@code Observation.code}, {@code Patient.name[0].given[1]},
 *     {@code Bundle.entry[3].resource.value.ofType(Quantity)}); never {@code null} for issues made by the parser
 * @param message a client-safe explanation (it may quote a short, truncated piece of the input)
 */
public record Issue(Severity severity, String code, String location, String message) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bad JSON, a wrong JSON type, an unknown element, a limit-free structural problem. */
    public static final String STRUCTURE = "structure";
    /** A required element (minimum cardinality 1) is missing. */
    public static final String REQUIRED = "required";
    /** A primitive value does not have the format of its type, or a code is not in its required value set. */
    public static final String VALUE = "value";
    /** The content breaks a rule that is not about one value (a type mismatch, a dangling local reference). */
    public static final String INVALID = "invalid";
    /** The body, a string or an array is larger than the limits allow. */
    public static final String TOO_LONG = "too-long";
    /** Parsing was stopped to protect the server (nesting too deep, too many issues). */
    public static final String TOO_COSTLY = "too-costly";
    /** Valid FHIR that this server does not accept. */
    public static final String NOT_SUPPORTED = "not-supported";

    /** The FHIR issue severities. */
    public enum Severity {
        FATAL("fatal"),
        ERROR("error"),
        WARNING("warning"),
        INFORMATION("information");

        private final String code;

        Severity(String code) {
            this.code = code;
        }

        /** The FHIR code of this severity ({@code fatal}, {@code error}, …). */
        public String code() {
            return code;
        }
    }

    public Issue {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** An {@link Severity#ERROR} issue. */
    public static Issue error(String code, String location, String message) {
        return new Issue(Severity.ERROR, code, location, message);
    }

    @Override
    public String toString() {
        return severity.code() + " " + code + (location == null ? "" : " at " + location) + ": " + message;
    }
}
