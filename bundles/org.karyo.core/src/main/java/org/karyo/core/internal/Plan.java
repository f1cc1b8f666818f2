package org.karyo.core.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reconcile does: the features to install and to uninstall so that the required domain features become the
 * desired ones, and the desired names that are no domain feature.
 *
 * @param desired the known domain features that are wanted, with the domain features they need
 * @param unknown the wanted names that are no domain feature, in the order they were written
 * @param toInstall desired features that are not required yet
 * @param toUninstall required domain features that are not desired
 */
record Plan(Set<String> desired, List<String> unknown, Set<String> toInstall, Set<String> toUninstall) {

    Plan {
        desired = sorted(desired);
        unknown = List.copyOf(unknown);
        toInstall = sorted(toInstall);
        toUninstall = sorted(toUninstall);
    }

    /** Like {@link #of(Collection, Set, Set, FeatureGraph)} for features that need no other domain feature. */
    static Plan of(Collection<String> wanted, Set<String> domain, Set<String> required) {
        return of(wanted, domain, required, FeatureGraph.of(null));
    }

    /**
     * @param wanted normalised names from {@code features} or {@code KARYO_FEATURES} ({@code *} = every domain feature)
     * @param domain the domain features of the installed repositories
     * @param required the domain features that are required (installed explicitly) now
     * @param graph which domain feature needs which: the desired set holds the features its members need
     */
    static Plan of(Collection<String> wanted, Set<String> domain, Set<String> required, FeatureGraph graph) {
        Set<String> desired = new TreeSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (String name : wanted) {
            if (name.equals(FeatureNames.ALL)) {
                desired.addAll(domain);
            } else if (domain.contains(name)) {
                desired.add(name);
            } else {
                unknown.add(name);
            }
        }
        desired = new TreeSet<>(graph.closure(desired));
        desired.retainAll(domain);
        Set<String> toInstall = new TreeSet<>(desired);
        toInstall.removeAll(required);
        Set<String> toUninstall = new TreeSet<>(required);
        toUninstall.retainAll(domain);
        toUninstall.removeAll(desired);
        return new Plan(desired, List.copyOf(unknown), toInstall, toUninstall);
    }

    private static Set<String> sorted(Set<String> names) {
        return Collections.unmodifiableSet(new TreeSet<>(names));
    }

    boolean nothingToDo() {
        return toInstall.isEmpty() && toUninstall.isEmpty();
    }
}
