package org.karyo.fhir.impl.internal.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r5.model.Resource;

/**
 * A fuzzer for {@link FhirJson#parse}: mutations of valid resources (byte flips, truncation, deleted and duplicated
 * spans, type swaps between string, number, object and array, nulls, removed and renamed members, duplicate keys,
 * NaN/1e999 numbers, control characters and lone surrogates, invalid UTF-8, unknown resource types, Bundle wrapping),
 * 10,000-level nesting, 5 MB strings, 100,001-item arrays, deep narratives and random JSON. Every input must either
 * parse — and then be written back as the same JSON (member order, number notation and XHTML serialisation aside:
 * nothing silently dropped or changed), which parses again to the same output — or throw {@link FhirInputException}
 * with located issues. Anything else is a failure.
 *
 * <p>{@link ParserFuzzTest} runs 10,000 inputs in the build. A benchmark run of a million, from the repository root:
 *
 * <pre>
 * mvn -o -q -pl bundles/org.karyo.fhir.impl test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath
 * cd bundles/org.karyo.fhir.impl
 * java -Xmx256m -cp target/test-classes:target/classes:$(cat target/fuzz.classpath) \
 *     org.karyo.fhir.impl.internal.parse.ParserFuzz 1000000 [seed]
 * </pre>
 */
public final class ParserFuzz {
    private static final int MB = 1 << 20;
    private static final String PUNCTUATION = "{}[]\",:\\0ae-. ";
    private static final String[] WEIRD_NUMBERS = {
        "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "1e999999999", "1E400", "0e999999999",
        "123456789012345678901234567890", "0.1e1", "1.0", "-0", "-0.0", "2147483648", "-2147483649", "00", "01",
        "1.", ".5", "+1", "0x10", "1e", "1.7976931348623157E309", "4.9e-325", "0.000000000000000001", "1e-5",
        "12345678901234567890", "9".repeat(1200), "true", "null"
    };
    private static final String[] WEIRD_STRINGS = {
        "",
        " ",
        "x",
        " a ",
        "a  b",
        "2020-13-45",
        "2020-02-30",
        "2020-01-01T10:00:00",
        "25:00:00",
        "true",
        "\u00e9",
        "final",
        "Patient",
        "urn:uuid:1",
        "#p1",
        "#",
        "<div>x</div>",
        "a/b",
        "x".repeat(65),
        "1.5",
        "\\u0000",
        "http://x y",
        "SGVsbG8",
        "!!!",
        "\\ud800",
        "\\udc00\\ud800",
        "urn:oid:1.2.3",
        "Patient/1/_history/2"
    };
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xC3, 0x28},
        {(byte) 0xA0, (byte) 0xA1},
        {(byte) 0xE2, 0x28, (byte) 0xA1},
        {(byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC},
        {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xFF},
        {(byte) 0xFE, (byte) 0xFF},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
    };
    private static final String[] KEYS = {
        "resourceType",
        "id",
        "meta",
        "status",
        "code",
        "value",
        "valueString",
        "valueQuantity",
        "valueInteger",
        "extension",
        "url",
        "given",
        "_given",
        "name",
        "family",
        "text",
        "div",
        "entry",
        "resource",
        "contained",
        "subject",
        "reference",
        "coding",
        "system",
        "display",
        "effectiveDateTime",
        "component",
        "link",
        "other",
        "type",
        "request",
        "method",
        "fullUrl",
        "birthDate",
        "_birthDate",
        "active",
        "gender",
        "modifierExtension"
    };

    private final Random rnd;
    private final List<JsonTree.Obj> seeds = new ArrayList<>();
    private final List<String> seedTypes = new ArrayList<>();
    private final JsonFactory factory = new JsonFactory();
    private String kind = "";

    ParserFuzz(long seed) {
        this.rnd = new Random(seed);
        FhirJson.Limits big = new FhirJson.Limits(64 * MB, 256, 64 * MB, 10_000_000);
        for (Map.Entry<String, String> e : Samples.all().entrySet()) {
            JsonTree.Obj tree = JsonTree.read(factory, e.getValue(), big, new Issues(10), s -> true, null);
            seeds.add(tree);
            seedTypes.add(e.getKey());
        }
    }

    /** The kind of the last input {@link #next} made. */
    String kind() {
        return kind;
    }

    /** The next input. */
    byte[] next() {
        int k = rnd.nextInt(1000);
        if (k < 40) {
            return text("valid", write(seed()));
        } else if (k < 140) {
            return byteFlips(bytes(write(seed())));
        } else if (k < 200) {
            byte[] b = bytes(write(seed()));
            kind = "truncate";
            return java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
        } else if (k < 260) {
            return deleteSpan(bytes(write(seed())));
        } else if (k < 320) {
            return duplicateSpan(bytes(write(seed())));
        } else if (k < 460) {
            return text("type-swap", write(mutate(seed(), this::swapType)));
        } else if (k < 520) {
            return text("weird-number", weirdNumber(write(seed())));
        } else if (k < 560) {
            return text("null", write(mutate(seed(), v -> JsonTree.NULL)));
        } else if (k < 640) {
            return text("remove-member", write(removeMember(seed())));
        } else if (k < 700) {
            return text("rename-key", write(renameKey(seed())));
        } else if (k < 730) {
            return text("duplicate-key", duplicateKey(write(seed())));
        } else if (k < 770) {
            return text("escape", escape(write(seed())));
        } else if (k < 820) {
            return invalidUtf8(bytes(write(seed())));
        } else if (k < 860) {
            return text("resource-type", write(resourceType(seed())));
        } else if (k < 910) {
            return text(
                    "bundle-wrap", write(bundle(mutate(seed(), this::swapType), mutate(seed(), v -> JsonTree.NULL))));
        } else if (k < 950) {
            JsonTree.Obj o = removeMember(renameKey(mutate(seed(), this::swapType)));
            return text("multi", write(o));
        } else if (k < 975) {
            kind = "random-json";
            return bytes(write(randomValue(0, true)));
        } else if (k < 983) {
            return deepNesting();
        } else if (k < 986) {
            return hugeString();
        } else if (k < 989) {
            return hugeArray();
        } else if (k < 993) {
            return deepNarrative();
        } else {
            return encoding(write(seed()));
        }
    }

    // ---- mutations ----

    private JsonTree.Obj seed() {
        return (JsonTree.Obj) copy(seeds.get(rnd.nextInt(seeds.size())));
    }

    private byte[] text(String k, String s) {
        kind = k;
        return bytes(s);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] byteFlips(byte[] b) {
        kind = "byte-flip";
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n && b.length > 0; i++) {
            int pos = rnd.nextInt(b.length);
            b[pos] = rnd.nextBoolean()
                    ? (byte) rnd.nextInt(256)
                    : (byte) PUNCTUATION.charAt(rnd.nextInt(PUNCTUATION.length()));
        }
        return b;
    }

    private byte[] deleteSpan(byte[] b) {
        kind = "delete-span";
        int from = rnd.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + rnd.nextInt(64));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, from + len, out, from, b.length - from - len);
        return out;
    }

    private byte[] duplicateSpan(byte[] b) {
        kind = "duplicate-span";
        int from = rnd.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + rnd.nextInt(128));
        int at = rnd.nextInt(b.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + len);
        out.write(b, 0, at);
        out.write(b, from, len);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private String weirdNumber(String json) {
        // replace one number, or one string value, by a raw weird literal
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if ((c == ':' || c == ',' || c == '[') && i + 1 < json.length()) {
                int j = i + 1;
                if (j < json.length() && (Character.isDigit(json.charAt(j)) || json.charAt(j) == '-')) {
                    int e = j;
                    while (e < json.length() && "0123456789.eE+-".indexOf(json.charAt(e)) >= 0) {
                        e++;
                    }
                    spans.add(new int[] {j, e});
                } else if (j < json.length() && json.charAt(j) == '"' && c == ':') {
                    int e = json.indexOf('"', j + 1);
                    if (e > 0 && json.charAt(e - 1) != '\\') {
                        spans.add(new int[] {j, e + 1});
                    }
                }
            }
        }
        if (spans.isEmpty()) {
            return json;
        }
        int[] s = spans.get(rnd.nextInt(spans.size()));
        return json.substring(0, s[0]) + WEIRD_NUMBERS[rnd.nextInt(WEIRD_NUMBERS.length)] + json.substring(s[1]);
    }

    private String duplicateKey(String json) {
        int brace = json.indexOf('{', 1 + rnd.nextInt(Math.max(1, json.length() / 2)));
        if (brace < 0) {
            brace = 0;
        }
        String key = KEYS[rnd.nextInt(KEYS.length)];
        return json.substring(0, brace + 1) + "\"" + key + "\":\"x\",\"" + key + "\":\"y\","
                + json.substring(brace + 1);
    }

    private String escape(String json) {
        String[] escapes = {
            "\\u0000", "\\ud800", "\\udfff", "\\u001f", "\\b", "\\f", "\\uZZZZ", "\\x", "\\", "\\ud83d\\ude00"
        };
        int q = json.indexOf('"', rnd.nextInt(json.length()));
        if (q < 0) {
            q = json.indexOf('"');
        }
        return json.substring(0, q + 1) + escapes[rnd.nextInt(escapes.length)] + json.substring(q + 1);
    }

    private byte[] invalidUtf8(byte[] b) {
        kind = "invalid-utf8";
        byte[] bad = BAD_UTF8[rnd.nextInt(BAD_UTF8.length)];
        int at = rnd.nextInt(b.length + 1);
        for (int i = 0; i < 50 && at < b.length && b[at] != '"'; i++) {
            at++; // prefer inside a string, where the JSON would otherwise be fine
        }
        at = Math.min(at + 1, b.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + bad.length);
        out.write(b, 0, at);
        out.write(bad, 0, bad.length);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private JsonTree.Obj resourceType(JsonTree.Obj o) {
        Object[] values = {
            "Foo",
            "patient",
            "PATIENT",
            "Resource",
            "DomainResource",
            "",
            JsonTree.NULL,
            new JsonTree.Num("1", true),
            seedTypes.get(rnd.nextInt(seedTypes.size())),
            "Observation ",
            "Bundle"
        };
        if (rnd.nextInt(5) == 0) {
            o.members.remove("resourceType");
        } else {
            o.members.put("resourceType", values[rnd.nextInt(values.length)]);
        }
        return o;
    }

    private JsonTree.Obj removeMember(JsonTree.Obj o) {
        List<JsonTree.Obj> objects = new ArrayList<>();
        collect(o, objects);
        JsonTree.Obj target = objects.get(rnd.nextInt(objects.size()));
        if (!target.members.isEmpty()) {
            List<String> keys = new ArrayList<>(target.members.keySet());
            target.members.remove(keys.get(rnd.nextInt(keys.size())));
        }
        return o;
    }

    private JsonTree.Obj renameKey(JsonTree.Obj o) {
        List<JsonTree.Obj> objects = new ArrayList<>();
        collect(o, objects);
        JsonTree.Obj target = objects.get(rnd.nextInt(objects.size()));
        if (target.members.isEmpty()) {
            return o;
        }
        List<String> keys = new ArrayList<>(target.members.keySet());
        String key = keys.get(rnd.nextInt(keys.size()));
        String renamed =
                switch (rnd.nextInt(7)) {
                    case 0 -> key + "x";
                    case 1 -> key.toUpperCase(Locale.ROOT);
                    case 2 -> "_" + key;
                    case 3 -> key.startsWith("value") ? "valueString" : key + "String";
                    case 4 -> key.startsWith("value") ? "valueResource" : key + "Resource";
                    case 5 -> KEYS[rnd.nextInt(KEYS.length)];
                    default -> "fhir_comments";
                };
        Object v = target.members.remove(key);
        target.members.put(renamed, v);
        return o;
    }

    private Object swapType(Object v) {
        return switch (rnd.nextInt(9)) {
            case 0 -> WEIRD_STRINGS[rnd.nextInt(WEIRD_STRINGS.length)].replace("\\u0000", "\u0000");
            case 1 -> new JsonTree.Num(rnd.nextBoolean() ? "1" : "1.5", rnd.nextBoolean());
            case 2 -> rnd.nextBoolean();
            case 3 -> new JsonTree.Obj();
            case 4 -> new JsonTree.Arr();
            case 5 -> {
                JsonTree.Arr a = new JsonTree.Arr();
                a.items.add(v instanceof JsonTree.Arr ? copy(v) : v);
                yield a;
            }
            case 6 -> v instanceof JsonTree.Arr a && !a.items.isEmpty() ? a.items.get(0) : "x";
            case 7 -> {
                JsonTree.Obj o = new JsonTree.Obj();
                o.members.put(KEYS[rnd.nextInt(KEYS.length)], v);
                yield o;
            }
            default -> randomValue(2, false);
        };
    }

    /** Replaces one random value (not the root) of {@code root} by {@code f(value)}. */
    private JsonTree.Obj mutate(JsonTree.Obj root, java.util.function.UnaryOperator<Object> f) {
        List<Object[]> slots = new ArrayList<>(); // {container, key or index}
        slots(root, slots);
        if (slots.isEmpty()) {
            return root;
        }
        Object[] s = slots.get(rnd.nextInt(slots.size()));
        if (s[0] instanceof JsonTree.Obj o) {
            String key = (String) s[1];
            o.members.put(key, f.apply(o.members.get(key)));
        } else {
            JsonTree.Arr a = (JsonTree.Arr) s[0];
            int i = (Integer) s[1];
            a.items.set(i, f.apply(a.items.get(i)));
        }
        return root;
    }

    private JsonTree.Obj bundle(JsonTree.Obj a, JsonTree.Obj b) {
        JsonTree.Obj bundle = new JsonTree.Obj();
        bundle.members.put("resourceType", "Bundle");
        bundle.members.put("type", rnd.nextBoolean() ? "transaction" : "collection");
        JsonTree.Arr entries = new JsonTree.Arr();
        for (JsonTree.Obj r : List.of(a, b, seed())) {
            JsonTree.Obj entry = new JsonTree.Obj();
            entry.members.put("fullUrl", "urn:uuid:8f0e7a4a-2f5b-4d5e-9a55-2c1f0b8d6a0" + entries.items.size());
            entry.members.put("resource", r);
            JsonTree.Obj request = new JsonTree.Obj();
            request.members.put("method", "POST");
            request.members.put("url", "Patient");
            entry.members.put("request", request);
            entries.items.add(entry);
        }
        bundle.members.put("entry", entries);
        return bundle;
    }

    private Object randomValue(int depth, boolean resource) {
        int k = depth > 6 ? rnd.nextInt(4) : rnd.nextInt(7);
        if (resource) {
            k = 5;
        }
        return switch (k) {
            case 0 -> WEIRD_STRINGS[rnd.nextInt(WEIRD_STRINGS.length)].replace("\\u0000", "\u0000");
            case 1 -> new JsonTree.Num(Integer.toString(rnd.nextInt(2000) - 1000), true);
            case 2 -> rnd.nextBoolean();
            case 3 -> JsonTree.NULL;
            case 4 -> {
                JsonTree.Arr a = new JsonTree.Arr();
                for (int i = rnd.nextInt(4); i >= 0; i--) {
                    a.items.add(randomValue(depth + 1, false));
                }
                yield a;
            }
            default -> {
                JsonTree.Obj o = new JsonTree.Obj();
                if (resource || rnd.nextInt(4) == 0) {
                    o.members.put("resourceType", seedTypes.get(rnd.nextInt(seedTypes.size())));
                }
                for (int i = rnd.nextInt(5); i >= 0; i--) {
                    o.members.put(KEYS[rnd.nextInt(KEYS.length)], randomValue(depth + 1, false));
                }
                yield o;
            }
        };
    }

    private byte[] deepNesting() {
        kind = "deep-nesting";
        int n = 10_000;
        StringBuilder sb = new StringBuilder(n * 8);
        switch (rnd.nextInt(6)) {
            case 0 -> sb.append("{\"resourceType\":\"Patient\",\"extension\":")
                    .append("[".repeat(n))
                    .append("]".repeat(n))
                    .append('}');
            case 1 -> sb.append("{\"resourceType\":\"Patient\",\"name\":")
                    .append("{\"a\":".repeat(n))
                    .append('1')
                    .append("}".repeat(n + 1));
            case 2 -> sb.append("[".repeat(n)).append("]".repeat(n));
            case 3 -> sb.append("{\"resourceType\":\"Patient\",\"x\":").append("[".repeat(n));
            case 4 -> {
                // nested extensions: valid up to the depth limit, then not
                int levels = 25 + rnd.nextInt(15);
                sb.append("{\"resourceType\":\"Patient\",\"extension\":");
                sb.append("[{\"url\":\"http://x\",\"extension\":".repeat(levels));
                sb.append("[{\"url\":\"http://y\",\"valueString\":\"z\"}]");
                sb.append("}]".repeat(levels)).append('}');
            }
            default -> {
                // a Bundle in a Bundle in a Bundle …
                int levels = 5 + rnd.nextInt(20);
                String open = "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":";
                sb.append(open.repeat(levels)).append(Samples.OBSERVATION).append("}]}".repeat(levels));
            }
        }
        return bytes(sb.toString());
    }

    private byte[] hugeString() {
        kind = "huge-string";
        int len = rnd.nextBoolean() ? 5 * MB : MB - 16 - rnd.nextInt(64);
        char c = "aé€😀".charAt(rnd.nextInt(3));
        String big = String.valueOf(c).repeat(len);
        return switch (rnd.nextInt(3)) {
            case 0 -> bytes("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + big + "\"}]}");
            case 1 -> bytes("{\"resourceType\":\"Patient\",\"" + big + "\":1}");
            default -> bytes("{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\""
                    + "QUJD".repeat(len / 4) + "\"}");
        };
    }

    private byte[] hugeArray() {
        kind = "huge-array";
        int n = rnd.nextBoolean() ? 100_001 : 5_000 + rnd.nextInt(20_000);
        StringBuilder sb = new StringBuilder(n * 6 + 100);
        sb.append("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"g").append(i % 10).append('"');
        }
        sb.append("]}]}");
        return bytes(sb.toString());
    }

    private byte[] deepNarrative() {
        kind = "deep-narrative";
        int n = rnd.nextBoolean() ? 120_000 : 30 + rnd.nextInt(60);
        String div = "<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">" + "<b>".repeat(n) + "x" + "</b>".repeat(n)
                + "</div>";
        return bytes("{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"" + div + "\"}}");
    }

    private byte[] encoding(String json) {
        kind = "encoding";
        return switch (rnd.nextInt(3)) {
            case 0 -> json.getBytes(StandardCharsets.UTF_16BE);
            case 1 -> json.getBytes(StandardCharsets.UTF_16LE);
            default -> {
                byte[] b = bytes(json);
                byte[] out = new byte[b.length + 3];
                out[0] = (byte) 0xEF;
                out[1] = (byte) 0xBB;
                out[2] = (byte) 0xBF;
                System.arraycopy(b, 0, out, 3, b.length);
                yield out;
            }
        };
    }

    // ---- tree helpers ----

    private static Object copy(Object v) {
        if (v instanceof JsonTree.Obj o) {
            JsonTree.Obj c = new JsonTree.Obj();
            o.members.forEach((k, x) -> c.members.put(k, copy(x)));
            return c;
        }
        if (v instanceof JsonTree.Arr a) {
            JsonTree.Arr c = new JsonTree.Arr();
            a.items.forEach(x -> c.items.add(copy(x)));
            return c;
        }
        return v;
    }

    private static void collect(Object v, List<JsonTree.Obj> out) {
        if (v instanceof JsonTree.Obj o) {
            out.add(o);
            o.members.values().forEach(x -> collect(x, out));
        } else if (v instanceof JsonTree.Arr a) {
            a.items.forEach(x -> collect(x, out));
        }
    }

    private static void slots(Object v, List<Object[]> out) {
        if (v instanceof JsonTree.Obj o) {
            for (Map.Entry<String, Object> e : o.members.entrySet()) {
                out.add(new Object[] {o, e.getKey()});
                slots(e.getValue(), out);
            }
        } else if (v instanceof JsonTree.Arr a) {
            for (int i = 0; i < a.items.size(); i++) {
                out.add(new Object[] {a, i});
                slots(a.items.get(i), out);
            }
        }
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v instanceof JsonTree.Obj o) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : o.members.entrySet()) {
                sb.append(first ? "" : ",").append('"');
                JsonStringEncoder.getInstance().quoteAsString(e.getKey(), sb);
                sb.append("\":");
                write(e.getValue(), sb);
                first = false;
            }
            sb.append('}');
        } else if (v instanceof JsonTree.Arr a) {
            sb.append('[');
            for (int i = 0; i < a.items.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(a.items.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof String s) {
            sb.append('"');
            JsonStringEncoder.getInstance().quoteAsString(s, sb);
            sb.append('"');
        } else if (v instanceof JsonTree.Num n) {
            sb.append(n.text());
        } else {
            sb.append(v); // Boolean, NULL
        }
    }

    // ---- running ----

    /** What a run found. */
    static final class Stats {
        long inputs;
        long parsed;
        long rejected;
        long roundTrips;
        long nanos;
        long slowestNanos;
        String slowestKind = "";
        final Map<String, Long> byKind = new TreeMap<>();
        final Map<String, Long> millisByKind = new TreeMap<>();
        final List<String> late = new ArrayList<>();
        final Map<String, Long> byCode = new TreeMap<>();
        final List<String> failures = new ArrayList<>();

        double perSecond() {
            return inputs / (nanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%,d inputs in %.1f s (%,.0f/s): %,d parsed (%,d round trips), %,d rejected, %d failures;"
                            + " slowest %.1f ms (%s)%n  by kind: %s%n  ms by kind: %s%n  rejections by first issue code: %s",
                    inputs,
                    nanos / 1e9,
                    perSecond(),
                    parsed,
                    roundTrips,
                    rejected,
                    failures.size(),
                    slowestNanos / 1e6,
                    slowestKind,
                    byKind,
                    millisByKind,
                    byCode);
        }
    }

    /** Parses {@code n} generated inputs with {@code json}, checking each outcome. */
    static Stats run(FhirJson json, long seed, long n, boolean progress) {
        ParserFuzz fuzz = new ParserFuzz(seed);
        Stats st = new Stats();
        long start = System.nanoTime();
        for (long i = 0; i < n; i++) {
            byte[] input = fuzz.next();
            String kind = fuzz.kind();
            st.byKind.merge(kind, 1L, Long::sum);
            long t0 = System.nanoTime();
            long lateBefore = json.lateIssueCount();
            try {
                Resource r = json.parse(new ByteArrayInputStream(input), null, FhirJson.Limits.DEFAULT);
                st.parsed++;
                String out = json.write(r);
                String lost = difference(tree(new String(input, StandardCharsets.UTF_8)), tree(out), "");
                if (lost != null) {
                    fail(
                            st,
                            kind,
                            input,
                            new AssertionError("accepted, but written back differently at " + lost + ":\n" + out));
                }
                String again = json.write(json.parse(out));
                if (!out.equals(again)) {
                    fail(
                            st,
                            kind,
                            input,
                            new AssertionError("write/parse/write changed the JSON:\n" + out + "\n" + again));
                } else {
                    st.roundTrips++;
                }
            } catch (FhirInputException e) {
                st.rejected++;
                String problem = checkIssues(e);
                if (problem != null) {
                    fail(st, kind, input, new AssertionError(problem));
                }
                st.byCode.merge(e.issues().get(0).code(), 1L, Long::sum);
                if (json.lateIssueCount() != lateBefore && st.late.size() < 20) {
                    String head = new String(input, 0, Math.min(input.length, 2000), StandardCharsets.UTF_8);
                    st.late.add(kind + ": " + head + "\n  -> " + e.issues());
                }
            } catch (Throwable t) { // any other exception or error is a failure of the parser
                fail(st, kind, input, t);
            }
            long dt = System.nanoTime() - t0;
            st.millisByKind.merge(kind, dt / 1_000_000, Long::sum);
            sampleHeap();
            if (dt > st.slowestNanos) {
                st.slowestNanos = dt;
                st.slowestKind = kind;
            }
            st.inputs++;
            if (progress && (i + 1) % 100_000 == 0) {
                st.nanos = System.nanoTime() - start;
                System.out.printf(
                        Locale.ROOT, "%,d inputs, %,.0f/s, peak heap %d MB%n", i + 1, st.perSecond(), peakHeapMb());
            }
        }
        st.nanos = System.nanoTime() - start;
        return st;
    }

    private static final JsonFactory TREES = new JsonFactory();

    private static Object tree(String json) {
        String text = json.startsWith("\uFEFF") ? json.substring(1) : json;
        FhirJson.Limits big = new FhirJson.Limits(64 * MB, 256, 64 * MB, 10_000_000);
        return JsonTree.read(TREES, text, big, new Issues(10), x -> true, null);
    }

    /**
     * Where {@code written} differs from {@code read} (as JSON values: member order and number notation aside), or
     * {@code null}: an accepted input must come back out whole.
     */
    static String difference(Object read, Object written, String at) {
        if (read instanceof JsonTree.Obj a && written instanceof JsonTree.Obj b) {
            // an _name array of nulls only carries nothing: HAPI leaves it out
            a.members
                    .values()
                    .removeIf(
                            v -> v instanceof JsonTree.Arr x && x.items.stream().allMatch(i -> i == JsonTree.NULL));
            if (!a.members.keySet().equals(b.members.keySet())) {
                return at + " " + a.members.keySet() + " vs " + b.members.keySet();
            }
            for (Map.Entry<String, Object> e : a.members.entrySet()) {
                String d = difference(e.getValue(), b.members.get(e.getKey()), at + "." + e.getKey());
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (read instanceof JsonTree.Arr a && written instanceof JsonTree.Arr b) {
            if (a.items.size() != b.items.size()) {
                return at + " has " + a.items.size() + " items, written " + b.items.size();
            }
            for (int i = 0; i < a.items.size(); i++) {
                String d = difference(a.items.get(i), b.items.get(i), at + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (read instanceof JsonTree.Num a && written instanceof JsonTree.Num b) {
            return new java.math.BigDecimal(a.text()).compareTo(new java.math.BigDecimal(b.text())) == 0
                    ? null
                    : at + " " + a.text() + " vs " + b.text();
        }
        if (read instanceof String a
                && written instanceof String b
                && !a.equals(b)
                && a.matches("[A-Za-z0-9+/=\\s]+")
                && a.replaceAll("\\s", "").equals(b)) {
            return null; // base64Binary: HAPI writes it back without the whitespace R5 allows in it
        }
        if (read instanceof String a && written instanceof String b && at.endsWith(".div")) {
            return xml(a).equals(xml(b)) ? null : at + " " + a + " vs " + b; // HAPI re-serialises the XHTML
        }
        if (read instanceof String a && written instanceof JsonTree.Num b && at.endsWith("valueInteger64")) {
            return a.equals(b.text()) ? null : at; // HAPI 8.8 writes integer64 as a number
        }
        return java.util.Objects.equals(read, written) ? null : at + " " + read + " vs " + written;
    }

    /** XHTML as a list of events (elements, sorted attributes, coalesced text), to compare two serialisations. */
    static String xml(String xhtml) {
        try {
            javax.xml.stream.XMLInputFactory f = javax.xml.stream.XMLInputFactory.newDefaultFactory();
            f.setProperty(javax.xml.stream.XMLInputFactory.IS_COALESCING, true);
            javax.xml.stream.XMLStreamReader r = f.createXMLStreamReader(new java.io.StringReader(xhtml));
            StringBuilder sb = new StringBuilder();
            while (r.hasNext()) {
                switch (r.next()) {
                    case javax.xml.stream.XMLStreamConstants.START_ELEMENT -> {
                        TreeMap<String, String> attrs = new TreeMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attrs.put(r.getAttributeName(i).toString(), r.getAttributeValue(i));
                        }
                        sb.append('<').append(r.getName()).append(attrs).append('>');
                    }
                    case javax.xml.stream.XMLStreamConstants.END_ELEMENT -> sb.append("</>");
                    case javax.xml.stream.XMLStreamConstants.CHARACTERS -> sb.append(r.getText());
                    default -> {}
                }
            }
            return sb.toString();
        } catch (javax.xml.stream.XMLStreamException e) {
            return "not XML: " + e.getMessage();
        }
    }

    private static String checkIssues(FhirInputException e) {
        if (e.issues().isEmpty()) {
            return "no issues";
        }
        for (Issue issue : e.issues()) {
            if (issue.location() == null || issue.location().isEmpty()) {
                return "issue without a location: " + issue;
            }
            if (!List.of("structure", "required", "value", "invalid", "too-long", "too-costly", "not-supported")
                    .contains(issue.code())) {
                return "unexpected issue code: " + issue;
            }
            if (issue.message().length() > 2000 || issue.location().length() > 2000) {
                return "oversized issue: " + issue.location().length() + "/"
                        + issue.message().length();
            }
        }
        if (e.issues().size() > FhirJson.MAX_ISSUES + 1) {
            return "too many issues: " + e.issues().size();
        }
        if (e.status() != 400 && e.status() != 413) {
            return "status " + e.status();
        }
        e.toOperationOutcome(); // must not throw
        return null;
    }

    private static void fail(Stats st, String kind, byte[] input, Throwable t) {
        if (st.failures.size() < 20) {
            String head = new String(input, 0, Math.min(input.length, 600), StandardCharsets.UTF_8);
            java.io.StringWriter sw = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(sw));
            String trace = sw.toString();
            st.failures.add(kind + " (" + input.length + " bytes): " + head + "\n  -> "
                    + trace.substring(0, Math.min(trace.length(), 3000)));
        } else {
            st.failures.add(kind + ": " + t);
        }
    }

    /** The most heap in use (live objects and garbage not yet collected) seen after an input, in MB. */
    static long peakHeapMb() {
        return PEAK_HEAP.get() >> 20;
    }

    private static final AtomicLong PEAK_HEAP = new AtomicLong();

    private static void sampleHeap() {
        PEAK_HEAP.accumulateAndGet(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Runs {@code args[0]} inputs (default 1,000,000) with seed {@code args[1]} (default 11) and prints the counts. */
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 11;
        FhirJson json = new FhirJson();
        long w0 = System.nanoTime();
        json.warmUp();
        System.out.printf(
                Locale.ROOT,
                "warm-up %.1f s; max heap %d MB%n",
                (System.nanoTime() - w0) / 1e9,
                Runtime.getRuntime().maxMemory() >> 20);
        Stats st = run(json, seed, n, true);
        System.out.println(st);
        System.out.printf(
                Locale.ROOT,
                "late issues (HAPI found what the checks did not): %d; peak heap %d MB%n",
                json.lateIssueCount(),
                peakHeapMb());
        st.failures.stream().limit(20).forEach(f -> System.out.println("FAILURE " + f));
        st.late.forEach(f -> System.out.println("LATE " + f));
        if (!st.failures.isEmpty()) {
            System.exit(1);
        }
    }
}
