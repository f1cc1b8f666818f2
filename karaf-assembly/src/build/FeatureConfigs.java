import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Writes each {@code <config>} of the Karyo features into the distribution's {@code etc/} as {@code <pid>.cfg}, so that
 * a site's configuration exists (and can be edited) before ModuleManager installs the module features at runtime.
 *
 * <p>Why: when Karaf installs a feature whose configuration does not exist yet, it creates it in Config Admin and then
 * writes {@code etc/<pid>.cfg} with one more key ({@code felix.fileinstall.filename}). File Install sees a new file
 * that differs from the configuration and updates it a second time, a few seconds later, and every component bound to
 * it without a modified method is restarted, after the platform may already have said it is ready. With the file in
 * place first, Karaf skips its own creation and File Install creates the configuration once, at boot.
 *
 * <p>Run by the build as a single-file program: {@code java FeatureConfigs.java <feature.xml> <etc dir>}. An existing
 * file is left alone (the boot features' configurations are already written by the assembly).
 */
public final class FeatureConfigs {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FeatureConfigs <feature.xml> <etc dir>");
        }
        Path features = Path.of(args[0]);
        Path etc = Path.of(args[1]);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList configs = factory.newDocumentBuilder().parse(features.toFile()).getElementsByTagNameNS("*", "config");
        Files.createDirectories(etc);
        int written = 0;
        for (int i = 0; i < configs.getLength(); i++) {
            Element config = (Element) configs.item(i);
            if ("true".equals(config.getAttribute("external"))) {
                continue;
            }
            String pid = config.getAttribute("name").trim();
            if (pid.isEmpty() || pid.contains("/") || pid.contains("..")) {
                throw new IllegalArgumentException("config without a usable name in " + features);
            }
            Path target = etc.resolve(pid + ".cfg");
            if (Files.exists(target)) {
                continue;
            }
            write(target, config.getTextContent());
            written++;
        }
        System.out.println("FeatureConfigs: wrote " + written + " configuration file(s) into " + etc);
    }

    /** The config's text without the XML indentation, the way an admin would write the file. */
    private static void write(Path target, String text) throws IOException {
        List<String> lines = new ArrayList<>(text.lines().toList());
        while (!lines.isEmpty() && lines.get(0).isBlank()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        Files.writeString(target, out.toString(), StandardCharsets.UTF_8);
    }
}
