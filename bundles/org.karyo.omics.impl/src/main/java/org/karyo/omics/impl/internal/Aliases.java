package org.karyo.omics.impl.internal;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The other names by which a query may name a file's contigs: {@code 1} for {@code chr1} and back, {@code MT} and
 * {@code M} for {@code chrM} and back. A name that is itself a contig of the file is never an alias.
 */
final class Aliases {
    private Aliases() {}

    /** Alias to contig name, for the contigs of one file. */
    static Map<String, String> of(List<String> contigs) {
        Set<String> real = new HashSet<>(contigs);
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : contigs) {
            for (String alias : candidates(c)) {
                if (!real.contains(alias) && !alias.isEmpty()) {
                    out.putIfAbsent(alias, c);
                }
            }
        }
        return out;
    }

    private static List<String> candidates(String contig) {
        if (contig.equals("chrM") || contig.equals("chrMT")) {
            return List.of("MT", "M");
        }
        if (contig.equals("MT") || contig.equals("M")) {
            return List.of("chrM");
        }
        if (contig.startsWith("chr")) {
            return List.of(contig.substring(3));
        }
        return List.of("chr" + contig);
    }
}
