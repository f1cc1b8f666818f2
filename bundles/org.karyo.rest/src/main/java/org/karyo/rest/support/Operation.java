package org.karyo.rest.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a resource method in {@code /api/openapi.json}: its {@code operationId}, which generated clients turn into a
 * method name and which therefore is part of the API (keep it when the Java method is renamed), and a summary that
 * says what the operation does. Every operation of the platform carries one; the ids are unique across the API.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Operation {
    /** The operationId: a verb and a noun in lower camel case, for example {@code createContent}. */
    String id();

    /** One line that says what the operation does, for example {@code Create a content item}. */
    String summary();

    /** More detail (CommonMark), shown under the summary; the required right is added by the platform. */
    String description() default "";
}
