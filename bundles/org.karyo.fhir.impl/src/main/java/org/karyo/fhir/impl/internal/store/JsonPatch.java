package org.karyo.fhir.impl.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.FhirException;

/** JSON Patch (RFC 6902) on a resource's JSON: add, remove, replace, move, copy and test. */
final class JsonPatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonPatch() {}

    static Resource apply(Resource current, String patch) {
        JsonNode doc;
        JsonNode ops;
        try {
            doc = JSON.readTree(Bodies.write(current));
            ops = JSON.readTree(patch);
        } catch (java.io.IOException e) {
            throw FhirException.badRequest("patch", "The body is not a JSON Patch document");
        }
        if (ops == null || !ops.isArray()) {
            throw FhirException.badRequest("patch", "A JSON Patch document is an array of operations");
        }
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String where = "patch[" + i + "]";
            String name = text(op, "op", where);
            String path = text(op, "path", where);
            switch (name) {
                case "add" -> doc = add(doc, path, value(op, where), where);
                case "remove" -> doc = remove(doc, path, where);
                case "replace" -> doc = add(remove(doc, path, where), path, value(op, where), where);
                case "move" -> {
                    String from = text(op, "from", where);
                    JsonNode v = get(doc, from, where);
                    doc = add(remove(doc, from, where), path, v, where);
                }
                case "copy" -> doc =
                        add(doc, path, get(doc, text(op, "from", where), where).deepCopy(), where);
                case "test" -> {
                    if (!get(doc, path, where).equals(value(op, where))) {
                        throw FhirException.of(
                                422,
                                OperationOutcome.IssueType.PROCESSING,
                                where,
                                "The test operation failed at " + path);
                    }
                }
                default -> throw FhirException.badRequest(where + ".op", "Unknown JSON Patch operation " + name);
            }
        }
        try {
            return Bodies.read(JSON.writeValueAsString(doc));
        } catch (java.io.IOException | RuntimeException e) {
            throw FhirException.unprocessable("patch", "The patched resource is not a valid FHIR resource");
        }
    }

    private static String text(JsonNode op, String field, String where) {
        JsonNode v = op.get(field);
        if (v == null || !v.isTextual()) {
            throw FhirException.badRequest(where + "." + field, "A JSON Patch operation has a string " + field);
        }
        return v.asText();
    }

    private static JsonNode value(JsonNode op, String where) {
        if (!op.has("value")) {
            throw FhirException.badRequest(where + ".value", "This JSON Patch operation has a value");
        }
        return op.get("value");
    }

    private static String[] tokens(String path, String where) {
        if (path.isEmpty()) {
            return new String[0];
        }
        if (!path.startsWith("/")) {
            throw FhirException.badRequest(where + ".path", "A JSON Pointer starts with /");
        }
        String[] t = path.substring(1).split("/", -1);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i].replace("~1", "/").replace("~0", "~");
        }
        return t;
    }

    private static JsonNode get(JsonNode doc, String path, String where) {
        JsonNode n = doc;
        for (String t : tokens(path, where)) {
            n = n.isArray() ? n.get(index(t, n.size(), where)) : n.get(t);
            if (n == null) {
                throw FhirException.unprocessable(where + ".path", "Nothing at " + path);
            }
        }
        return n;
    }

    private static JsonNode add(JsonNode doc, String path, JsonNode value, String where) {
        String[] t = tokens(path, where);
        if (t.length == 0) {
            return value;
        }
        JsonNode parent = get(doc, parentOf(path), where);
        String last = t[t.length - 1];
        if (parent instanceof ArrayNode a) {
            if (last.equals("-")) {
                a.add(value);
            } else {
                a.insert(index(last, a.size() + 1, where), value);
            }
        } else if (parent instanceof ObjectNode o) {
            o.set(last, value);
        } else {
            throw FhirException.unprocessable(where + ".path", "Cannot add below a value at " + path);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path, String where) {
        String[] t = tokens(path, where);
        if (t.length == 0) {
            throw FhirException.unprocessable(where + ".path", "Cannot remove the whole resource");
        }
        JsonNode parent = get(doc, parentOf(path), where);
        String last = t[t.length - 1];
        if (parent instanceof ArrayNode a) {
            a.remove(index(last, a.size(), where));
        } else if (parent instanceof ObjectNode o && o.has(last)) {
            o.remove(last);
        } else {
            throw FhirException.unprocessable(where + ".path", "Nothing at " + path);
        }
        return doc;
    }

    private static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static int index(String t, int size, String where) {
        try {
            int i = Integer.parseInt(t);
            if (i < 0 || i >= size) {
                throw FhirException.unprocessable(where + ".path", "Index " + t + " is out of range");
            }
            return i;
        } catch (NumberFormatException e) {
            throw FhirException.unprocessable(where + ".path", "'" + t + "' is not an array index");
        }
    }
}
