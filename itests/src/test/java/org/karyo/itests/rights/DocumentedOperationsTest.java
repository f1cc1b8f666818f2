package org.karyo.itests.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;
import org.karyo.itests.support.Distribution;

/**
 * The build-time gate of the API's names: every REST method of every Karyo module that appears in
 * {@code /api/openapi.json} carries {@code org.karyo.rest.support.Operation} (read by name: the bundles are loaded
 * in a class loader of their own), and the operationIds, which generated clients turn into method
 * names, are unique across the modules and look like {@code createContent}.
 */
class DocumentedOperationsTest {

    @Test
    void everyDocumentedResourceMethodHasAUniqueStableOperationId() throws Exception {
        List<Path> jars = new ArrayList<>(RightsScanner.restBundles(Distribution.root()));
        RightsScanner.karyoBundles(Distribution.root()).stream()
                .filter(p -> p.getFileName().toString().startsWith("org.karyo.storage.fs-"))
                .forEach(jars::add);
        List<Class<?>> resources = RightsScanner.resourceClasses(jars, RightsScanner.karyoBundles(Distribution.root()));
        assertThat(resources).hasSizeGreaterThanOrEqualTo(20);
        List<String> unnamed = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (Class<?> type : resources) {
            if (annotatedUndocumented(type)) {
                continue;
            }
            for (Method m : type.getMethods()) {
                if (!isResourceMethod(m)) {
                    continue;
                }
                String where = type.getSimpleName() + "#" + m.getName();
                Annotation op = operation(m);
                if (op == null) {
                    unnamed.add(where);
                    continue;
                }
                String id = member(op, "id");
                if (!id.matches("[a-z][a-zA-Z0-9]{2,63}")
                        || member(op, "summary").isBlank()) {
                    malformed.add(where + " (" + id + ")");
                }
                String previous = ids.put(id, where);
                if (previous != null) {
                    duplicates.add(id + ": " + previous + " and " + where);
                }
            }
        }
        assertThat(unnamed).as("documented resource methods without @Operation").isEmpty();
        assertThat(malformed)
                .as("operationIds that are not lower camel case, or empty summaries")
                .isEmpty();
        assertThat(duplicates).as("operationIds used twice").isEmpty();
        assertThat(ids).containsKeys("getHealth", "getOpenApiDocument");
    }

    private static Annotation operation(Method m) {
        for (Annotation a : m.getAnnotations()) {
            if (a.annotationType().getName().equals("org.karyo.rest.support.Operation")) {
                return a;
            }
        }
        return null;
    }

    private static String member(Annotation a, String name) throws ReflectiveOperationException {
        return (String) a.annotationType().getMethod(name).invoke(a);
    }

    private static boolean annotatedUndocumented(Class<?> type) {
        for (Annotation a : type.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Undocumented")) {
                return true;
            }
        }
        return false;
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
