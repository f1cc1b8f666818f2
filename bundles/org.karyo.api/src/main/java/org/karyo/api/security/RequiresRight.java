package org.karyo.api.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the named right a REST method (or every method of a class) needs, for example {@code content.manage}. The
 * platform's security extension enforces it; a method that declares neither this nor {@link Public} is refused.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresRight {
    /** The right's key, {@code <module>.<verb>}. */
    String value();
}
