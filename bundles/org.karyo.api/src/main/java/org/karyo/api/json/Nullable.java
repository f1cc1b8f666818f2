package org.karyo.api.json;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * May be null on the wire, and may be left out of a request body.
 *
 * <p>Every other property of a record or bean that the platform reads or writes as JSON is required and never null
 * in the OpenAPI document ({@code /api/openapi.json}); a property marked so is {@code nullable} and not
 * {@code required}. An {@code Optional} property is treated the same way without the mark.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Nullable {}
