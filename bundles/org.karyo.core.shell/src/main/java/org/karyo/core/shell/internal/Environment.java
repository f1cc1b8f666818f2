package org.karyo.core.shell.internal;

import java.io.PrintStream;
import org.karyo.api.EnvOverrides;

/** The console's note about {@code KARYO_FEATURES}, which wins over the written-back set at the next start. */
final class Environment {
    static final String FEATURES = "KARYO_FEATURES";

    private Environment() {}

    static void warnIfOverridden(EnvOverrides env, boolean changed, PrintStream out) {
        if (changed && env.isSet(FEATURES)) {
            out.println("Note: " + FEATURES + " is set (" + env.get(FEATURES, null)
                    + "): at the next start the modules are reconciled to it, whatever the file says.");
        }
    }
}
