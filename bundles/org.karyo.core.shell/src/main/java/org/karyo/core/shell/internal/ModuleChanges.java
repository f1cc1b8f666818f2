package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleService;

/** What {@code karyo:module-install} and {@code karyo:module-uninstall} share: ask, wait, report. */
final class ModuleChanges {
    /** How long a command waits for its change by default, in seconds. */
    static final long DEFAULT_WAIT_SECONDS = 600;

    private ModuleChanges() {}

    /**
     * Asks for a change and waits until it is over or {@code waitSeconds} have passed.
     *
     * @throws IllegalArgumentException with the refusal's words (Karaf prints them) when the change is refused
     */
    static ModuleChange ask(Supplier<ModuleChange> request, ModuleService modules, long waitSeconds)
            throws InterruptedException {
        ModuleChange accepted;
        try {
            accepted = request.get();
        } catch (KaryoException e) {
            throw new IllegalArgumentException(explain(e), e);
        }
        return modules.await(accepted.id(), Duration.ofSeconds(Math.max(0, waitSeconds)));
    }

    /**
     * Prints a finished change, or that it still runs.
     *
     * @throws IllegalStateException with the reason when the change failed
     */
    static void print(
            ModuleChange change,
            Function<String, String> doneLine,
            String unchangedWords,
            EnvOverrides env,
            PrintStream out) {
        if (change.state() == ModuleChange.State.FAILED) {
            throw new IllegalStateException(change.error());
        }
        if (!change.finished()) {
            out.println("Change " + change.id() + " is still "
                    + change.state().name().toLowerCase(Locale.ROOT)
                    + "; karyo:module-list shows the modules when it is done.");
            return;
        }
        change.changed().forEach(f -> out.println(doneLine.apply(f)));
        change.unchanged().forEach(f -> out.println(f + " " + unchangedWords));
        Environment.warnIfOverridden(env, !change.changed().isEmpty(), out);
    }

    private static String explain(KaryoException e) {
        if (e.errors().isEmpty()) {
            return e.getMessage();
        }
        return e.errors().stream().map(f -> f.message()).collect(Collectors.joining("; "));
    }
}
