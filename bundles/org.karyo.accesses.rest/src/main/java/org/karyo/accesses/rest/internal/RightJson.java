package org.karyo.accesses.rest.internal;

import java.util.Optional;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Right;
import org.karyo.api.security.RightDefinition.RightScope;

/**
 * One right as {@code GET /api/accesses/rights} lists it.
 *
 * @param key the right's key, {@code <module>.<verb>}: what roles hold
 * @param keyName for the access module's sixteen, the Cohort360 role field ({@code right_full_admin}); else null
 * @param module the contributing module
 * @param label a one-line description
 * @param isGlobal whether it ignores the perimeter
 * @param scope how it applies over the perimeter tree
 * @param dependsOn a right it requires in the same role, if any
 * @param active whether its module is installed (an inactive right grants nothing)
 */
record RightJson(
        String key,
        Optional<String> keyName,
        String module,
        String label,
        boolean isGlobal,
        RightScope scope,
        Optional<String> dependsOn,
        boolean active) {

    static RightJson of(Right r) {
        Optional<String> keyName =
                AccessRights.ALL.contains(r.key()) ? Optional.of(AccessRights.flag(r.key())) : Optional.empty();
        return new RightJson(r.key(), keyName, r.module(), r.label(), r.global(), r.scope(), r.dependsOn(), r.active());
    }
}
