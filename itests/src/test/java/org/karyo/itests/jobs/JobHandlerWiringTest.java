package org.karyo.itests.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.karyo.itests.support.Distribution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build-time gate on job handlers: no component outside the job module that provides a {@code JobHandler} refers
 * to the {@code JobService} or {@code TaskService}. Such a handler forms a cycle with the engine's whiteboard, which
 * the runtime breaks by binding the handler late: for a moment after start, the module's service is up and a submit of
 * its jobs is refused with "no handler". Read from the component descriptions of every bundle in the distribution.
 */
class JobHandlerWiringTest {

    private static final String HANDLER = "org.karyo.jobs.api.JobHandler";
    private static final List<String> ENGINE =
            List.of("org.karyo.jobs.api.JobService", "org.karyo.jobs.api.TaskService");

    /**
     * What one component description says of job handlers: the components that provide one, and those of them that
     * refer to the engine ("name → interface").
     */
    record Wiring(List<String> handlers, List<String> cycles) {}

    static Wiring wiring(InputStream descriptor) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(descriptor);
        List<String> handlers = new ArrayList<>();
        List<String> cycles = new ArrayList<>();
        NodeList components = doc.getElementsByTagNameNS("*", "component");
        for (int i = 0; i < components.getLength(); i++) {
            Element c = (Element) components.item(i);
            boolean handler = false;
            NodeList provides = c.getElementsByTagName("provide");
            for (int j = 0; j < provides.getLength(); j++) {
                handler |= HANDLER.equals(((Element) provides.item(j)).getAttribute("interface"));
            }
            if (!handler) {
                continue;
            }
            handlers.add(c.getAttribute("name"));
            NodeList refs = c.getElementsByTagName("reference");
            for (int j = 0; j < refs.getLength(); j++) {
                String iface = ((Element) refs.item(j)).getAttribute("interface");
                if (ENGINE.contains(iface)) {
                    cycles.add(c.getAttribute("name") + " → " + iface);
                }
            }
        }
        return new Wiring(handlers, cycles);
    }

    private static List<Path> bundles() throws IOException {
        try (Stream<Path> files = Files.walk(Distribution.root().resolve("system/org/karyo"))) {
            return files.filter(p -> p.getFileName().toString().matches("org\\.karyo\\..*\\.jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("org.karyo.jobs."))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void theCheckFindsAHandlerThatRefersToTheJobService() throws Exception {
        String xml =
                """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="x.Cyclic">
                  <service><provide interface="org.karyo.jobs.api.JobHandler"/></service>
                  <reference name="jobs" interface="org.karyo.jobs.api.JobService"/>
                </scr:component>
                """;
        String fine =
                """
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="x.Submitter">
                  <service><provide interface="x.Imports"/></service>
                  <reference name="jobs" interface="org.karyo.jobs.api.JobService"/>
                </scr:component>
                """;
        assertThat(wiring(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .cycles())
                .containsExactly("x.Cyclic → org.karyo.jobs.api.JobService");
        assertThat(wiring(new java.io.ByteArrayInputStream(fine.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .cycles())
                .isEmpty();
    }

    @Test
    void noJobHandlerOfTheDistributionRefersToTheJobEngine() throws Exception {
        List<Path> jars = bundles();
        List<String> found = new ArrayList<>();
        int handlers = 0;
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = j.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (!e.getName().startsWith("OSGI-INF/") || !e.getName().endsWith(".xml")) {
                        continue;
                    }
                    try (InputStream in = j.getInputStream(e)) {
                        Wiring w = wiring(in);
                        handlers += w.handlers().size();
                        w.cycles().forEach(c -> found.add(jar.getFileName() + ": " + c));
                    }
                }
            }
        }
        assertThat(handlers)
                .as("job handlers found (omics validation, participant imports)")
                .isGreaterThanOrEqualTo(2);
        assertThat(found).as("handlers that refer to the job engine").isEmpty();
    }
}
