package org.karyo.api.json;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The constants of an enum property (or of the elements of an enum collection) that the server accepts in a request
 * body; the others exist, the server may write them, but refuses them here. The OpenAPI document lists only these.
 * Every value must name a constant of the property's enum.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface AllowedValues {
    /** The accepted constants, by name. */
    String[] value();
}
