package org.karyo.api.security;

import java.util.Objects;
import java.util.Optional;

/**
 * A right that a module contributes: a row in the access module's rights table, which roles then hold by key.
 *
 * @param key the right's key, {@code <module>.<verb>} (for example {@code content.manage}); at most 64 characters of
 *     {@code [a-z0-9_.]}
 * @param module the contributing module (for example {@code content}); a right whose module is uninstalled stays
 *     stored but grants nothing
 * @param category a heading under which clients group rights (for example {@code Content})
 * @param label a human-readable one-line description
 * @param scope how the right applies over the perimeter tree
 * @param dependsOn the key of a right this one requires in the same role, if any
 */
public record RightDefinition(
        String key, String module, String category, String label, RightScope scope, Optional<String> dependsOn) {

    public RightDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(scope, "scope");
        dependsOn = dependsOn == null ? Optional.empty() : dependsOn;
        if (!key.matches("[a-z0-9_.]{1,64}")) {
            throw new IllegalArgumentException("a right key is 1 to 64 characters of [a-z0-9_.]: " + key);
        }
    }

    /** A global right (it ignores the perimeter). */
    public static RightDefinition global(String key, String module, String category, String label) {
        return new RightDefinition(key, module, category, label, RightScope.GLOBAL, Optional.empty());
    }

    /** A right that an access on a node grants on that node and all of its descendants. */
    public static RightDefinition inherited(String key, String module, String category, String label) {
        return new RightDefinition(key, module, category, label, RightScope.INHERITED, Optional.empty());
    }

    /** This right, requiring {@code other} in the same role. */
    public RightDefinition dependingOn(String other) {
        return new RightDefinition(key, module, category, label, scope, Optional.of(other));
    }

    /** How a right applies over the perimeter tree. */
    public enum RightScope {
        /** Held everywhere as soon as any valid access grants it. */
        GLOBAL,
        /** Held on the access's node and every descendant. */
        INHERITED,
        /** Held on the access's node only. */
        LOCAL
    }
}
