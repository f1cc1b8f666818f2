package org.karyo.fhir.impl.internal.index;

/**
 * A FHIRPath expression that {@link PathCompiler} cannot compile: a function, operator or literal outside the
 * supported subset, or a syntax error. The message names the offending construct (for instance {@code unsupported
 * FHIRPath function 'descendants'}); the REST layer turns it into a 422.
 */
public final class UnsupportedExpressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String construct;

    UnsupportedExpressionException(String message, String construct) {
        super(message);
        this.construct = construct;
    }

    static UnsupportedExpressionException function(String name) {
        return new UnsupportedExpressionException("unsupported FHIRPath function '" + name + "'", name);
    }

    static UnsupportedExpressionException operator(String op) {
        return new UnsupportedExpressionException("unsupported FHIRPath operator '" + op + "'", op);
    }

    static UnsupportedExpressionException syntax(String expression, int position, String what) {
        return new UnsupportedExpressionException(
                "invalid FHIRPath expression at position " + position + ": " + what + " in '" + expression + "'", null);
    }

    /** The unsupported function, operator or literal, or null for a syntax error. */
    public String construct() {
        return construct;
    }
}
