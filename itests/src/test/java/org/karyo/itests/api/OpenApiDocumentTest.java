package org.karyo.itests.api;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.SharedPlatform;

/**
 * The committed {@code docs/openapi.json} is exactly the document the shared platform serves at
 * {@code /api/openapi.json} (keys sorted, two-space indentation), so that a change of the API shows in review and a
 * client can be generated without booting a platform. The live document is always written to
 * {@code target/openapi.json}; {@code -Dkaryo.openapi.update=true} rewrites the committed one.
 */
@ExtendWith(SharedPlatform.class)
class OpenApiDocumentTest {
    private static final int MAX_DIFFERENCES = 10;

    @Test
    void theCommittedDocumentIsTheLiveOne(Api api) throws Exception {
        Api.Response r = api.anonymous().get("/openapi.json");
        if (r.status() != 200) {
            throw new AssertionError("GET /api/openapi.json answered " + r);
        }
        JsonNode live = r.json();
        String text = print(live);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "openapi.json"), text, StandardCharsets.UTF_8);

        Path committed = Path.of(System.getProperty("karyo.openapi.document", "../docs/openapi.json"));
        if (Boolean.getBoolean("karyo.openapi.update")) {
            Files.writeString(committed, text, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(committed)) {
            throw new AssertionError(committed.toAbsolutePath().normalize() + " does not exist; " + HOW_TO_ACCEPT);
        }
        String expected = Files.readString(committed, StandardCharsets.UTF_8);
        if (expected.equals(text)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        diff("", Api.JSON.readTree(expected), live, differences);
        if (differences.isEmpty()) {
            differences.add("(same content, different formatting)");
        }
        throw new AssertionError("the live /api/openapi.json differs from "
                + committed.toAbsolutePath().normalize() + " (live copy in target/openapi.json) at:\n  "
                + String.join("\n  ", differences) + "\n" + HOW_TO_ACCEPT);
    }

    private static final String HOW_TO_ACCEPT = "If the change is intended, accept it: mvn -pl itests verify"
            + " -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -Dkaryo.openapi.update=true"
            + " (rewrites docs/openapi.json), and commit the document.";

    /** The document with every object's keys in order, two-space indented, with a final newline. */
    static String print(JsonNode document) throws Exception {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return Api.JSON.writer(printer).writeValueAsString(sorted(document)) + "\n";
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = Api.JSON.createObjectNode();
            TreeSet<String> keys = new TreeSet<>();
            node.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                out.set(k, sorted(node.get(k)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Api.JSON.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    /** The JSON pointers where {@code live} differs from {@code committed}, at most {@link #MAX_DIFFERENCES}. */
    private static void diff(String pointer, JsonNode committed, JsonNode live, List<String> out) {
        if (out.size() >= MAX_DIFFERENCES || committed.equals(live)) {
            return;
        }
        if (committed.isObject() && live.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            committed.fieldNames().forEachRemaining(keys::add);
            live.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String p = pointer + "/" + k.replace("~", "~0").replace("/", "~1");
                if (!committed.has(k)) {
                    add(out, p + ": added");
                } else if (!live.has(k)) {
                    add(out, p + ": removed");
                } else {
                    diff(p, committed.get(k), live.get(k), out);
                }
            }
            return;
        }
        if (committed.isArray() && live.isArray() && committed.size() == live.size()) {
            for (int i = 0; i < committed.size(); i++) {
                diff(pointer + "/" + i, committed.get(i), live.get(i), out);
            }
            return;
        }
        add(out, (pointer.isEmpty() ? "/" : pointer) + ": " + abbreviate(committed) + " -> " + abbreviate(live));
    }

    private static void add(List<String> out, String difference) {
        if (out.size() < MAX_DIFFERENCES) {
            out.add(difference);
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
