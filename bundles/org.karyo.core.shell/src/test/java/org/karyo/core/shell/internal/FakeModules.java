package org.karyo.core.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleService;

/** A module service that answers with fixed data and records what it was asked. */
final class FakeModules implements ModuleService {
    final List<ModuleInfo> modules = new ArrayList<>();
    final List<Collection<String>> asked = new ArrayList<>();
    ModuleChange answer = new ModuleChange(List.of(), List.of());

    FakeModules with(String module, boolean installed, boolean desired) {
        modules.add(new ModuleInfo("karyo-" + module, module, "0.1.0.SNAPSHOT", installed, desired, "The " + module));
        return this;
    }

    @Override
    public List<ModuleInfo> list() {
        return modules;
    }

    @Override
    public ModuleChange install(Collection<String> names) {
        asked.add(names);
        return answer;
    }

    @Override
    public ModuleChange uninstall(Collection<String> names) {
        asked.add(names);
        return answer;
    }
}
