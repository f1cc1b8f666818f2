package org.karyo.storage.minio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.storage.testing.S3Server;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The bundle inside a real OSGi framework (Felix 7.0.5, SCR 2.2.6, Config Admin 1.9.26, as in Karaf 4.4.10) next to
 * exactly the bundles the feature must install for it (guava + failureaccess, Jackson, Commons Compress with Commons
 * IO and Lang, snappy-java): it resolves with its embedded MinIO SDK, OkHttp, Okio, Kotlin and Simple XML, and once
 * configured through Config Admin its ObjectStore stores, reads, lists and presigns against a real S3 server, on a
 * thread without a context class loader. This is what {@code -conditionalpackage} embedding got wrong at runtime.
 */
class OsgiWiringTest {

    private static final Path BUNDLES = Path.of("target", "osgi-bundles");
    private static final Path THIS_BUNDLE = Path.of("target", "classes");

    @TempDir
    Path storage;

    private Framework framework;
    private S3Server s3;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void theManifestEmbedsTheSdkAndImportsOnlyBundlesAndTheJdk() throws Exception {
        Manifest m;
        try (InputStream in = Files.newInputStream(THIS_BUNDLE.resolve("META-INF/MANIFEST.MF"))) {
            m = new Manifest(in);
        }
        String classPath = m.getMainAttributes().getValue("Bundle-ClassPath");
        assertThat(classPath)
                .contains(
                        "lib/minio.jar",
                        "lib/okhttp.jar",
                        "lib/okio.jar",
                        "lib/kotlin-stdlib.jar",
                        "lib/simple-xml-safe.jar");
        for (String jar : classPath.split(",")) {
            if (!jar.equals(".")) {
                assertThat(THIS_BUNDLE.resolve(jar)).isRegularFile();
            }
        }
        String imports = m.getMainAttributes().getValue("Import-Package");
        assertThat(imports).doesNotContain("resolution:=optional", "android", "conscrypt", "okhttp3", "kotlin");
        assertThat(m.getMainAttributes().getValue("Export-Package")).isNull();
    }

    @Test
    void theStoreWorksInsideOsgiWithTheFeaturesBundles() throws Exception {
        s3 = S3Server.start();
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext context = framework.getBundleContext();

        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(BUNDLES)) {
            for (Path jar : jars.sorted().toList()) {
                installed.add(context.installBundle(jar.toAbsolutePath().toUri().toString()));
            }
        }
        Bundle minio = context.installBundle(
                "reference:" + THIS_BUNDLE.toAbsolutePath().toUri());
        installed.add(minio);
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        assertThat(minio.getState()).isEqualTo(Bundle.ACTIVE);

        Map<String, Object> config = new HashMap<>();
        config.put("endpoint", s3.endpoint().toString());
        config.put("access.key", s3.accessKey());
        config.put("secret.key", s3.secretKey());
        config.put("bucket", "karyo-osgi");
        configure(context, config);
        ServiceReference<?> ref = await(context, "org.karyo.storage.api.ObjectStore");
        assertThat(ref.getProperty("karyo.storage.type")).isEqualTo("minio");
        assertThat(ref.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100);
        Object store = context.getService(ref);
        Bundle api = bundle(context, "org.karyo.storage.api");
        Class<?> options = api.loadClass("org.karyo.storage.api.PutOptions");
        Object defaults = options.getField("DEFAULT").get(null);
        Class<?> storeType = api.loadClass("org.karyo.storage.api.ObjectStore");

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(null); // like a scheduler or HTTP thread in Karaf
        try {
            byte[] data = "inside OSGi".getBytes(StandardCharsets.UTF_8);
            call(
                    storeType,
                    store,
                    "put",
                    new Class<?>[] {String.class, InputStream.class, long.class, options},
                    "osgi/hello.txt",
                    new ByteArrayInputStream(data),
                    (long) data.length,
                    defaults);
            try (InputStream in =
                    (InputStream) call(storeType, store, "get", new Class<?>[] {String.class}, "osgi/hello.txt")) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            Optional<?> stat =
                    (Optional<?>) call(storeType, store, "stat", new Class<?>[] {String.class}, "osgi/hello.txt");
            assertThat(stat).isPresent();
            List<?> listed = (List<?>) call(
                    storeType,
                    store,
                    "list",
                    new Class<?>[] {String.class, String.class, int.class},
                    "osgi/",
                    null,
                    10);
            assertThat(listed).hasSize(1);
            URI url = (URI) call(
                    storeType,
                    store,
                    "presignGet",
                    new Class<?>[] {String.class, Duration.class, String.class},
                    "osgi/hello.txt",
                    Duration.ofMinutes(1),
                    null);
            assertThat(url.getPort()).isEqualTo(s3.endpoint().getPort());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Object call(Class<?> type, Object target, String name, Class<?>[] params, Object... args)
            throws Exception {
        Method m = type.getMethod(name, params);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(name + " failed inside OSGi", e.getCause());
        }
    }

    private static Bundle bundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** {@code ConfigurationAdmin.getConfiguration(PID, "?").update(values)}, by reflection. */
    private static void configure(BundleContext context, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = await(context, "org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(ref);
        Bundle cm = bundle(context, "org.apache.felix.configadmin");
        Object config = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin")
                .getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, MinioObjectStore.PID, "?");
        Dictionary<String, Object> d = new Hashtable<>(values);
        cm.loadClass("org.osgi.service.cm.Configuration")
                .getMethod("update", Dictionary.class)
                .invoke(config, d);
    }

    /** A service by class name, whatever class space it is in. */
    private static ServiceReference<?> await(BundleContext context, String type) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
            if (refs != null) {
                return refs[0];
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " service within 20 s");
    }
}
