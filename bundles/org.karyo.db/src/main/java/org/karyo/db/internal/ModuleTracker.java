package org.karyo.db.internal;

import org.karyo.api.module.SchemaReady;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/** Tracks started bundles that carry {@code Karyo-Module} and hands them to the {@link ModuleMigrator}. */
final class ModuleTracker implements BundleTrackerCustomizer<ModuleBundle> {

    private final ModuleMigrator migrator;

    ModuleTracker(ModuleMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public ModuleBundle addingBundle(Bundle bundle, BundleEvent event) {
        String module = header(bundle, SchemaReady.MODULE_HEADER);
        if (module == null) {
            return null;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return null;
        }
        String folder = header(bundle, SchemaReady.MIGRATIONS_HEADER);
        ModuleBundle mb = new ModuleBundle(
                bundle.getBundleId(),
                bundle.getSymbolicName(),
                module,
                folder != null ? folder : "db/" + module,
                wiring.getClassLoader());
        migrator.add(mb);
        return mb;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, ModuleBundle object) {
        // a started bundle stays as it is until it stops
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, ModuleBundle object) {
        migrator.remove(object);
    }

    private static String header(Bundle bundle, String name) {
        String value = bundle.getHeaders("").get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
