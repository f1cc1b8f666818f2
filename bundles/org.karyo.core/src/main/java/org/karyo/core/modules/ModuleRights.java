package org.karyo.core.modules;

/**
 * The rights of module management (module {@value #MODULE}), declared once here: the core registers them with a
 * {@code RightContributor} and the {@code /api/modules} resource requires them.
 */
public final class ModuleRights {
    private ModuleRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "platform.modules";

    /** See the modules, install and uninstall them (a global right). */
    public static final String MANAGE = "platform.modules.manage";
}
