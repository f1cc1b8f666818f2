package org.karyo.core.modules;

/**
 * One domain module as the module manager sees it.
 *
 * @param feature the Karaf feature, for example {@code karyo-content}
 * @param module the module's name, for example {@code content} (the feature without {@code karyo-}; the same name
 *     as {@link org.karyo.api.module.ModuleStatus#module()})
 * @param version the feature's version
 * @param installed whether the feature is installed now
 * @param desired whether the platform wants it installed: from {@code features} in {@code etc/org.karyo.modules.cfg}
 *     or {@code KARYO_FEATURES} at start, then following installs and uninstalls at runtime
 * @param description the feature's description, or {@code null}
 */
public record ModuleInfo(
        String feature, String module, String version, boolean installed, boolean desired, String description) {}
