package org.karyo.api.security;

import java.lang.reflect.Method;
import java.util.Optional;

/** Reads what a REST method declares it needs: the method's own declaration wins over its class's. */
public final class Declarations {
    private Declarations() {}

    /** What a method needs. */
    public sealed interface Need permits PublicNeed, AuthenticatedNeed, RightNeed {}

    /** Anyone may call. */
    public record PublicNeed() implements Need {}

    /** Any authenticated caller. */
    public record AuthenticatedNeed() implements Need {}

    /** The caller needs this right. */
    public record RightNeed(String right) implements Need {}

    /** The declaration of {@code method}, or empty when it declares nothing (which the platform refuses). */
    public static Optional<Need> of(Method method) {
        Optional<Need> own = declared(
                method.getAnnotation(RequiresRight.class),
                method.isAnnotationPresent(Public.class),
                method.isAnnotationPresent(Authenticated.class));
        if (own.isPresent()) {
            return own;
        }
        Class<?> type = method.getDeclaringClass();
        return declared(
                type.getAnnotation(RequiresRight.class),
                type.isAnnotationPresent(Public.class),
                type.isAnnotationPresent(Authenticated.class));
    }

    private static Optional<Need> declared(RequiresRight right, boolean isPublic, boolean isAuthenticated) {
        int count = (right != null ? 1 : 0) + (isPublic ? 1 : 0) + (isAuthenticated ? 1 : 0);
        if (count > 1) {
            throw new IllegalStateException(
                    "a method or class declares at most one of @Public, @Authenticated and @RequiresRight");
        }
        if (right != null) {
            if (right.value().isBlank()) {
                throw new IllegalStateException("@RequiresRight needs a non-blank right");
            }
            return Optional.of(new RightNeed(right.value()));
        }
        if (isAuthenticated) {
            return Optional.of(new AuthenticatedNeed());
        }
        return isPublic ? Optional.of(new PublicNeed()) : Optional.empty();
    }
}
