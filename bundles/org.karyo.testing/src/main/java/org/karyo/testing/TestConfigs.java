package org.karyo.testing;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * What SCR hands a component's constructor, for tests that build components by hand: its configuration (the
 * {@code @ObjectClassDefinition}'s defaults, some overridden) and a bundle context.
 */
public final class TestConfigs {
    private TestConfigs() {}

    /**
     * A configuration of type {@code type} (a component's {@code Config} annotation): each method answers
     * {@code values}' entry under its name ({@code max_page_size}) or its property name ({@code max.page.size}), else
     * its default.
     */
    @SuppressWarnings("unchecked")
    public static <A> A of(Class<A> type, Map<String, ?> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("annotationType")) {
                return type;
            }
            if (name.equals("toString") && method.getParameterCount() == 0) {
                return type.getSimpleName() + values;
            }
            String property = name.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (values.containsKey(property)) {
                return values.get(property);
            }
            return method.getDefaultValue();
        });
    }

    /** A configuration with every default. */
    public static <A> A defaults(Class<A> type) {
        return of(type, Map.of());
    }

    /**
     * A bundle context that answers {@code getProperty} from {@code properties} (framework properties such as
     * {@code karaf.base}) and {@code null} to everything else.
     */
    public static BundleContext bundleContext(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(
                TestConfigs.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty") && args != null && args.length == 1) {
                        return properties.get(String.valueOf(args[0]));
                    }
                    return null;
                });
    }
}
