package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the entity type of a resource method that returns a {@code javax.ws.rs.core.Response} (for example one built
 * with {@link Responses#created} or {@link Responses#ok}), so that {@code /api/openapi.json} can describe its body.
 * Methods that return their entity directly need no annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Returns {
    /** The entity's type, for example {@code Content.class}. */
    Class<?> value();
}
