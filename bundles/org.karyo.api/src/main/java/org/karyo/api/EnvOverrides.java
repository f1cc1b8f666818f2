package org.karyo.api;

import java.util.Map;
import java.util.function.Function;

/**
 * Environment overrides of configuration: a container deployment sets {@code KARYO_DB_URL} and the like, and the
 * variable wins over the key in {@code etc/*.cfg}. Each component documents which variable overrides which key.
 */
public final class EnvOverrides {
    private final Function<String, String> env;

    /**
     * Overrides read from the process environment, or, for a variable that is not set there, from the JVM system
     * property of the same name ({@code -DKARYO_PROFILE=dev}: for containers that cannot pass an environment, such as
     * an OSGi test container).
     */
    public static EnvOverrides system() {
        return new EnvOverrides(name -> {
            String v = System.getenv(name);
            return v != null ? v : System.getProperty(name);
        });
    }

    /** Overrides read from a fixed map (tests). */
    public static EnvOverrides of(Map<String, String> env) {
        return new EnvOverrides(env::get);
    }

    private EnvOverrides(Function<String, String> env) {
        this.env = env;
    }

    /** The variable's value when it is set and not blank, else {@code configured}. */
    public String get(String variable, String configured) {
        String v = env.apply(variable);
        return v == null || v.isBlank() ? configured : v.trim();
    }

    /** Whether the variable is set and not blank. */
    public boolean isSet(String variable) {
        String v = env.apply(variable);
        return v != null && !v.isBlank();
    }

    /**
     * The variable's value as an int when set, else {@code configured}.
     *
     * @throws IllegalArgumentException naming the variable when it is not an integer
     */
    public int getInt(String variable, int configured) {
        String v = get(variable, null);
        if (v == null) {
            return configured;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be an integer, not '" + v + "'");
        }
    }
}
