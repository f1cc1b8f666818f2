package org.karyo.fhir.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FHIR query strings as Cohort360 writes them: pairs split on {@code &}, each on its first {@code =}, then
 * percent-decoded by RFC 3986 rules, where {@code +} stays a plus sign (it is not a space).
 */
public final class QueryStrings {
    private QueryStrings() {}

    /** The decoded pairs of {@code query} (a leading {@code ?} is ignored), in order. */
    public static List<Map.Entry<String, String>> parse(String query) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        String q = query.startsWith("?") ? query.substring(1) : query;
        for (String pair : q.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new AbstractMap.SimpleImmutableEntry<>(decode(name), decode(value)));
        }
        return out;
    }

    /** Percent-decodes {@code s} (UTF-8); a malformed escape is kept as it is. */
    public static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                raw = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            }
            bytes.write(raw, 0, raw.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
