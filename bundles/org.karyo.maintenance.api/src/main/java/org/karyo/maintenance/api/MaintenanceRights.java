package org.karyo.maintenance.api;

/**
 * The rights the maintenance module contributes (module {@value #MODULE}), declared once here: the module's
 * {@code RightContributor} registers them and its resources require them.
 */
public final class MaintenanceRights {
    private MaintenanceRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "maintenance";

    /** Plan, change and end maintenance phases (a global right). */
    public static final String MANAGE = "maintenance.manage";
}
