package org.karyo.api.security;

import java.lang.reflect.Method;
import java.util.Optional;

/** Reads what a REST method declares it needs: the method's own declaration wins over its class's. */
public final class Declarations {
    private Declarations() {}

    /** What a method needs. */
    public sealed interface Need permits PublicNeed, RightNeed {}

    /** Anyone may call. */
    public record PublicNeed() implements Need {}

    /** The caller needs this right. */
    public record RightNeed(String right) implements Need {}

    /** The declaration of {@code method}, or empty when it declares nothing (which the platform refuses). */
    public static Optional<Need> of(Method method) {
        Optional<Need> own =
                declared(method.getAnnotation(RequiresRight.class), method.isAnnotationPresent(Public.class));
        if (own.isPresent()) {
            return own;
        }
        Class<?> type = method.getDeclaringClass();
        return declared(type.getAnnotation(RequiresRight.class), type.isAnnotationPresent(Public.class));
    }

    private static Optional<Need> declared(RequiresRight right, boolean isPublic) {
        if (right != null && isPublic) {
            throw new IllegalStateException("a method or class cannot be both @Public and @RequiresRight");
        }
        if (right != null) {
            if (right.value().isBlank()) {
                throw new IllegalStateException("@RequiresRight needs a non-blank right");
            }
            return Optional.of(new RightNeed(right.value()));
        }
        return isPublic ? Optional.of(new PublicNeed()) : Optional.empty();
    }
}
