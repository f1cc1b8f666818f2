package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The request body of a resource method that reads the body itself (an {@code InputStream} parameter decoded by the
 * resource), for {@code /api/openapi.json}: for example an optional JSON body, {@code @Accepts(value =
 * LogoutBody.class, required = false)}. Methods that take their body as a typed parameter need none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Accepts {
    /** The body's type, as the platform's JSON provider would read it. */
    Class<?> value();

    /** Whether a request must carry the body. */
    boolean required() default true;

    /** The body's media types; by default those of the method's {@code @Consumes}, else {@code application/json}. */
    String[] mediaTypes() default {};
}
