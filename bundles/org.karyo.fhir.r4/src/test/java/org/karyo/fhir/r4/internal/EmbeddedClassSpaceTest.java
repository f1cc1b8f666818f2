package org.karyo.fhir.r4.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.karyo.fhir.api.FhirVersionConverter;

/**
 * The bundle's class space as OSGi will make it: this bundle's classes and only the jars bnd.bnd embeds, with the
 * packages it imports (org.karyo.*, org.slf4j, org.osgi, the JDK's) from outside. A conversion in that space finds
 * every class it needs, so no embedded jar is missing (bnd marks every other import optional, which would only show
 * at run time).
 */
class EmbeddedClassSpaceTest {

    /** The jars bnd.bnd's -includeresource names, found on the test class path. */
    static List<URL> embedded() throws IOException {
        String bnd = Files.readString(Path.of("bnd.bnd"));
        Matcher m = Pattern.compile("lib/[^=]+=([^;]+);lib:=true").matcher(bnd);
        List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<URL> out = new ArrayList<>();
        out.add(Path.of("target/classes").toUri().toURL());
        while (m.find()) {
            String name = m.group(1).strip();
            Pattern file = Pattern.compile(String.join(
                    "[^/]+",
                    List.of(name.split("\\$\\{[^}]+}", -1)).stream()
                            .map(Pattern::quote)
                            .toList()));
            String jar = classPath.stream()
                    .filter(e ->
                            file.matcher(Path.of(e).getFileName().toString()).matches())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " (embedded by bnd.bnd) is not on the class path"));
            out.add(Path.of(jar).toUri().toURL());
        }
        return out;
    }

    /** Child-first for everything but the imported packages, which come from the parent only. */
    static final class BundleSpace extends URLClassLoader {
        BundleSpace(List<URL> urls, ClassLoader parent) {
            super(urls.toArray(URL[]::new), parent);
        }

        static boolean imported(String name) {
            return name.startsWith("java.")
                    || name.startsWith("javax.xml.")
                    || name.startsWith("org.w3c.")
                    || name.startsWith("org.xml.")
                    || name.startsWith("org.karyo.fhir.api.")
                    || name.startsWith("org.karyo.api.")
                    || name.startsWith("org.slf4j.")
                    || name.startsWith("org.osgi.");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    if (imported(name) && !name.startsWith("org.karyo.fhir.r4.")) {
                        return getParent().loadClass(name);
                    }
                    try {
                        // the JDK (the framework's boot delegation and system bundle)
                        return ClassLoader.getPlatformClassLoader().loadClass(name);
                    } catch (ClassNotFoundException e) {
                        c = findClass(name);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            return findResource(name);
        }
    }

    @Test
    void aConversionFindsEveryClassItNeedsInTheEmbeddedJars() throws Exception {
        try (BundleSpace space = new BundleSpace(embedded(), EmbeddedClassSpaceTest.class.getClassLoader())) {
            Class<?> type = space.loadClass(R4Converter.class.getName());
            assertThat(type.getClassLoader()).isSameAs(space);
            FhirVersionConverter c =
                    (FhirVersionConverter) type.getDeclaredConstructor().newInstance();
            for (String r4 :
                    List.of(R4Samples.PATIENT, R4Samples.ENCOUNTER, R4Samples.OBSERVATION, R4Samples.ORGANIZATION)) {
                String r5 = c.toR5(r4);
                assertThat(r5).startsWith("{\"resourceType\":\"");
            }
            assertThat(c.toR5(R4Samples.ENCOUNTER))
                    .contains("\"actualPeriod\"")
                    .contains("Organization?identifier=https://github.com/synthetichealth/synthea|org-1");
        }
    }
}
