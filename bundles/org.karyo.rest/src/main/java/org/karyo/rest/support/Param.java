package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a path, query or header parameter that a resource decodes from text is sent, for {@code /api/openapi.json}:
 * {@code @PathParam("id") @Param(kind = Param.Kind.ID, description = "The content's id") String id}. A parameter
 * without it is documented as a string ({@code limit}, {@code offset} and the platform's flags are typed anyway).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {
    /** What the parameter means. */
    String description() default "";

    /** Whether a query or header parameter must be given (path parameters always are). */
    boolean required() default false;

    /** Its wire type. */
    Kind kind() default Kind.TEXT;

    /** For {@link Kind#TEXT}: the only values accepted (an enum), or empty for any text. */
    String[] allowed() default {};

    /** For {@link Kind#TEXT}: whether a comma-separated list of values is accepted. */
    boolean list() default false;

    /** Wire types of parameters. */
    enum Kind {
        /** Text. */
        TEXT,
        /** A numeric id: an integer (int64) of at least 1. */
        ID,
        /** An integer (int64). */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** An ISO 8601 date, {@code 2026-12-07}. */
        DATE,
        /** An ISO 8601 date-time, {@code 2026-12-07T09:30:00Z}. */
        DATE_TIME,
        /** A UUID. */
        UUID
    }
}
