package org.karyo.mail.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundle inside a real OSGi framework, as in Karaf 4.4.10 (Felix 7.0.5, SCR 2.2.6, Config Admin 1.9.26) with both
 * exporters of {@code javax.mail} 1.6: CXF's API-only {@code jakarta.mail-api} 1.6.7, installed and resolved first as
 * the CXF feature does, and {@code com.sun.mail.jakarta.mail} 1.6.8. Configured through Config Admin, the component
 * registers the Mailer, which sends a text + HTML message to GreenMail on a thread without a context class loader.
 */
class OsgiWiringTest {

    private static final Path BUNDLES = Path.of("target", "osgi-bundles");
    private static final Path THIS_BUNDLE = Path.of("target", "classes");

    @TempDir
    Path storage;

    private Framework framework;
    private GreenMail smtp;

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void theMailerSendsInsideOsgiWithBothJavaxMailExporters() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new FrameworkFactory().newFramework(props);
        framework.start();
        BundleContext context = framework.getBundleContext();
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);

        // CXF's feature comes first: its javax.mail is resolved before Jakarta Mail is installed.
        List<Bundle> first = List.of(
                install(context, BUNDLES.resolve("0-jakarta.mail-api.jar")),
                install(context, BUNDLES.resolve("0-jakarta.activation.jar")));
        assertThat(wiring.resolveBundles(first)).isTrue();
        List<Bundle> rest = new ArrayList<>();
        try (Stream<Path> jars = Files.list(BUNDLES)) {
            for (Path jar : jars.filter(p -> !p.getFileName().toString().startsWith("0-"))
                    .sorted()
                    .toList()) {
                rest.add(install(context, jar));
            }
        }
        Bundle mailImpl = context.installBundle(
                "reference:" + THIS_BUNDLE.toAbsolutePath().toUri());
        rest.add(mailImpl);
        for (Bundle b : rest) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        Bundle jakartaMail = bundle(context, "com.sun.mail.jakarta.mail");

        // This bundle's javax.mail is the one SMTPTransport sees, and the SMTP classes come from Jakarta Mail.
        assertThat(provider(mailImpl, "com.sun.mail.smtp")).isEqualTo(jakartaMail);
        Bundle javaxMail = provider(jakartaMail, "javax.mail");
        if (javaxMail == null) {
            javaxMail = jakartaMail; // Jakarta Mail kept its own export
        }
        assertThat(provider(mailImpl, "javax.mail")).isEqualTo(javaxMail);
        assertThat(provider(mailImpl, "javax.mail.internet")).isEqualTo(javaxMail);

        configure(context, Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "from", "noreply@karyo.test"));
        ServiceReference<?> mailerRef = await(context, "org.karyo.mail.api.Mailer");
        Object mailer = context.getService(mailerRef);
        Bundle mailApi = bundle(context, "org.karyo.mail.api");
        Class<?> mailType = mailApi.loadClass("org.karyo.mail.api.Mail");
        Object mail = mailType.getConstructors()[0].newInstance(
                List.of("alice@karyo.test"), "inside OSGi", "plain text", "<p>html</p>");
        Method send = mailApi.loadClass("org.karyo.mail.api.Mailer").getMethod("send", mailType);

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(null); // like a scheduler thread: nothing useful there
        try {
            send.invoke(mailer, mail);
        } catch (InvocationTargetException e) {
            throw new AssertionError("send failed inside OSGi", e.getCause());
        } finally {
            thread.setContextClassLoader(previous);
        }

        assertThat(smtp.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage received = smtp.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("inside OSGi");
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        assertThat(((MimeMultipart) received.getContent()).getCount()).isEqualTo(2);
    }

    private static Bundle install(BundleContext context, Path jar) throws Exception {
        return context.installBundle(jar.toAbsolutePath().toUri().toString());
    }

    private static Bundle bundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** The bundle that {@code importer} imports {@code pkg} from, or {@code null}. */
    private static Bundle provider(Bundle importer, String pkg) {
        BundleWiring w = importer.adapt(BundleWiring.class);
        assertThat(w).as(importer.getSymbolicName() + " resolved").isNotNull();
        for (BundleWire wire : w.getRequiredWires("osgi.wiring.package")) {
            if (pkg.equals(wire.getCapability().getAttributes().get("osgi.wiring.package"))) {
                return wire.getProvider().getBundle();
            }
        }
        return null;
    }

    /** {@code ConfigurationAdmin.getConfiguration("org.karyo.mail", "?").update(values)}, by reflection. */
    private static void configure(BundleContext context, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = await(context, "org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(ref);
        Bundle cm = bundle(context, "org.apache.felix.configadmin");
        Object config = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin")
                .getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, "org.karyo.mail", "?");
        Dictionary<String, Object> d = new Hashtable<>(values);
        cm.loadClass("org.osgi.service.cm.Configuration")
                .getMethod("update", Dictionary.class)
                .invoke(config, d);
    }

    /**
     * A service by class name, whatever class space it is in (the system bundle sees the test class path's copy of the
     * Karyo API, so the filtered lookups would hide it).
     */
    private static ServiceReference<?> await(BundleContext context, String type) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
            if (refs != null) {
                return refs[0];
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " service within 10 s");
    }
}
