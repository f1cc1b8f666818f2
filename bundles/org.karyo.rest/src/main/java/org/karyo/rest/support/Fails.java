package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error statuses a resource method answers beyond those the platform documents for every operation of its kind,
 * for {@code /api/openapi.json}: for example {@code @Fails({409, 422})}. The platform already documents 400 (every
 * operation: unknown query parameters), 401 and 403 (unless public), 404 (a path parameter), 412 (a PUT, PATCH
 * or DELETE that reads {@code If-Match}), 413 and 415 (a request body) and 503 (every operation). Each is a problem document.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Fails {
    /** The statuses: 404, 406, 409, 410, 412, 413, 416, 422 or 429. */
    int[] value();
}
