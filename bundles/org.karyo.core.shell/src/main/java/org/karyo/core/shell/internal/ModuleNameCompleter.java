package org.karyo.core.shell.internal;

import java.util.List;
import java.util.function.Predicate;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleService;

/** Completes module names for {@code karyo:module-install} and {@code karyo:module-uninstall}. */
abstract class ModuleNameCompleter implements Completer {

    @Reference
    ModuleService modules;

    abstract Predicate<ModuleInfo> offered();

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        modules.list().stream().filter(offered()).forEach(m -> names.getStrings()
                .add(m.module()));
        return names.complete(session, commandLine, candidates);
    }

    /** The modules that are not installed. */
    @Service
    public static class NotInstalled extends ModuleNameCompleter {
        @Override
        Predicate<ModuleInfo> offered() {
            return m -> !m.installed();
        }
    }

    /** The installed modules. */
    @Service
    public static class Installed extends ModuleNameCompleter {
        @Override
        Predicate<ModuleInfo> offered() {
            return ModuleInfo::installed;
        }
    }
}
