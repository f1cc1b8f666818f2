package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A success response of a resource method, for {@code /api/openapi.json}. Methods that return their entity directly
 * need none (they answer {@code 200} with it); a method returning {@code javax.ws.rs.core.Response} names each status
 * it answers with, for example {@code @Returns(value = Upload.class, status = 201)} and
 * {@code @Returns(value = Upload.class, status = 200, description = "A retry of the same request")}.
 *
 * <p>Without a {@link #status()}, a POST answers {@code 201} and any other method {@code 200}. A {@code 201}, {@code
 * 202} or {@code 303} response is documented with its {@code Location} header, a {@code 201} also with its {@code
 * ETag}. A binary type ({@code byte[]}, {@code InputStream}, {@code StreamingOutput}) is documented as {@code type:
 * string, format: binary}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Returns.All.class)
public @interface Returns {
    /** The entity's type, for example {@code Content.class}; {@code Void.class} for a response without a body. */
    Class<?> value() default Void.class;

    /** The status code; 0 means {@code 201} for a POST and {@code 200} for other methods. */
    int status() default 0;

    /** When the status is answered (for example {@code The upload is complete; validation runs as this job}). */
    String description() default "";

    /** The body's media types; by default those of the method's {@code @Produces}. */
    String[] mediaTypes() default {};

    /** Whether the response carries the entity's version as {@code ETag} (a {@code 201} always does). */
    boolean etag() default false;

    /**
     * Whether the body may instead be an empty JSON object {@code {}} (Cohort360's "nothing" for some reads, such as
     * the next maintenance phase): documented as {@code anyOf} the entity and an object without properties.
     */
    boolean orEmpty() default false;

    /** The {@link Returns} of one method. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface All {
        Returns[] value();
    }
}
