package org.karyo.accesses.api;

import java.util.Optional;
import org.karyo.api.security.RightDefinition.RightScope;

/**
 * A stored right.
 *
 * @param active whether its module is installed (a right of an uninstalled module grants nothing)
 */
public record Right(
        String key,
        String module,
        String category,
        String label,
        RightScope scope,
        Optional<String> dependsOn,
        boolean active) {

    public boolean global() {
        return scope == RightScope.GLOBAL;
    }
}
