package org.karyo.omics.impl.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.osgi.framework.BundleContext;

/** The real filesystem object store ({@code org.karyo.storage.fs}) on a test's temporary folder. */
final class TestStores {
    private TestStores() {}

    static ObjectStore filesystem(Path folder) {
        FsObjectStore.Config config = new FsObjectStore.Config() {
            @Override
            public String root() {
                return folder.toString();
            }

            @Override
            public String public_url() {
                return "http://127.0.0.1:8181";
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return FsObjectStore.Config.class;
            }
        };
        // the store asks its bundle context for karaf.base only, to default its folder (given here)
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                TestStores.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
        return new FsObjectStore(config, context);
    }
}
