package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a resource method (or every method of a class) checks its query parameters itself, because they are
 * open-ended by the protocol it serves: FHIR search parameters, for example, which the FHIR store answers with its own
 * 400 naming the unknown ones. The platform's rule that an undeclared query parameter is a 400 does not apply to it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface OwnQueryParameters {}
