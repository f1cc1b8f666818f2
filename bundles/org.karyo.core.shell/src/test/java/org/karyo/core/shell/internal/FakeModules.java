package org.karyo.core.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.karyo.api.KaryoException;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.security.Caller;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleService;

/** A module service that answers with fixed data and records what it was asked and by whom. */
final class FakeModules implements ModuleService {
    final List<ModuleInfo> modules = new ArrayList<>();
    final List<Collection<String>> asked = new ArrayList<>();
    final List<Caller> callers = new ArrayList<>();
    final List<Duration> waits = new ArrayList<>();
    /** What an install or uninstall is accepted as; {@link #await} answers {@link #outcome}. */
    ModuleChange answer = change(ModuleChange.State.QUEUED, List.of(), List.of(), null);

    ModuleChange outcome = answer;
    /** Thrown by install and uninstall when set. */
    KaryoException refusal;

    FakeModules with(String module, boolean installed, boolean desired) {
        return with(module, installed, desired, List.of(), null, null);
    }

    FakeModules with(
            String module,
            boolean installed,
            boolean desired,
            List<String> requiredBy,
            ModuleStatus schema,
            ModuleChange lastChange) {
        modules.add(new ModuleInfo(
                "karyo-" + module,
                module,
                "0.1.0.SNAPSHOT",
                installed,
                desired,
                "The " + module,
                List.of(),
                requiredBy,
                schema,
                lastChange));
        return this;
    }

    static ModuleChange change(ModuleChange.State state, List<String> changed, List<String> unchanged, String error) {
        return new ModuleChange(
                "c-1",
                ModuleChange.Operation.INSTALL,
                List.of("karyo-content"),
                state,
                changed,
                unchanged,
                error,
                "admin",
                Instant.EPOCH,
                state == ModuleChange.State.DONE || state == ModuleChange.State.FAILED ? Instant.EPOCH : null);
    }

    @Override
    public List<ModuleInfo> list() {
        return modules;
    }

    @Override
    public ModuleInfo get(String name) {
        return modules.stream()
                .filter(m -> m.module().equals(name))
                .findFirst()
                .orElseThrow(() -> KaryoException.notFound("module", name));
    }

    @Override
    public ModuleChange install(Caller caller, Collection<String> names) {
        return ask(caller, names);
    }

    @Override
    public ModuleChange uninstall(Caller caller, Collection<String> names) {
        return ask(caller, names);
    }

    private ModuleChange ask(Caller caller, Collection<String> names) {
        asked.add(names);
        callers.add(caller);
        if (refusal != null) {
            throw refusal;
        }
        return answer;
    }

    @Override
    public ModuleChange change(String id) {
        return outcome;
    }

    @Override
    public ModuleChange await(String id, Duration timeout) {
        waits.add(timeout);
        return outcome;
    }
}
