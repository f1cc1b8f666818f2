package org.karyo.core.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.karaf.features.Dependency;
import org.apache.karaf.features.Feature;

/**
 * Which domain module needs which, from the {@code <feature>} dependencies of Karyo's features ({@code karyo-projects}
 * needs {@code karyo-accesses} and {@code karyo-storage}, and through them {@code karyo-auth} and {@code karyo-audit}).
 * Only Karyo's own features ({@code karyo-*}) are followed: the platform's and Karaf's features never need a domain
 * module. Immutable.
 */
final class FeatureGraph {

    /** Each Karyo feature and the Karyo features it names as dependencies. */
    private final Map<String, Set<String>> direct;

    private FeatureGraph(Map<String, Set<String>> direct) {
        this.direct = direct;
    }

    /** The graph of the features of the installed repositories (Karaf's {@code listFeatures()}). */
    static FeatureGraph of(Feature[] features) {
        Map<String, Set<String>> direct = new HashMap<>();
        if (features != null) {
            for (Feature f : features) {
                if (!f.getName().startsWith(FeatureNames.PREFIX)) {
                    continue;
                }
                Set<String> needs = direct.computeIfAbsent(f.getName(), n -> new TreeSet<>());
                if (f.getDependencies() != null) {
                    for (Dependency d : f.getDependencies()) {
                        if (d.getName() != null && d.getName().startsWith(FeatureNames.PREFIX)) {
                            needs.add(d.getName());
                        }
                    }
                }
            }
        }
        return new FeatureGraph(direct);
    }

    /** The domain features that {@code feature} needs, directly or through others (never itself), sorted. */
    Set<String> dependencies(String feature) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(direct.getOrDefault(feature, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (!next.equals(feature) && seen.add(next)) {
                todo.addAll(direct.getOrDefault(next, Set.of()));
            }
        }
        seen.removeIf(n -> !FeatureNames.isDomain(n));
        return Collections.unmodifiableSet(seen);
    }

    /** {@code features} and every domain feature they need, sorted. */
    Set<String> closure(Collection<String> features) {
        Set<String> all = new TreeSet<>(features);
        for (String f : features) {
            all.addAll(dependencies(f));
        }
        return Collections.unmodifiableSet(all);
    }

    /** The features of {@code installed} that need {@code feature}, directly or through others, sorted. */
    Set<String> requiredBy(String feature, Collection<String> installed) {
        Set<String> out = new TreeSet<>();
        for (String other : installed) {
            if (!other.equals(feature) && dependencies(other).contains(feature)) {
                out.add(other);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * For each feature of {@code leaving} that an installed feature staying behind needs: the features that need it.
     * Empty when {@code leaving} may be uninstalled together.
     */
    Map<String, Set<String>> blockers(Collection<String> leaving, Collection<String> installed) {
        Set<String> staying = new TreeSet<>(installed);
        staying.removeAll(leaving);
        Map<String, Set<String>> out = new TreeMap<>();
        for (String f : leaving) {
            Set<String> needers = requiredBy(f, staying);
            if (!needers.isEmpty()) {
                out.put(f, needers);
            }
        }
        return out;
    }
}
