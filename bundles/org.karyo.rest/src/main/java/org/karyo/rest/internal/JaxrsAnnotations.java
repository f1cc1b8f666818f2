package org.karyo.rest.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;

/**
 * Reads JAX-RS annotations the way the runtime applies them: a class's {@code @Path} (also from a superclass or
 * interface), and a method's annotations from the method itself or, when it has none, from the method it overrides.
 */
public final class JaxrsAnnotations {
    private JaxrsAnnotations() {}

    /** The class's {@code @Path} value, or {@code null}. */
    public static String classPath(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Path p = c.getAnnotation(Path.class);
            if (p != null) {
                return p.value();
            }
            for (Class<?> i : c.getInterfaces()) {
                Path ip = i.getAnnotation(Path.class);
                if (ip != null) {
                    return ip.value();
                }
            }
        }
        return null;
    }

    /** Whether the class or one of its methods carries JAX-RS resource annotations. */
    public static boolean isResource(Class<?> type) {
        if (classPath(type) != null) {
            return true;
        }
        for (Method m : type.getMethods()) {
            if (httpMethod(annotated(m)) != null) {
                return true;
            }
        }
        return false;
    }

    /** The method that carries the JAX-RS annotations for {@code method}: itself, or the one it overrides. */
    public static Method annotated(Method method) {
        if (hasJaxrs(method)) {
            return method;
        }
        List<Class<?>> supertypes = new ArrayList<>();
        for (Class<?> c = method.getDeclaringClass(); c != null; c = c.getSuperclass()) {
            if (c != method.getDeclaringClass()) {
                supertypes.add(c);
            }
            supertypes.addAll(List.of(c.getInterfaces()));
        }
        for (Class<?> s : supertypes) {
            try {
                Method m = s.getDeclaredMethod(method.getName(), method.getParameterTypes());
                if (hasJaxrs(m)) {
                    return m;
                }
            } catch (NoSuchMethodException e) {
                // not declared there
            }
        }
        return method;
    }

    private static boolean hasJaxrs(Method m) {
        for (Annotation a : m.getAnnotations()) {
            Class<? extends Annotation> t = a.annotationType();
            if (t.getName().startsWith("javax.ws.rs.") || t.isAnnotationPresent(HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP method of a resource method ({@code GET}, ...), or {@code null} for a sub-resource locator or helper. */
    public static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    /** The method's {@code @Path} value, or {@code null}. */
    static String methodPath(Method m) {
        Path p = m.getAnnotation(Path.class);
        return p == null ? null : p.value();
    }

    /**
     * The path template of a resource method below the application root, as OpenAPI writes it: {@code /a/{id}}, with
     * regular expressions removed from the template variables.
     */
    public static String template(Class<?> type, Method method) {
        String joined =
                join(type == null ? null : classPath(type), method == null ? null : methodPath(annotated(method)));
        return normalise(joined);
    }

    private static String join(String a, String b) {
        StringBuilder s = new StringBuilder();
        for (String part : new String[] {a, b}) {
            if (part != null && !part.isBlank()) {
                s.append('/').append(part.trim());
            }
        }
        return s.toString();
    }

    /** Collapses slashes, strips the trailing one and the {@code :regex} of template variables. */
    static String normalise(String path) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean skipping = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{') {
                depth++;
                if (depth == 1) {
                    skipping = false;
                    out.append(c);
                    continue;
                }
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    skipping = false;
                    out.append(c);
                    continue;
                }
            } else if (c == ':' && depth == 1) {
                skipping = true;
                continue;
            }
            if (depth >= 1 && (skipping || Character.isWhitespace(c))) {
                continue;
            }
            out.append(c);
        }
        String s = out.toString().replaceAll("/{2,}", "/");
        if (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? "/" : (s.startsWith("/") ? s : "/" + s);
    }
}
