package org.karyo.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The platform as an OSGi runtime: bundles, components, hot module install and removal, console commands. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ModulesOsgiTest {
    private static final EnumSet<FeaturesService.Option> NO_REFRESH =
            EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private SessionFactory sessions;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return KaryoExam.options();
    }

    private Api api() {
        return new Api(URI.create("http://127.0.0.1:" + System.getProperty(KaryoExam.HTTP_PORT) + "/api"));
    }

    private void awaitReady() throws InterruptedException {
        KaryoExam.await("the platform to be ready", Duration.ofMinutes(3), () -> {
            try {
                return api().get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    @Test
    public void everyBundleIsActiveAndEveryKaryoComponentSatisfied() throws Exception {
        awaitReady();
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() != (fragment ? Bundle.RESOLVED : Bundle.ACTIVE)) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertThat(notActive).isEmpty();

        // modules install after boot: give their migrations and components time to settle, then report the stragglers
        List<String> unsatisfied = new ArrayList<>();
        int[] count = new int[1];
        try {
            KaryoExam.await("every Karyo component to be satisfied", Duration.ofMinutes(2), () -> {
                unsatisfied.clear();
                count[0] = unsatisfiedComponents(unsatisfied);
                return unsatisfied.isEmpty();
            });
        } catch (AssertionError timedOut) {
            // reported below with the names
        }
        int karyoComponents = count[0];
        assertThat(karyoComponents).isGreaterThan(10);
        assertThat(unsatisfied).isEmpty();
    }

    /**
     * Once ready, nothing restarts by itself: every module's configuration was created once, from the etc file the
     * distribution ships, not by the feature install followed by File Install re-delivering it with one more key
     * (which restarted every component bound to it, seconds after the platform said it was ready).
     */
    @Test
    public void moduleConfigurationsComeFromTheirShippedFilesAndNothingRestartsOnceReady() throws Exception {
        awaitReady();
        org.osgi.service.cm.Configuration[] configs = configAdmin.listConfigurations("(service.pid=org.karyo.*)");
        assertThat(configs).isNotNull();
        List<String> pids = new ArrayList<>();
        for (org.osgi.service.cm.Configuration c : configs) {
            pids.add(c.getPid());
            assertThat(c.getProperties().get("felix.fileinstall.filename"))
                    .as(c.getPid() + " is bound to its etc file")
                    .isNotNull();
            assertThat(c.getProperties().get("org.apache.karaf.features.configKey"))
                    .as(c.getPid() + " was created from its file, not by a feature install")
                    .isNull();
        }
        assertThat(pids).contains("org.karyo.accesses", "org.karyo.auth", "org.karyo.audit", "org.karyo.content");

        Map<String, Long> before = activeComponentIds();
        Thread.sleep(Duration.ofSeconds(8).toMillis()); // File Install polls every second
        assertThat(activeComponentIds()).isEqualTo(before);
    }

    /** Component name -> id of its active configuration; a restarted component gets a new id. */
    private Map<String, Long> activeComponentIds() {
        Map<String, Long> out = new TreeMap<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle.symbolicName.startsWith("org.karyo")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.ACTIVE) {
                        out.put(d.name + "#" + c.id, c.id);
                    }
                }
            }
        }
        return out;
    }

    @Test
    public void aModuleComesAndGoesAtRuntimeWithoutDisturbingTheOthers() throws Exception {
        awaitReady();
        Api api = api().login("admin", "admin"); // the dev profile's first administrator
        Api.Response created = api.post(
                "/webcontent/contents",
                "{\"title\":\"kept across reinstall\",\"content\":\"x\",\"content_type\":\"BANNER_INFO\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        Map<Long, String> before = otherBundles();

        // traffic to another module while this one is removed and reinstalled
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                Api.Response r = api.get("/maintenances");
                if (r.status() == 200) {
                    served.incrementAndGet();
                } else {
                    failures.add(r.toString());
                }
            }
        });
        traffic.start();
        try {
            features.uninstallFeature("karyo-content", NO_REFRESH);
            KaryoExam.await(
                    "content to disappear",
                    Duration.ofSeconds(30),
                    () -> api.get("/webcontent/contents").status() == 404);
            assertThat(api.get("/openapi.json").body()).doesNotContain("/webcontent/contents");
            assertThat(desiredFeatures()).doesNotContain("karyo-content").contains("karyo-maintenance");

            features.installFeature("karyo-content", NO_REFRESH);
            KaryoExam.await(
                    "content to come back",
                    Duration.ofSeconds(60),
                    () -> api.get("/webcontent/contents/" + id).status() == 200);
            assertThat(api.get("/webcontent/contents/" + id)
                            .json()
                            .path("title")
                            .asText())
                    .isEqualTo("kept across reinstall");
            assertThat(api.get("/openapi.json").body()).contains("/webcontent/contents");
            KaryoExam.await("the module set to be written back", Duration.ofSeconds(10), () -> desiredFeatures()
                    .contains("karyo-content"));
        } finally {
            running.set(false);
            traffic.join();
        }
        assertThat(failures).isEmpty();
        assertThat(served.get()).isGreaterThan(0);
        assertThat(otherBundles()).isEqualTo(before);
    }

    /**
     * The job facility is the module others run their work on (storage's sweep, omics validation, large participant
     * imports): like {@code karyo-accesses}, uninstalling it is refused, naming them, on the console and over REST;
     * nothing changes and it keeps serving, with their tasks.
     */
    @Test
    public void theJobFacilityIsRequiredByTheModulesThatRunTheirWorkOnIt() throws Exception {
        awaitReady();
        Api api = api().login("admin", "admin");
        KaryoExam.await(
                "jobs to be served",
                Duration.ofSeconds(60),
                () -> api.get("/jobs").status() == 200);
        assertThat(execute("karyo:task-list"))
                .contains("jobs.prune")
                .contains("audit.checkpoint")
                .contains("auth.housekeeping")
                .contains("maintenance.refresh")
                .contains("storage.sweep")
                .contains("omics.upload-expiry");
        String desired = desiredFeatures();
        Map<Long, String> before = bundlesOutside("org.karyo.jobs");

        try {
            execute("karyo:module-uninstall karyo-jobs");
            throw new AssertionError("karyo:module-uninstall karyo-jobs was not refused");
        } catch (AssertionError e) {
            throw e;
        } catch (Exception refused) {
            assertThat(refused.getMessage()).contains("karyo-jobs is needed by").contains("karyo-omics");
        }
        Api.Response conflict = api.delete("/modules/karyo-jobs", null);
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(api.get("/jobs").status()).isEqualTo(200);
        assertThat(api.get("/tasks/storage.sweep").json().path("scope").asText())
                .isEqualTo("CLUSTER");
        assertThat(desiredFeatures()).isEqualTo(desired);
        assertThat(bundlesOutside("org.karyo.jobs")).isEqualTo(before);
    }

    /** Id -> state and last-modified of every bundle whose name starts with none of {@code prefixes}. */
    private Map<Long, String> bundlesOutside(String... prefixes) {
        Map<Long, String> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && Arrays.stream(prefixes).noneMatch(bsn::startsWith) && !bsn.startsWith("PAXEXAM")) {
                out.put(b.getBundleId(), bsn + " " + b.getState() + " " + b.getLastModified());
            }
        }
        return out;
    }

    @Test
    public void consoleCommandsComeAndGoWithTheirModule() throws Exception {
        awaitReady();
        assertThat(execute("karyo:module-list")).contains("karyo-content").contains("karyo-maintenance");
        assertThat(execute("karyo:db-status")).containsIgnoringCase("up");
        assertThat(execute("karyo:content-add --type BANNER_INFO \"from the console\" \"hello\""))
                .isNotBlank();
        assertThat(execute("karyo:content-list")).contains("from the console");
        assertThat(execute("karyo:maintenance-status")).isNotNull();

        assertThat(execute("karyo:module-uninstall karyo-maintenance")).contains("karyo-maintenance");
        KaryoExam.await("maintenance commands to go", Duration.ofSeconds(30), () -> {
            try {
                execute("karyo:maintenance-status");
                return false;
            } catch (Exception e) {
                return true;
            }
        });
        assertThat(api().get("/maintenances").status()).isEqualTo(404);
        assertThat(execute("karyo:module-install karyo-maintenance")).contains("karyo-maintenance");
        KaryoExam.await(
                "maintenance to come back",
                Duration.ofSeconds(60),
                () -> api().get("/maintenances").status() == 200);
        assertThat(execute("karyo:maintenance-status")).isNotNull();
    }

    /** {@code help karyo} lists the commands of every Karyo module's shell bundle (Karaf's own help printed nothing). */
    @Test
    public void helpKaryoListsKaryosCommands() throws Exception {
        awaitReady();
        for (String help : List.of("help karyo", "karyo --help", "karyo:help")) {
            assertThat(execute(help))
                    .as(help)
                    .contains("karyo:module-list")
                    .contains("karyo:module-install")
                    .contains("karyo:content-add")
                    .contains("karyo:maintenance-status")
                    .doesNotContain("feature:install");
        }
    }

    /**
     * Modules over REST: a module others need is refused (as on the console) and the desired set is not touched; an
     * uninstall and an install asked for at once run one after the other; each is a change to follow to its end.
     */
    @Test
    public void modulesComeAndGoOverRestOneChangeAtATimeAndWhatOthersNeedIsRefused() throws Exception {
        awaitReady();
        Api api = api().login("admin", "admin");
        String desired = desiredFeatures();

        try {
            execute("karyo:module-uninstall karyo-accesses");
            throw new AssertionError("karyo:module-uninstall karyo-accesses was not refused");
        } catch (AssertionError e) {
            throw e;
        } catch (Exception refused) {
            assertThat(refused.getMessage())
                    .contains("karyo-accesses is needed by")
                    .contains("karyo-projects");
        }
        Api.Response conflict = api.delete("/modules/karyo-accesses", null);
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(409);
        assertThat(conflict.body()).contains("karyo-omics").contains("karyo-projects");
        assertThat(features.isInstalled(features.getFeature("karyo-accesses"))).isTrue();
        assertThat(desiredFeatures()).isEqualTo(desired);

        Api.Response out = api.delete("/modules/maintenance", null);
        Api.Response in = api.send(api.request("/modules/maintenance").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.status()).as(out.toString()).isEqualTo(202);
        assertThat(in.status()).as(in.toString()).isEqualTo(202);
        JsonNode uninstalled = change(api, out.json().path("id").asText());
        JsonNode installed = change(api, in.json().path("id").asText());
        assertThat(uninstalled.path("state").asText())
                .as(uninstalled.toString())
                .isEqualTo("DONE");
        assertThat(uninstalled.path("changed").toString()).contains("karyo-maintenance");
        assertThat(installed.path("state").asText()).as(installed.toString()).isEqualTo("DONE");
        assertThat(installed.path("changed").toString()).contains("karyo-maintenance");
        assertThat(Instant.parse(installed.path("finished_at").asText()))
                .isAfterOrEqualTo(Instant.parse(uninstalled.path("finished_at").asText()));
        KaryoExam.await(
                "maintenance to come back",
                Duration.ofSeconds(60),
                () -> api.get("/maintenances").status() == 200);
        assertThat(api.get("/modules/maintenance")
                        .json()
                        .path("last_change")
                        .path("id")
                        .asText())
                .isEqualTo(installed.path("id").asText());
        KaryoExam.await("the module set to be written back", Duration.ofSeconds(10), () -> desiredFeatures()
                .contains("karyo-maintenance"));
    }

    private static JsonNode change(Api api, String id) throws InterruptedException {
        JsonNode[] last = new JsonNode[1];
        KaryoExam.await("module change " + id + " to end", Duration.ofSeconds(120), () -> {
            last[0] = api.get("/modules/changes/" + id).json();
            String state = last[0].path("state").asText();
            return state.equals("DONE") || state.equals("FAILED");
        });
        return last[0];
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session s = sessions.create(System.in, ps, ps);
        try {
            Object result = s.execute(command);
            ps.flush();
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result.toString());
        } finally {
            s.close();
        }
    }

    private String desiredFeatures() {
        try {
            org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("org.karyo.modules", null);
            Object v = c.getProperties() == null ? null : c.getProperties().get("features");
            return String.valueOf(v);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Id -> state and last-modified of every bundle that does not belong to the content module. */
    private Map<Long, String> otherBundles() {
        Map<Long, String> out = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && !bsn.startsWith("org.karyo.content") && !bsn.startsWith("PAXEXAM")) {
                out.put(b.getBundleId(), bsn + " " + b.getState() + " " + b.getLastModified());
            }
        }
        return out;
    }

    private int unsatisfiedComponents(List<String> unsatisfied) {
        int karyoComponents = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("org.karyo")) {
                continue;
            }
            karyoComponents++;
            java.util.Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty()) {
                unsatisfied.add(d.name + " has no configuration");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    unsatisfied.add(d.name + " state " + c.state + " " + Arrays.toString(c.unsatisfiedReferences));
                }
            }
        }
        return karyoComponents;
    }
}
