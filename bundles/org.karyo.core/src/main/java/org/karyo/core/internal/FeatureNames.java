package org.karyo.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** How sites name modules: {@code content} and {@code karyo-content} are the same feature. */
final class FeatureNames {
    static final String PREFIX = "karyo-";
    /** In {@code features}: every domain feature (the default when no {@code features} key is set). */
    static final String ALL = "*";

    private static final Set<String> PLATFORM = Set.of("karyo-core", "karyo-tp");

    private FeatureNames() {}

    /** The feature name for what a site wrote: trimmed, lower case, with the {@code karyo-} prefix. */
    static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.equals(ALL) || n.startsWith(PREFIX) ? n : PREFIX + n;
    }

    /** Whether a Karaf feature is a domain module: {@code karyo-*} other than the platform's own features. */
    static boolean isDomain(String featureName) {
        return featureName.startsWith(PREFIX)
                && featureName.length() > PREFIX.length()
                && !PLATFORM.contains(featureName);
    }

    /** The module's name: the feature's name without {@code karyo-}. */
    static String module(String featureName) {
        return featureName.startsWith(PREFIX) ? featureName.substring(PREFIX.length()) : featureName;
    }

    /** The normalised, distinct names of a comma-separated list, in their order; blanks are skipped. */
    static List<String> parse(String csv) {
        Set<String> names = new LinkedHashSet<>();
        if (csv != null) {
            for (String part : csv.split(",")) {
                if (!part.isBlank()) {
                    names.add(normalise(part));
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** The value to write to {@code features}: sorted names separated by {@code ", "}. */
    static String format(Collection<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }

    /** The normalised names of {@code names} (for messages and comparisons). */
    static Set<String> normaliseAll(Collection<String> names) {
        return names.stream().map(FeatureNames::normalise).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
