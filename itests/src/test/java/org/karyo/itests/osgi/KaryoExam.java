package org.karyo.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.karyo.itests.support.Distribution;
import org.karyo.itests.support.TestDatabases;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;

/**
 * The Pax Exam configuration shared by the OSGi-level tests: the Karyo distribution on free ports. The tests share one
 * container ({@code PerSuite}), which Pax Exam configures from the first class it prepares, so every class gets the
 * same options, made once.
 */
final class KaryoExam {
    static final String HTTP_PORT = "karyo.it.http.port";

    private static Option[] options;

    private KaryoExam() {}

    static synchronized Option[] options() {
        if (options == null) {
            options = create();
        }
        return options.clone();
    }

    private static Option[] create() {
        int http = Distribution.freePort();
        List<Option> o = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.karyo", "karyo-assembly")
                                .versionAsInProject()
                                .type("tar.gz"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevelOption.LogLevel.INFO),
                CoreOptions.vmOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
                // the dev profile: generated master and audit keys, administrator admin/admin
                CoreOptions.vmOption("-DKARYO_PROFILE=dev"),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(http)),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1"),
                editConfigurationFilePut(
                        "etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(Distribution.freePort())),
                systemProperty(HTTP_PORT).value(Integer.toString(http)),
                // what the probe's assertions need inside the container
                CoreOptions.mavenBundle("net.bytebuddy", "byte-buddy").versionAsInProject(),
                CoreOptions.mavenBundle("org.assertj", "assertj-core").versionAsInProject(),
                // the LDAP test's directory server runs inside the container, on the library the plugin uses
                CoreOptions.mavenBundle("com.unboundid", "unboundid-ldapsdk").versionAsInProject(),
                // the distribution is sealed (no remote repositories); Pax Exam's own bundles come from the local one
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository()),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.repositories",
                        new File(localRepository()).toURI() + "@id=local@snapshots")));
        if (Boolean.getBoolean("karyo.exam.keep")) {
            o.add(
                    KarafDistributionOption
                            .keepRuntimeFolder()); // -Dkaryo.exam.keep=true keeps target/exam for debugging
        }
        try {
            if (TestDatabases.serverUrl() != null) {
                String database = TestDatabases.createDatabase("karyo_exam");
                // dropped when the test JVM ends, after Pax Exam has stopped the container
                Runtime.getRuntime().addShutdownHook(new Thread(() -> TestDatabases.dropDatabase(database)));
                o.add(editConfigurationFilePut("etc/org.karyo.db.cfg", "url", database));
            } else {
                o.add(editConfigurationFilePut(
                        "etc/org.karyo.db.cfg", "embedded.port", Integer.toString(Distribution.freePort())));
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create the test database", e);
        }
        return o.toArray(Option[]::new);
    }

    private static String localRepository() {
        return System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 20;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 250);
        }
    }
}
