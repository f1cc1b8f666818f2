package org.karyo.core.modules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.karyo.api.json.Nullable;

/**
 * One install or uninstall of modules, from the moment it is accepted until it is done. Changes run one at a time,
 * in the order they were accepted, away from the caller's thread; their state is read with
 * {@link ModuleService#change(String)}.
 *
 * @param id the change's opaque id
 * @param operation what it does
 * @param features the features asked for, normalised ({@code karyo-content}) and sorted
 * @param state where it is
 * @param changed the features it installed (or uninstalled); empty until it is done
 * @param unchanged the features that were already installed (or already not installed); empty until it is done
 * @param error why it failed (for operators: Karaf's reason, or the modules that came to depend on one it
 *     uninstalls), or {@code null}
 * @param requestedBy the opaque id of the caller who asked for it
 * @param requestedAt when it was accepted
 * @param finishedAt when it ended, or {@code null} while it is queued or running
 */
public record ModuleChange(
        String id,
        Operation operation,
        List<String> features,
        State state,
        List<String> changed,
        List<String> unchanged,
        @Nullable String error,
        String requestedBy,
        Instant requestedAt,
        @Nullable Instant finishedAt) {

    public ModuleChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(state, "state");
        features = List.copyOf(features);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }

    /** Whether it is over ({@link State#DONE} or {@link State#FAILED}). */
    public boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }

    /** What a change does. */
    public enum Operation {
        INSTALL,
        UNINSTALL
    }

    /** Where a change is. */
    public enum State {
        /** Accepted, waiting for the changes before it. */
        QUEUED,
        /** Karaf is installing or uninstalling the features. */
        RUNNING,
        /** Done: {@code changed} and {@code unchanged} say what it did. */
        DONE,
        /** Failed: {@code error} says why; {@link ModuleService#list()} shows what is installed now. */
        FAILED
    }
}
