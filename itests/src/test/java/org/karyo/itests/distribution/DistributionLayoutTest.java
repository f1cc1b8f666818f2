package org.karyo.itests.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.karyo.itests.support.Distribution;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What the built distribution holds at its root, as an operator unpacks it. */
class DistributionLayoutTest {

    @Test
    void theSiteFilesAreLaidOverKarafAndNoStrayCopyOfThemIsShipped() throws Exception {
        Path root = Distribution.root();
        assertThat(root.resolve("assembly"))
                .as("the build's copy of src/main/resources/assembly is not shipped")
                .doesNotExist();
        assertThat(Files.readString(root.resolve("bin/setenv"))).contains("JAVA_MAX_MEM");
        assertThat(Files.readString(root.resolve("etc/org.ops4j.pax.web.cfg"))).contains("KARYO_HTTP_PORT");
        try (var top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("bin", "data", "deploy", "etc", "lib", "system");
        }
    }

    /**
     * The distribution is sealed: every bundle of every Karyo feature is inside it (in {@code system/}), so a site
     * installs any module offline, without the build's local Maven repository. The one exception is the optional
     * {@code karyo-fhir-validation} (150 MB; the README says where it installs from).
     */
    @Test
    void everyKaryoFeatureButTheValidatorHasItsBundlesInsideTheDistribution() throws Exception {
        Path root = Distribution.root();
        Path features;
        try (var found = Files.walk(root.resolve("system/org/karyo/karyo-features"))) {
            features = found.filter(p -> p.getFileName().toString().endsWith("-features.xml"))
                    .findFirst()
                    .orElseThrow();
        }
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(features.toFile());
        Pattern mvn = Pattern.compile("mvn:([^/]+)/([^/]+)/([^/]+)");
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        NodeList all = doc.getDocumentElement().getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            if (!(all.item(i) instanceof Element f) || !f.getTagName().equals("feature")) {
                continue;
            }
            String name = f.getAttribute("name");
            if (!name.startsWith("karyo-") || name.equals("karyo-fhir-validation")) {
                continue;
            }
            checked.add(name);
            NodeList bundles = f.getElementsByTagName("bundle");
            for (int j = 0; j < bundles.getLength(); j++) {
                Matcher b = mvn.matcher(bundles.item(j).getTextContent().trim());
                if (!b.matches()) {
                    continue;
                }
                Path jar = root.resolve("system")
                        .resolve(b.group(1).replace('.', '/'))
                        .resolve(b.group(2))
                        .resolve(b.group(3))
                        .resolve(b.group(2) + "-" + b.group(3) + ".jar");
                jars.add(jar);
                if (!Files.isRegularFile(jar)) {
                    missing.add(name + ": " + b.group(1) + "/" + b.group(2));
                }
            }
        }
        assertThat(checked).contains("karyo-core", "karyo-fhir", "karyo-fhir-r4", "karyo-omics");
        assertThat(jars)
                .as("the bundles of the FHIR store and its R4 input are among those checked")
                .anyMatch(j -> j.getFileName().toString().startsWith("org.karyo.fhir.impl-"))
                .anyMatch(j -> j.getFileName().toString().startsWith("org.karyo.fhir.r4-"))
                .hasSizeGreaterThan(50);
        assertThat(missing).as("bundles of Karyo features missing from system/").isEmpty();
    }
}
