package org.karyo.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.karyo.itests.support.Api;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** A module whose migration fails is FAILED, never half-active, and the rest of the platform keeps serving. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class FailedMigrationOsgiTest {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return KaryoExam.options();
    }

    private Api api() {
        return new Api(URI.create("http://127.0.0.1:" + System.getProperty(KaryoExam.HTTP_PORT) + "/api"));
    }

    /** A module bundle whose second migration is not valid SQL. */
    private static byte[] brokenModule() throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.karyo.itest.broken");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Karyo-Module", "broken");
        a.putValue("Karyo-Migrations", "db/broken");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new JarEntry("db/")); // directory entries, as every built bundle has them
            jar.putNextEntry(new JarEntry("db/broken/"));
            jar.putNextEntry(new JarEntry("db/broken/V1__create.sql"));
            jar.write("create table thing (id bigint primary key);".getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry("db/broken/V2__typo.sql"));
            jar.write("alter tabel thing add column name text;".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private JsonNode module(String name) {
        for (JsonNode m :
                api().login("admin", "admin").get("/health/detail").json().path("modules")) {
            if (name.equals(m.path("module").asText())) {
                return m;
            }
        }
        return null;
    }

    @Test
    public void aFailedMigrationLeavesItsModuleFailedAndTheRestServing() throws Exception {
        KaryoExam.await("the platform to be ready", Duration.ofMinutes(3), () -> {
            try {
                return api().get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        Bundle broken = context.installBundle("karyo-itest:broken", new ByteArrayInputStream(brokenModule()));
        broken.start();
        try {
            java.util.concurrent.atomic.AtomicReference<JsonNode> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            KaryoExam.await("the module to fail", Duration.ofSeconds(60), () -> {
                JsonNode m = module("broken");
                failed.set(m);
                return m != null && "FAILED".equals(m.path("state").asText());
            });
            JsonNode m = failed.get();
            assertThat(m.path("detail").asText()).contains("2");
            assertThat(m.toString()).doesNotContain("tabel");

            Api.Response health = api().get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("ready").asBoolean()).isFalse();
            assertThat(health.json().path("live").asBoolean()).isTrue();

            assertThat(api().get("/webcontent/contents").status()).isEqualTo(200);
            assertThat(api().get("/maintenances").status()).isEqualTo(200);
        } finally {
            broken.uninstall();
        }
        KaryoExam.await(
                "the platform to be ready again",
                Duration.ofSeconds(30),
                () -> api().get("/health").status() == 200);
        assertThat(module("broken")).isNull();
    }
}
