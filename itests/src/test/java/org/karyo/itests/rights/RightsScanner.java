package org.karyo.itests.rights;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.ws.rs.HttpMethod;
import org.karyo.api.security.Declarations;

/** Finds JAX-RS resource methods that declare neither a right nor {@code @Public}. */
final class RightsScanner {
    private RightsScanner() {}

    /**
     * The resource methods of {@code type} that declare nothing, as {@code Class#method}, and its sub-resource
     * locators ({@code @Path} without an HTTP method), which the platform forbids because CXF does not run
     * post-matching filters, and so the security extension, for them.
     */
    static List<String> undeclared(Class<?> type) {
        List<String> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (isResourceMethod(m) && Declarations.of(m).isEmpty()) {
                out.add(type.getName() + "#" + m.getName());
            } else if (!isResourceMethod(m) && m.isAnnotationPresent(javax.ws.rs.Path.class)) {
                out.add(type.getName() + "#" + m.getName() + " (sub-resource locator)");
            }
        }
        return out;
    }

    /**
     * The resource classes (annotated {@code @Path}) in the jars, loaded without initialising them; the types their
     * methods take and return come from {@code classPath} (every Karyo bundle of the distribution).
     */
    static List<Class<?>> resourceClasses(List<Path> jars, List<Path> classPath)
            throws IOException, ClassNotFoundException {
        List<Path> all = new ArrayList<>(jars);
        classPath.stream().filter(p -> !jars.contains(p)).forEach(all::add);
        URL[] urls = new URL[all.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = all.get(i).toUri().toURL();
        }
        @SuppressWarnings("resource") // lives for the test run
        URLClassLoader loader = new URLClassLoader(urls, RightsScanner.class.getClassLoader());
        List<Class<?>> out = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (JarEntry e : (Iterable<JarEntry>) jf.stream()::iterator) {
                    String n = e.getName();
                    if (n.endsWith(".class")
                            && !n.contains("-")
                            && !n.startsWith("lib/")
                            && !n.startsWith("META-INF")) {
                        Class<?> c =
                                Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                        if (c.isAnnotationPresent(javax.ws.rs.Path.class)) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every Karyo bundle inside a distribution. */
    static List<Path> karyoBundles(Path distribution) throws IOException {
        try (Stream<Path> files = Files.walk(distribution.resolve("system/org/karyo"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }

    /** The Karyo REST bundles inside a distribution: {@code org.karyo.rest} and every {@code org.karyo.*.rest}. */
    static List<Path> restBundles(Path distribution) throws IOException {
        try (Stream<Path> files = Files.walk(distribution.resolve("system/org/karyo"))) {
            return files.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.endsWith(".jar") && f.matches("org\\.karyo(\\.[a-z]+)*\\.rest-.*");
                    })
                    .sorted()
                    .toList();
        }
    }

    private static boolean isResourceMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }
}
