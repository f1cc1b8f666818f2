package org.karyo.core.modules;

import java.util.List;
import org.karyo.api.json.Nullable;
import org.karyo.api.module.ModuleStatus;

/**
 * One domain module as the module manager sees it.
 *
 * @param feature the Karaf feature, for example {@code karyo-content}
 * @param module the module's name, for example {@code content} (the feature without {@code karyo-}; the same name
 *     as {@link ModuleStatus#module()})
 * @param version the feature's version
 * @param installed whether the feature is installed now
 * @param desired whether the platform wants it installed: from {@code features} in {@code etc/org.karyo.modules.cfg}
 *     or {@code KARYO_FEATURES} at start, then following installs and uninstalls at runtime, and always with the
 *     modules those need
 * @param description the feature's description, or {@code null}
 * @param dependsOn the domain features it needs (directly or through others), sorted
 * @param requiredBy the installed domain features that need it (directly or through others), sorted: while any is
 *     installed, it cannot be uninstalled
 * @param schema the state of its database schema (migrations), or {@code null} when it has none or is not installed
 * @param lastChange the latest change that concerned it since the platform started, or {@code null}
 */
public record ModuleInfo(
        String feature,
        String module,
        String version,
        boolean installed,
        boolean desired,
        @Nullable String description,
        List<String> dependsOn,
        List<String> requiredBy,
        @Nullable ModuleStatus schema,
        @Nullable ModuleChange lastChange) {

    public ModuleInfo {
        dependsOn = List.copyOf(dependsOn);
        requiredBy = List.copyOf(requiredBy);
    }
}
