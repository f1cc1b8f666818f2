package org.karyo.itests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every response the integration tests receive from {@code /api} against the platform's own OpenAPI document
 * ({@code GET /api/openapi.json}, fetched once per platform and again when a request finds no operation, as the
 * document follows the installed modules). A response must use a status its operation declares (a {@code default}
 * response declares none), and a JSON body ({@code application/json}, {@code application/problem+json}) must match
 * the schema declared for that status and media type: types, {@code nullable}, {@code required} properties, no
 * undeclared ones, enum values.
 *
 * <p>A disagreement fails the test that received the response with an {@link AssertionError} naming the method, the
 * path, the status, the JSON pointer and the violation. With {@code -Dkaryo.openapi.collect=true} it is written to
 * {@code target/openapi-violations.txt} instead (once per distinct violation), to survey a whole run.
 *
 * <p>Requests to other URLs (presigned object-store links) are not checked. A request to a path no operation serves
 * that is answered 404 or 405 needs no operation; its body must still be a problem document.
 */
public final class OpenApiContract {
    private static final boolean COLLECT = Boolean.getBoolean("karyo.openapi.collect");
    private static final Path VIOLATIONS = Path.of("target", "openapi-violations.txt");
    private static final Set<String> MEDIA_TYPES = Set.of("application/json", "application/problem+json");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(false)
            .build();

    /** {@code /api}, {@code /api/}, {@code /api/docs} and its assets: Swagger UI, outside the document. */
    private static final java.util.regex.Pattern HTML_PAGES = java.util.regex.Pattern.compile("/?|/docs(/[^/]*)?");

    /** The document of each platform, by its origin ({@code http://127.0.0.1:8181}). */
    private static final Map<String, Document> DOCUMENTS = new ConcurrentHashMap<>();

    private static final Set<String> RECORDED = ConcurrentHashMap.newKeySet();

    private OpenApiContract() {}

    /** Checks one exchange; {@code body} is {@code null} when the caller discarded it. */
    public static void check(HttpRequest request, int status, HttpHeaders headers, String body) {
        URI uri = request.uri();
        String path = uri.getRawPath();
        if (path == null || !(path.equals("/api") || path.startsWith("/api/"))) {
            return;
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        if (method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String below = path.substring("/api".length());
        if (HTML_PAGES.matcher(below).matches()) {
            return; // the documentation pages and the redirect to them are HTML for people, not operations
        }
        String contentType = headers.firstValue("Content-Type").orElse(null);
        List<String> problems = new ArrayList<>();
        String template = check(origin, method, below, status, contentType, body, problems);
        if (problems.isEmpty()) {
            return;
        }
        String where = method + " /api" + (template == null ? below : template) + " -> " + status;
        if (COLLECT) {
            for (String p : problems) {
                record(where + ": " + p);
            }
            return;
        }
        throw new AssertionError("the response disagrees with /api/openapi.json: " + where + ": "
                + String.join("; ", problems) + (template == null ? "" : " (request " + path + ")") + "\nbody: "
                + abbreviate(body));
    }

    /** Checks a response received with {@code java.net.http} directly; {@code body} may be {@code null}. */
    public static void check(HttpResponse<?> response, String body) {
        check(response.request(), response.statusCode(), response.headers(), body);
    }

    private static String check(
            String origin,
            String method,
            String path,
            int status,
            String contentType,
            String body,
            List<String> problems) {
        Document doc = DOCUMENTS.computeIfAbsent(origin, Document::fetch);
        Document.Match match = doc.find(method, path);
        if (match == null || match.operation() == null) {
            // the installed modules may have changed since the document was read
            String text = Document.text(origin);
            if (!text.equals(doc.text)) {
                doc = Document.parse(text);
                DOCUMENTS.put(origin, doc);
                match = doc.find(method, path);
            }
        }
        return check(doc, match, status, contentType, body, problems);
    }

    /**
     * What is wrong with one response by {@code document} (empty when nothing is): for tests of this class, which
     * need no platform.
     */
    static List<String> violations(
            String document, String method, String path, int status, String contentType, String body) {
        Document doc = Document.parse(document);
        List<String> problems = new ArrayList<>();
        check(doc, doc.find(method, path), status, contentType, body, problems);
        return problems;
    }

    private static String check(
            Document doc, Document.Match match, int status, String contentType, String body, List<String> problems) {
        String media =
                contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = media != null && MEDIA_TYPES.contains(media) && body != null && !body.isBlank();
        if (match == null || match.operation() == null) {
            if ((match == null && status == 404) || (match != null && status == 405)) {
                if (json) {
                    doc.validate("#/components/schemas/Problem", body, problems);
                }
                return match == null ? null : match.template();
            }
            problems.add(match == null ? "no path of the document serves this request" : "no such operation");
            return match == null ? null : match.template();
        }
        JsonNode responses = match.operation().path("responses");
        JsonNode response = doc.resolve(responses.get(Integer.toString(status)));
        if (response == null) {
            List<String> declared = new ArrayList<>();
            responses.fieldNames().forEachRemaining(declared::add);
            problems.add("status " + status + " is not declared (declared: " + String.join(", ", declared) + ")");
            return match.template();
        }
        if (!json) {
            return match.template();
        }
        JsonNode declared = response.path("content").get(media);
        if (declared == null) {
            List<String> types = new ArrayList<>();
            response.path("content").fieldNames().forEachRemaining(types::add);
            problems.add("a " + media + " body is not declared (declared: " + String.join(", ", types) + ")");
            return match.template();
        }
        JsonNode schema = declared.get("schema");
        if (schema != null) {
            doc.validate(schema, body, problems);
        }
        return match.template();
    }

    private static synchronized void record(String line) {
        if (!RECORDED.add(line)) {
            return;
        }
        try {
            Files.createDirectories(VIOLATIONS.toAbsolutePath().getParent());
            Files.writeString(
                    VIOLATIONS,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "(not read)";
        }
        return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
    }

    /** One platform's document, its schemas translated to JSON Schema 2020-12. */
    private static final class Document {
        private final JsonNode openapi;
        private final ObjectNode defs;
        private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

        private final String text;

        private Document(String text, JsonNode openapi) {
            this.text = text;
            this.openapi = openapi;
            this.defs = F.objectNode();
            openapi.path("components")
                    .path("schemas")
                    .fields()
                    .forEachRemaining(e -> defs.set(e.getKey(), translate(e.getValue())));
        }

        static Document fetch(String origin) {
            return parse(text(origin));
        }

        static Document parse(String text) {
            try {
                return new Document(text, Api.JSON.readTree(text));
            } catch (IOException e) {
                throw new UncheckedIOException("/api/openapi.json is not JSON", e);
            }
        }

        /** The platform's document as it serves it now. */
        static String text(String origin) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(origin + "/api/openapi.json"))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build();
            try {
                HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(
                            "GET " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + request.uri(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** A path template and the operation for the method on it (null when the path has none). */
        record Match(String template, JsonNode operation) {}

        /** The path template that serves {@code path} (literal segments win over parameters), or null. */
        Match find(String method, String path) {
            String[] segments = split(path);
            Match best = null;
            int bestLiterals = -1;
            Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> e = paths.next();
                String[] template = split(e.getKey());
                JsonNode operation = e.getValue().get(method.toLowerCase(Locale.ROOT));
                // a last variable marked x-karyo-multi-segment ({key: .+}) takes the rest of the path, slashes too
                boolean rest = template.length > 0
                        && template.length <= segments.length
                        && multiSegment(e.getValue(), template[template.length - 1]);
                if (template.length != segments.length && !rest) {
                    continue;
                }
                int literals = 0;
                boolean matches = true;
                for (int i = 0; i < template.length && matches; i++) {
                    if (template[i].startsWith("{") && template[i].endsWith("}")) {
                        matches = !segments[i].isEmpty();
                    } else if (template[i].equals(segments[i])) {
                        literals++;
                    } else {
                        matches = false;
                    }
                }
                // a template with the operation beats one without it; then the more literal one
                int score = literals + (operation == null ? 0 : 1000);
                if (matches && score > bestLiterals) {
                    best = new Match(e.getKey(), operation);
                    bestLiterals = score;
                }
            }
            return best;
        }

        /** Whether the path item's template variable {@code segment} ({@code {key}}) is marked multi-segment. */
        private static boolean multiSegment(JsonNode pathItem, String segment) {
            if (!segment.startsWith("{") || !segment.endsWith("}")) {
                return false;
            }
            String name = segment.substring(1, segment.length() - 1);
            for (JsonNode op : pathItem) {
                for (JsonNode p : op.path("parameters")) {
                    if (name.equals(p.path("name").asText())
                            && "path".equals(p.path("in").asText())
                            && p.path("x-karyo-multi-segment").asBoolean()) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String[] split(String path) {
            String p = path.startsWith("/") ? path.substring(1) : path;
            return p.isEmpty() ? new String[0] : p.split("/", -1);
        }

        /** The response object, following a {@code $ref} to {@code components/responses}. */
        JsonNode resolve(JsonNode response) {
            if (response != null && response.has("$ref")) {
                return openapi.at(response.get("$ref").asText().substring(1));
            }
            return response;
        }

        void validate(String ref, String body, List<String> problems) {
            validate(F.objectNode().put("$ref", ref), body, problems);
        }

        void validate(JsonNode schema, String body, List<String> problems) {
            JsonNode value;
            try {
                value = Api.JSON.readTree(body);
            } catch (IOException e) {
                problems.add("the body is not JSON: " + e.getMessage());
                return;
            }
            JsonSchema compiledSchema = compiled.computeIfAbsent(schema.toString(), k -> {
                ObjectNode root = (ObjectNode) translate(schema);
                root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
                root.set("$defs", defs);
                return SCHEMAS.getSchema(root, CONFIG);
            });
            Set<String> messages = new TreeSet<>();
            for (ValidationMessage m : compiledSchema.validate(value)) {
                String pointer = m.getInstanceLocation().toString();
                String message = m.getMessage();
                if (message.startsWith(pointer + ": ")) {
                    message = message.substring(pointer.length() + 2);
                }
                if (COLLECT) {
                    // one line per property, not per element of a list
                    pointer = pointer.replaceAll("/[0-9]+(?=/|$)", "/*");
                }
                messages.add("at \"" + pointer + "\": " + message + " [" + m.getType() + "]");
            }
            // a nullable value that is not null fails the null alternative too: that says nothing
            if (messages.stream().anyMatch(m -> !m.endsWith(" found, null expected [type]"))) {
                messages.removeIf(m -> m.endsWith(" found, null expected [type]"));
            }
            problems.addAll(messages);
        }

        /**
         * An OpenAPI 3.0 schema as JSON Schema 2020-12: {@code nullable: true} becomes a {@code "null"} type (or,
         * for a reference or a composition such as {@code type: object, allOf: [$ref]}, an {@code anyOf} with a null
         * alternative), references point into {@code $defs}, and the OpenAPI-only keywords go.
         */
        static JsonNode translate(JsonNode schema) {
            if (schema.isArray()) {
                ArrayNode out = F.arrayNode();
                schema.forEach(s -> out.add(translate(s)));
                return out;
            }
            if (!schema.isObject()) {
                return schema;
            }
            ObjectNode out = F.objectNode();
            schema.fields().forEachRemaining(e -> {
                String k = e.getKey();
                JsonNode v = e.getValue();
                switch (k) {
                    case "nullable", "example", "discriminator", "xml", "externalDocs", "readOnly", "writeOnly" -> {}
                    case "$ref" -> out.put(k, v.asText().replace("#/components/schemas/", "#/$defs/"));
                    case "properties" -> {
                        ObjectNode props = out.putObject(k);
                        v.fields().forEachRemaining(p -> props.set(p.getKey(), translate(p.getValue())));
                    }
                    case "enum", "required", "default" -> out.set(k, v.deepCopy());
                    default -> out.set(k, v.isContainerNode() ? translate(v) : v);
                }
            });
            if (!schema.path("nullable").asBoolean(false)) {
                return out;
            }
            boolean composed = out.has("$ref") || out.has("allOf") || out.has("anyOf") || out.has("oneOf");
            if (out.has("type") && !composed) {
                ArrayNode types = out.putArray("type");
                types.add(schema.get("type").asText()).add("null");
                if (out.has("enum")) {
                    ((ArrayNode) out.get("enum")).addNull();
                }
                return out;
            }
            ObjectNode any = F.objectNode();
            any.putArray("anyOf").add(F.objectNode().put("type", "null")).add(out);
            return any;
        }
    }
}
