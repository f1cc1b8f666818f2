package org.karyo.core.modules;

import java.util.List;

/**
 * The outcome of an install or uninstall.
 *
 * @param changed the features that were installed (or uninstalled) by this call
 * @param unchanged the features that were already installed (or already not installed)
 */
public record ModuleChange(List<String> changed, List<String> unchanged) {
    public ModuleChange {
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }
}
