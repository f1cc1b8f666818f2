package org.karyo.omics.hts.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karyo.omics.hts.HeaderDefinition;

/** The meta lines and the #CHROM line of a VCF (or BCF) header, parsed line by line. */
public final class VcfHeader {

    /** Why a header line was refused; the message is client-safe. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private static final String[] FIXED = {"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"};

    private String fileFormat;
    private String reference;
    private final List<HeaderDefinition> definitions = new ArrayList<>();
    /** ##contig IDs in header order, with their length (or null) and IDX (or -1). */
    private final List<String> contigNames = new ArrayList<>();

    private final List<Long> contigLengths = new ArrayList<>();
    private final List<Integer> contigIdx = new ArrayList<>();
    private List<String> samples;
    private int columns;
    private int lines;

    /**
     * Takes the next header line (without newline).
     *
     * @return true when it was the #CHROM line (the header is complete)
     */
    public boolean line(String line) throws Invalid {
        lines++;
        if (lines == 1) {
            if (!line.startsWith("##fileformat=")) {
                throw new Invalid("not a VCF file: the first line must be ##fileformat=VCFv4.x");
            }
            fileFormat = line.substring("##fileformat=".length()).trim();
            if (!fileFormat.startsWith("VCFv")) {
                throw new Invalid("not a VCF file: unsupported ##fileformat");
            }
            return false;
        }
        if (line.startsWith("##")) {
            meta(line);
            return false;
        }
        if (line.startsWith("#CHROM")) {
            chrom(line);
            return true;
        }
        throw new Invalid("header lines must start with ## until the #CHROM line");
    }

    private void meta(String line) throws Invalid {
        int eq = line.indexOf('=');
        if (eq < 0) {
            return;
        }
        String key = line.substring(2, eq);
        String value = line.substring(eq + 1);
        switch (key) {
            case "INFO", "FORMAT", "FILTER" -> {
                Map<String, String> f = structured(value, key);
                String id = f.get("ID");
                if (id == null || id.isEmpty()) {
                    throw new Invalid("##" + key + " line without ID");
                }
                definitions.add(new HeaderDefinition(key, id, f.get("Number"), f.get("Type"), f.get("Description")));
            }
            case "contig" -> {
                Map<String, String> f = structured(value, key);
                String id = f.get("ID");
                if (id == null || id.isEmpty()) {
                    throw new Invalid("##contig line without ID");
                }
                Long length = null;
                String l = f.get("length");
                if (l != null) {
                    try {
                        length = Long.parseLong(l.trim());
                    } catch (NumberFormatException e) {
                        throw new Invalid("##contig length is not an integer");
                    }
                }
                int idx = -1;
                String x = f.get("IDX");
                if (x != null) {
                    try {
                        idx = Integer.parseInt(x.trim());
                    } catch (NumberFormatException e) {
                        throw new Invalid("##contig IDX is not an integer");
                    }
                }
                if (!contigNames.contains(id)) {
                    contigNames.add(id);
                    contigLengths.add(length);
                    contigIdx.add(idx);
                }
            }
            case "reference" -> reference = value;
            default -> {
                // other meta lines are kept in the file, not extracted
            }
        }
    }

    /** Parses {@code <k=v,k="quoted, \"text\"",...>}. */
    static Map<String, String> structured(String value, String key) throws Invalid {
        if (!value.startsWith("<") || !value.endsWith(">")) {
            throw new Invalid("##" + key + " line is not of the form <ID=...>");
        }
        Map<String, String> out = new LinkedHashMap<>();
        String s = value.substring(1, value.length() - 1);
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new Invalid("##" + key + " line has a field without '='");
            }
            String k = s.substring(i, eq).trim();
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < s.length()) {
                        v.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) {
                    throw new Invalid("##" + key + " line has an unterminated quoted value");
                }
                while (i < s.length() && s.charAt(i) != ',') {
                    i++;
                }
            } else {
                int comma = s.indexOf(',', i);
                int end = comma < 0 ? s.length() : comma;
                v.append(s, i, end);
                i = end;
            }
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            }
            out.putIfAbsent(k, v.toString());
        }
        return out;
    }

    private void chrom(String line) throws Invalid {
        String[] cols = line.split("\t", -1);
        if (cols.length < FIXED.length) {
            throw new Invalid("the #CHROM line must have the 8 fixed columns, tab-separated");
        }
        for (int i = 0; i < FIXED.length; i++) {
            if (!FIXED[i].equals(cols[i])) {
                throw new Invalid("the #CHROM line must list #CHROM POS ID REF ALT QUAL FILTER INFO");
            }
        }
        List<String> s = new ArrayList<>();
        if (cols.length > FIXED.length) {
            if (!"FORMAT".equals(cols[8])) {
                throw new Invalid("the 9th column of the #CHROM line must be FORMAT");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 9; i < cols.length; i++) {
                if (cols[i].isEmpty()) {
                    throw new Invalid("the #CHROM line has an empty sample name");
                }
                if (!seen.add(cols[i])) {
                    throw new Invalid("the #CHROM line has a duplicate sample name");
                }
                s.add(cols[i]);
            }
        }
        samples = List.copyOf(s);
        columns = cols.length;
    }

    public String fileFormat() {
        return fileFormat;
    }

    public String reference() {
        return reference;
    }

    public List<HeaderDefinition> definitions() {
        return List.copyOf(definitions);
    }

    public List<String> samples() {
        return samples == null ? List.of() : samples;
    }

    /** The number of columns a record must have. */
    public int columns() {
        return columns;
    }

    public boolean complete() {
        return samples != null;
    }

    /** The length of a declared contig, or null. */
    public Long contigLength(String name) {
        int i = contigNames.indexOf(name);
        return i < 0 ? null : contigLengths.get(i);
    }

    /** The declared contigs in header order. */
    public List<String> contigNames() {
        return List.copyOf(contigNames);
    }

    /**
     * BCF's contig dictionary: ##contig IDs in header order, or at their IDX when given (htslib's
     * {@code bcf_hdr_parse}); null entries where IDX leaves gaps.
     */
    public List<String> bcfContigDictionary() throws Invalid {
        boolean anyIdx = contigIdx.stream().anyMatch(i -> i >= 0);
        if (!anyIdx) {
            return contigNames();
        }
        List<String> dict = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < contigNames.size(); i++) {
            int at = contigIdx.get(i) >= 0 ? contigIdx.get(i) : next;
            if (at > 1_000_000) {
                throw new Invalid("##contig IDX is too large");
            }
            while (dict.size() <= at) {
                dict.add(null);
            }
            if (dict.get(at) != null) {
                throw new Invalid("two ##contig lines have the same IDX");
            }
            dict.set(at, contigNames.get(i));
            next = at + 1;
        }
        return dict;
    }
}
