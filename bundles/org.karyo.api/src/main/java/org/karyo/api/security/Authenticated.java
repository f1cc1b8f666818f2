package org.karyo.api.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a REST method (or every method of a class) may be called by any authenticated caller, whatever its
 * rights (for example {@code /auth/me} or {@code /accesses/accesses/my-accesses}). What such a method returns is the
 * caller's own data, or is filtered by the caller's rights in the service layer.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Authenticated {}
