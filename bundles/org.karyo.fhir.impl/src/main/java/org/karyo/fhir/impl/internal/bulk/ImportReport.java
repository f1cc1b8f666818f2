package org.karyo.fhir.impl.internal.bulk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import reports about its lines: the refused ones (with file, line number and reason) and the references
 * that resolve to nothing. The job's result gets the counts and the first {@value #RESULT_LINES} of each with the
 * reason's code and location only (a job's result never holds patient data, and the parser's messages may quote the
 * line); the full report, with the messages, is kept in the object store for {@code fhir.admin}
 * ({@link org.karyo.fhir.api.FhirImports#report}).
 */
final class ImportReport {
    static final int RESULT_LINES = 50;
    private static final int RESULT_LENGTH = 240;
    static final int MAX_REPORT_LINES = 20_000;

    private long refused;
    private long unresolved;
    private final List<String> refusedBrief = new ArrayList<>();
    private final List<String> unresolvedBrief = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private String firstRefusal;

    synchronized void refused(String file, int line, Refusal r) {
        refused++;
        String where = file + " line " + line;
        if (firstRefusal == null) {
            firstRefusal = cut(where + ": " + r.brief());
        }
        if (refusedBrief.size() < RESULT_LINES) {
            refusedBrief.add(cut(where + ": " + r.brief()));
        }
        add(file, line, r.full());
    }

    synchronized void unresolved(String file, int line, String ref) {
        unresolved++;
        if (unresolvedBrief.size() < RESULT_LINES) {
            unresolvedBrief.add(cut(file + " line " + line + ": " + ref));
        }
        add(file, line, "The reference " + ref + " does not resolve to a resource of this server");
    }

    private void add(String file, int line, String reason) {
        if (lines.size() < MAX_REPORT_LINES) {
            lines.add(file + "\t" + line + "\t" + reason.replace('\t', ' ').replace('\n', ' '));
        }
    }

    private static String cut(String s) {
        return s.length() <= RESULT_LENGTH ? s : s.substring(0, RESULT_LENGTH - 1) + "…";
    }

    synchronized long refused() {
        return refused;
    }

    synchronized long unresolved() {
        return unresolved;
    }

    /** The first refused line, as the job's failure names it when the import stops at it. */
    synchronized String firstRefusal() {
        return firstRefusal;
    }

    /** The report's lines, {@code <file>\t<line>\t<reason>}, and a last one when some were left out. */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>(lines);
        long all = refused + unresolved;
        if (all > lines.size()) {
            out.add("…\t\t" + (all - lines.size()) + " more lines are not listed");
        }
        return out;
    }

    synchronized boolean isEmpty() {
        return refused == 0 && unresolved == 0;
    }

    /** The entries of the job's result: {@code refused.N} and {@code unresolved.N}. */
    synchronized Map<String, String> result() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < refusedBrief.size(); i++) {
            out.put("refused." + (i + 1), refusedBrief.get(i));
        }
        for (int i = 0; i < unresolvedBrief.size(); i++) {
            out.put("unresolved." + (i + 1), unresolvedBrief.get(i));
        }
        return out;
    }
}
