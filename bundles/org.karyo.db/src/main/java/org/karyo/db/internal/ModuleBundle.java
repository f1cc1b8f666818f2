package org.karyo.db.internal;

/**
 * A started bundle that declares a module ({@code Karyo-Module}).
 *
 * @param bundleId the bundle's id
 * @param symbolicName the bundle's symbolic name
 * @param module the module's name as declared
 * @param folder the migrations folder ({@code Karyo-Migrations}, default {@code db/<module>})
 * @param classLoader the bundle's class loader, which sees the migrations folder
 */
record ModuleBundle(long bundleId, String symbolicName, String module, String folder, ClassLoader classLoader) {}
