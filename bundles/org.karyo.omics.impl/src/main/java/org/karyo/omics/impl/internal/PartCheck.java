package org.karyo.omics.impl.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.karyo.storage.api.PartInfo;

/** Whether the parts a store received make up the declared file: every part number once, each of its exact size. */
final class PartCheck {
    private static final int LISTED = 20;

    private PartCheck() {}

    /** The missing part numbers (at most {@value #LISTED}). */
    static List<Integer> missing(List<PartInfo> parts, int partCount) {
        Map<Integer, PartInfo> byNumber = byNumber(parts);
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= partCount && missing.size() < LISTED; n++) {
            if (!byNumber.containsKey(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** What is wrong with the parts, client-safe, or {@code null} when they make up the file. */
    static String problem(List<PartInfo> parts, int partCount, long partSize, long size) {
        List<Integer> missing = missing(parts, partCount);
        if (!missing.isEmpty()) {
            return "part(s) " + join(missing) + " of " + partCount + " have not been received";
        }
        for (PartInfo p : parts) {
            if (p.partNumber() > partCount) {
                return "part " + p.partNumber() + " is beyond the upload's " + partCount + " parts";
            }
            long expected = Math.min(partSize, size - (p.partNumber() - 1L) * partSize);
            if (p.size() != expected) {
                return "part " + p.partNumber() + " holds " + p.size() + " bytes, not " + expected;
            }
        }
        return null;
    }

    private static Map<Integer, PartInfo> byNumber(List<PartInfo> parts) {
        Map<Integer, PartInfo> out = new HashMap<>();
        for (PartInfo p : parts) {
            out.put(p.partNumber(), p);
        }
        return out;
    }

    private static String join(List<Integer> numbers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(numbers.get(i));
        }
        return sb.toString();
    }
}
