package org.karyo.rest.internal.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.MatrixParam;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.karyo.api.security.Declarations;
import org.karyo.rest.internal.JaxrsAnnotations;
import org.karyo.rest.support.Accepts;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;

/**
 * Generates the OpenAPI 3 document of a set of JAX-RS resource classes by reflection over their annotations: paths,
 * operations, parameters, request and response schemas, problem responses, and each method's declared right as
 * {@code x-karyo-right} (or {@code x-karyo-public}).
 */
public final class OpenApiGenerator {
    static final String TITLE = "Karyo API";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> IF_MATCH_METHODS = Set.of("PUT", "PATCH", "DELETE");
    /** Headers the HTTP client sets from the request itself; a resource may read them, a caller does not pass them. */
    private static final Set<String> TRANSPORT_HEADERS =
            Set.of("content-length", "content-type", "accept", "host", "transfer-encoding", "authorization");

    private final ObjectMapper mapper;

    public OpenApiGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The document of {@code resources} (order does not matter: the output is sorted). */
    public ObjectNode generate(Collection<Class<?>> resources, String version) {
        Schemas schemas = new Schemas(mapper);
        defineProblem(schemas);
        Map<String, ObjectNode> paths = new TreeMap<>();
        Set<String> operationIds = new HashSet<>();
        List<Class<?>> classes = new ArrayList<>(new LinkedHashSet<>(resources));
        classes.sort(Comparator.comparing(Class::getName));
        for (Class<?> type : classes) {
            if (type.isAnnotationPresent(Undocumented.class)) {
                continue;
            }
            List<Method> methods = new ArrayList<>(List.of(type.getMethods()));
            methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
            for (Method method : methods) {
                if (method.isBridge() || method.isSynthetic() || Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                Method annotated = JaxrsAnnotations.annotated(method);
                String http = JaxrsAnnotations.httpMethod(annotated);
                if (http == null) {
                    continue; // not a resource method (helpers, sub-resource locators)
                }
                String path = JaxrsAnnotations.template(type, method);
                ObjectNode item = paths.computeIfAbsent(path, p -> F.objectNode());
                String key = http.toLowerCase(Locale.ROOT);
                if (!item.has(key)) {
                    item.set(key, operation(type, method, annotated, http, path, schemas, operationIds));
                }
            }
        }

        ObjectNode root = F.objectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", TITLE);
        info.put("version", version);
        info.putObject("license").put("name", "Apache-2.0").put("url", "https://www.apache.org/licenses/LICENSE-2.0");
        info.put(
                "description",
                "The REST API of this Karyo installation, as installed right now. Errors are RFC 9457 "
                        + "problem documents (application/problem+json). x-karyo-right names the right an operation needs.");
        root.putArray("security").addObject().putArray("bearer");
        ObjectNode pathsNode = root.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode components = root.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.components().forEach(schemaNode::set);
        // only the shared responses some operation refers to
        String referring = pathsNode.toString();
        ObjectNode responses = components.putObject("responses");
        problemResponses().fields().forEachRemaining(e -> {
            if (referring.contains("\"#/components/responses/" + e.getKey() + "\"")) {
                responses.set(e.getKey(), e.getValue());
            }
        });
        components
                .putObject("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put(
                        "description",
                        "A Karyo access token (POST /auth/login), a service-account API token (kyt_…) or a "
                                + "configured OIDC provider's access token");
        return root;
    }

    private ObjectNode operation(
            Class<?> type,
            Method method,
            Method annotated,
            String http,
            String path,
            Schemas schemas,
            Set<String> ids) {
        ObjectNode op = F.objectNode();
        op.putArray("tags").add(tag(type));
        Operation named = annotation(method, annotated, Operation.class);
        op.put("summary", named == null ? humanize(method.getName()) : named.summary());
        op.put(
                "operationId",
                uniqueId(named == null ? type.getSimpleName() + "_" + method.getName() : named.id(), ids));
        String detail = named == null || named.description().isBlank() ? "" : named.description() + "\n\n";

        Optional<Declarations.Need> need;
        try {
            need = Declarations.of(method);
        } catch (IllegalStateException e) {
            need = Optional.empty();
        }
        if (need.isPresent() && need.get() instanceof Declarations.RightNeed right) {
            op.put("description", detail + "Requires the right `" + right.right() + "`.");
            op.put("x-karyo-right", right.right());
        } else if (need.isPresent() && need.get() instanceof Declarations.AuthenticatedNeed) {
            op.put("description", detail + "Requires an authenticated caller (no particular right).");
            op.put("x-karyo-authenticated", true);
        } else if (need.isPresent()) {
            op.put("description", detail + "Public: anyone may call it.");
            op.put("x-karyo-public", true);
        } else {
            op.put("description", detail + "Refused: this operation declares no access rule.");
            op.put("x-karyo-undeclared", true);
        }

        ArrayNode parameters = F.arrayNode();
        Set<String> pathParams = new HashSet<>();
        boolean ifMatchDeclared = false;
        boolean readsHeaders = false; // an @Context HttpHeaders parameter: the resource reads If-Match (ETags.ifMatch)
        Type bodyType = null;
        Type[] types = annotated.getGenericParameterTypes();
        Annotation[][] annotations = annotated.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            Annotation[] anns = annotations[i];
            String in = null;
            String name = null;
            String dflt = null;
            Param described = null;
            boolean skip = false;
            for (Annotation a : anns) {
                if (a instanceof PathParam p) {
                    in = "path";
                    name = p.value();
                } else if (a instanceof QueryParam q) {
                    in = "query";
                    name = q.value();
                } else if (a instanceof HeaderParam h) {
                    in = "header";
                    name = h.value();
                } else if (a instanceof CookieParam c) {
                    in = "cookie";
                    name = c.value();
                } else if (a instanceof DefaultValue d) {
                    dflt = d.value();
                } else if (a instanceof Param d) {
                    described = d;
                } else if (a instanceof Context) {
                    skip = true;
                    readsHeaders |= types[i] == HttpHeaders.class;
                } else if (a instanceof BeanParam
                        || a instanceof FormParam
                        || a instanceof MatrixParam
                        || a instanceof Suspended) {
                    skip = true;
                }
            }
            if (in != null && in.equals("header") && TRANSPORT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                skip = true; // set by the HTTP client itself, not a parameter a caller passes
                in = null;
            }
            if (in != null) {
                ObjectNode p = parameters.addObject();
                p.put("name", name);
                p.put("in", in);
                if (in.equals("path")) {
                    p.put("required", true);
                    pathParams.add(name);
                    if (multiSegment(type, annotated, name)) {
                        // {key: .+}: the value keeps its slashes, so it spans the rest of the path
                        p.put("x-karyo-multi-segment", true);
                    }
                } else if (described != null && described.required()) {
                    p.put("required", true);
                }
                if (in.equals("header") && name.equalsIgnoreCase("If-Match")) {
                    ifMatchDeclared = true;
                }
                ObjectNode schema = schemas.schema(types[i]).deepCopy();
                if (described != null) {
                    schema = paramSchema(described, schema);
                    if (!described.description().isBlank()) {
                        p.put("description", described.description());
                    }
                } else if (in.equals("query") && types[i] == String.class) {
                    schema = wireType(name, schema, p);
                }
                if (dflt != null) {
                    schema.put("default", dflt);
                }
                p.set("schema", schema);
            } else if (!skip) {
                bodyType = types[i];
            }
        }
        Matcher m = TEMPLATE_VARIABLE.matcher(path);
        while (m.find()) {
            if (pathParams.add(m.group(1))) {
                ObjectNode p = parameters.addObject();
                p.put("name", m.group(1)).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            }
        }
        boolean conditional = IF_MATCH_METHODS.contains(http) && (ifMatchDeclared || readsHeaders);
        if (conditional && !ifMatchDeclared) {
            ObjectNode p = parameters.addObject();
            p.put("name", "If-Match").put("in", "header").put("required", false);
            p.put("description", "The ETag the client last read; a stale one is refused with 412");
            p.putObject("schema").put("type", "string");
        }
        if (!parameters.isEmpty()) {
            op.set("parameters", parameters);
        }
        Accepts accepts = annotation(method, annotated, Accepts.class);
        if (accepts != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", accepts.required());
            ObjectNode content = body.putObject("content");
            ObjectNode schema = schemas.schema(accepts.value());
            List<String> accepted =
                    accepts.mediaTypes().length > 0 ? List.of(accepts.mediaTypes()) : mediaTypes(annotated, type, true);
            for (String mt : accepted) {
                content.putObject(mt.contains("*") ? MediaType.APPLICATION_JSON : mt)
                        .set("schema", schema);
            }
        } else if (bodyType != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", true);
            ObjectNode content = body.putObject("content");
            boolean binary = isBinary(bodyType);
            ObjectNode schema = binary ? binary() : schemas.schema(bodyType);
            for (String mt : mediaTypes(annotated, type, true)) {
                content.putObject(binary ? concrete(mt) : mt).set("schema", schema);
            }
        }

        ObjectNode responses = op.putObject("responses");
        success(responses, method, annotated, type, http, schemas);
        // every operation refuses an unknown query parameter
        error(responses, "400", "BadRequest");
        if (need.isPresent() && !(need.get() instanceof Declarations.PublicNeed)) {
            op.putArray("security").addObject().putArray("bearer");
            error(responses, "401", "Unauthorized");
            error(responses, "403", "Forbidden");
        } else if (need.isEmpty()) {
            error(responses, "403", "Forbidden");
        } else {
            op.putArray("security"); // public: no credentials needed
        }
        if (!pathParams.isEmpty()) {
            error(responses, "404", "NotFound");
        }
        if (conditional) {
            error(responses, "412", "PreconditionFailed");
        }
        if (bodyType != null) {
            error(responses, "413", "PayloadTooLarge");
            error(responses, "415", "UnsupportedMediaType");
        }
        Fails fails = annotation(method, annotated, Fails.class);
        if (fails != null) {
            for (int status : fails.value()) {
                String name = ERRORS.get(status);
                if (name == null) {
                    throw new IllegalStateException(
                            type.getName() + "." + method.getName() + " declares an unknown error status " + status);
                }
                error(responses, Integer.toString(status), name);
            }
        }
        error(responses, "503", "ServiceUnavailable");
        sortResponses(responses);
        return op;
    }

    private void success(
            ObjectNode responses, Method method, Method annotated, Class<?> type, String http, Schemas schemas) {
        Returns[] declared = annotated.getAnnotationsByType(Returns.class);
        if (declared.length == 0 && annotated != method) {
            declared = method.getAnnotationsByType(Returns.class);
        }
        Class<?> returns = annotated.getReturnType();
        if (declared.length > 0) {
            for (Returns r : declared) {
                int status = r.status() != 0
                        ? r.status()
                        : http.equals("POST") && Response.class.isAssignableFrom(returns) ? 201 : 200;
                List<String> types =
                        r.mediaTypes().length > 0 ? List.of(r.mediaTypes()) : mediaTypes(annotated, type, false);
                response(responses, status, r.description(), r.value(), r.etag(), types, schemas);
                if (r.orEmpty()) {
                    orEmpty(responses.path(Integer.toString(status)).path("content"));
                }
            }
            return;
        }
        if (returns == void.class || returns == Void.class) {
            response(responses, 204, "", Void.class, false, List.of(), schemas);
        } else if (Response.class.isAssignableFrom(returns)) {
            // an undescribed Response: its status follows the method's convention, its body is unknown
            int status = http.equals("POST") ? 201 : http.equals("DELETE") ? 204 : 200;
            response(
                    responses,
                    status,
                    "",
                    status == 204 ? Void.class : Object.class,
                    false,
                    mediaTypes(annotated, type, false),
                    schemas);
        } else {
            response(
                    responses,
                    200,
                    "",
                    annotated.getGenericReturnType(),
                    false,
                    mediaTypes(annotated, type, false),
                    schemas);
        }
    }

    private static void response(
            ObjectNode responses,
            int status,
            String description,
            Type entity,
            boolean etag,
            List<String> mediaTypes,
            Schemas schemas) {
        ObjectNode r = responses.putObject(Integer.toString(status));
        r.put("description", description.isBlank() ? STATUS_TEXT.getOrDefault(status, "Success") : description);
        ObjectNode headers = F.objectNode();
        if (status == 201 || status == 202 || status == 303) {
            headers.putObject("Location")
                    .put("description", status == 303 ? "Where to fetch the content" : "The resource's URL")
                    .putObject("schema")
                    .put("type", "string")
                    .put("format", "uri");
        }
        if (status == 201 || etag) {
            headers.putObject("ETag")
                    .put("description", "The resource's version, for If-Match")
                    .putObject("schema")
                    .put("type", "string");
        }
        if (!headers.isEmpty()) {
            r.set("headers", headers);
        }
        if (entity == Void.class || entity == void.class || status == 204 || status == 303) {
            return;
        }
        boolean binary = isBinary(entity);
        ObjectNode schema = binary ? binary() : entity == Object.class ? F.objectNode() : schemas.schema(entity);
        ObjectNode content = r.putObject("content");
        for (String mt : mediaTypes) {
            content.putObject(binary ? concrete(mt) : mt).set("schema", schema);
        }
    }

    /** Whether the JAX-RS template names {@code variable} with a regular expression that lets it span segments. */
    static boolean multiSegment(Class<?> type, Method annotated, String variable) {
        javax.ws.rs.Path methodPath = annotated.getAnnotation(javax.ws.rs.Path.class);
        String raw = JaxrsAnnotations.classPath(type) + "/" + (methodPath == null ? "" : methodPath.value());
        Matcher m = Pattern.compile("\\{\\s*" + Pattern.quote(variable) + "\\s*:([^}]*)}")
                .matcher(raw);
        if (!m.find()) {
            return false;
        }
        String regex = m.group(1).trim();
        return regex.contains("/") || regex.equals(".+") || regex.equals(".*");
    }

    /** Declares an error response, unless the operation documents that status itself ({@link Returns}). */
    private static void error(ObjectNode responses, String status, String name) {
        if (!responses.has(status)) {
            responses.set(status, ref(name));
        }
    }

    /** Each media type's schema becomes {@code anyOf} itself and an empty object. */
    private static void orEmpty(JsonNode content) {
        content.forEach(mediaType -> {
            ObjectNode m = (ObjectNode) mediaType;
            ObjectNode either = F.objectNode();
            ArrayNode any = either.putArray("anyOf");
            any.add(m.get("schema"));
            any.addObject().put("type", "object").put("maxProperties", 0).put("description", "Nothing to announce");
            m.set("schema", either);
        });
    }

    /** Whether a body of this Java type is raw bytes rather than JSON. */
    static boolean isBinary(Type type) {
        return type instanceof Class<?> c
                && (c == byte[].class
                        || InputStream.class.isAssignableFrom(c)
                        || StreamingOutput.class.isAssignableFrom(c)
                        || File.class.isAssignableFrom(c)
                        || java.nio.file.Path.class.isAssignableFrom(c));
    }

    private static ObjectNode binary() {
        return F.objectNode().put("type", "string").put("format", "binary");
    }

    /** A wildcard media type of a binary body is documented as {@code application/octet-stream}. */
    private static String concrete(String mediaType) {
        return mediaType.contains("*") ? MediaType.APPLICATION_OCTET_STREAM : mediaType;
    }

    private static <A extends Annotation> A annotation(Method method, Method annotated, Class<A> kind) {
        A a = annotated.getAnnotation(kind);
        return a == null && annotated != method ? method.getAnnotation(kind) : a;
    }

    /** The schema of a parameter described by {@link Param}. */
    static ObjectNode paramSchema(Param param, ObjectNode declared) {
        ObjectNode s = F.objectNode();
        switch (param.kind()) {
            case ID -> s.put("type", "integer").put("format", "int64").put("minimum", 1);
            case INTEGER -> s.put("type", "integer").put("format", "int64");
            case BOOLEAN -> s.put("type", "boolean");
            case DATE -> s.put("type", "string").put("format", "date");
            case DATE_TIME -> s.put("type", "string").put("format", "date-time");
            case UUID -> s.put("type", "string").put("format", "uuid");
            case TEXT -> {
                if (!declared.isEmpty() && !declared.path("type").asText().equals("string")) {
                    return declared;
                }
                s.put("type", "string");
                if (param.allowed().length > 0 && !param.list()) {
                    ArrayNode values = s.putArray("enum");
                    for (String v : param.allowed()) {
                        values.add(v);
                    }
                } else if (param.allowed().length > 0) {
                    String one = "(" + String.join("|", param.allowed()).replace(".", "\\.") + ")";
                    s.put("pattern", "^" + one + "(," + one + ")*$");
                }
            }
        }
        return s;
    }

    /** The responses in status order. */
    private static void sortResponses(ObjectNode responses) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        responses.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        responses.removeAll();
        sorted.forEach(responses::set);
    }

    private static List<String> mediaTypes(Method method, Class<?> type, boolean consumes) {
        String[] values = null;
        if (consumes) {
            Consumes c = method.getAnnotation(Consumes.class);
            if (c == null) {
                c = classAnnotation(type, Consumes.class);
            }
            values = c == null ? null : c.value();
        } else {
            Produces p = method.getAnnotation(Produces.class);
            if (p == null) {
                p = classAnnotation(type, Produces.class);
            }
            values = p == null ? null : p.value();
        }
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        if (out.isEmpty()) {
            out.add(MediaType.APPLICATION_JSON);
        }
        return out;
    }

    private static <A extends Annotation> A classAnnotation(Class<?> type, Class<A> annotation) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            A a = c.getAnnotation(annotation);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private static String tag(Class<?> type) {
        String path = JaxrsAnnotations.classPath(type);
        if (path != null) {
            for (String segment : path.split("/")) {
                if (!segment.isBlank() && !segment.startsWith("{")) {
                    int dot = segment.indexOf('.');
                    return dot > 0 ? segment.substring(0, dot) : segment;
                }
            }
        }
        return type.getSimpleName().replaceAll("Resource$", "").toLowerCase(Locale.ROOT);
    }

    private static String uniqueId(String base, Set<String> ids) {
        String id = base;
        for (int i = 2; !ids.add(id); i++) {
            id = base + "_" + i;
        }
        return id;
    }

    /** {@code listContentTypes} -> {@code List content types}. */
    static String humanize(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private static ObjectNode ref(String response) {
        return F.objectNode().put("$ref", "#/components/responses/" + response);
    }

    private static void defineProblem(Schemas schemas) {
        ObjectNode fieldError = F.objectNode().put("type", "object");
        ObjectNode fp = fieldError.putObject("properties");
        fp.putObject("field").put("type", "string").put("description", "JSON path or parameter name");
        fp.putObject("message").put("type", "string");
        fieldError.putArray("required").add("field").add("message");
        schemas.define("FieldError", fieldError);

        ObjectNode problem = F.objectNode().put("type", "object");
        problem.put("description", "An RFC 9457 problem document; modules add members (such as a maintenance phase)");
        ObjectNode pp = problem.putObject("properties");
        pp.putObject("type").put("type", "string").put("example", "urn:karyo:problem:validation");
        pp.putObject("title").put("type", "string");
        pp.putObject("status").put("type", "integer").put("format", "int32");
        pp.putObject("detail").put("type", "string");
        pp.putObject("instance").put("type", "string").put("description", "The request path");
        pp.putObject("request_id").put("type", "string");
        ObjectNode errors = pp.putObject("errors");
        errors.put("type", "array");
        errors.putObject("items").put("$ref", "#/components/schemas/FieldError");
        pp.putObject("incident").put("type", "string").put("description", "Set on 500 errors; quote it when reporting");
        problem.putArray("required").add("type").add("title").add("status");
        problem.put("additionalProperties", true);
        schemas.define("Problem", problem);
    }

    /** The error statuses an operation may declare, by the name of their shared response. */
    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(400, "BadRequest"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "NotFound"),
            Map.entry(406, "NotAcceptable"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"),
            Map.entry(412, "PreconditionFailed"),
            Map.entry(413, "PayloadTooLarge"),
            Map.entry(415, "UnsupportedMediaType"),
            Map.entry(416, "RangeNotSatisfiable"),
            Map.entry(422, "UnprocessableContent"),
            Map.entry(429, "TooManyRequests"),
            Map.entry(503, "ServiceUnavailable"));

    private static final Map<Integer, String> STATUS_TEXT = Map.of(
            200, "OK",
            201, "Created",
            202, "Accepted: the work goes on as a job",
            204, "No content",
            206, "Partial content",
            303, "See Other: fetch the content at Location");

    private static ObjectNode problemResponses() {
        ObjectNode r = F.objectNode();
        problemResponse(r, "BadRequest", "Invalid input: the problem's errors name the fields", null);
        problemResponse(r, "Unauthorized", "The caller is not authenticated", "WWW-Authenticate");
        problemResponse(r, "Forbidden", "The caller lacks the right, or the operation declares none", null);
        problemResponse(r, "NotFound", "No such resource", null);
        problemResponse(r, "NotAcceptable", "None of the accepted media types can be produced", null);
        problemResponse(r, "Conflict", "The request conflicts with the current state (a duplicate, a state)", null);
        problemResponse(r, "Gone", "The resource existed and is no longer available", null);
        problemResponse(r, "PreconditionFailed", "If-Match names a stale version", null);
        problemResponse(r, "PayloadTooLarge", "The request body is too large", null);
        problemResponse(r, "UnsupportedMediaType", "The request body's media type is not accepted", null);
        problemResponse(r, "RangeNotSatisfiable", "The requested range lies outside the content", null);
        problemResponse(r, "UnprocessableContent", "Well-formed input that cannot be processed", null);
        problemResponse(r, "TooManyRequests", "Too many attempts; see Retry-After", "Retry-After");
        problemResponse(
                r, "ServiceUnavailable", "Maintenance or a module that is not ready; see Retry-After", "Retry-After");
        return r;
    }

    private static void problemResponse(ObjectNode responses, String name, String description, String header) {
        ObjectNode r = responses.putObject(name);
        r.put("description", description);
        if ("Retry-After".equals(header)) {
            r.putObject("headers")
                    .putObject("Retry-After")
                    .put("description", "Seconds until a retry may succeed")
                    .putObject("schema")
                    .put("type", "integer");
        } else if (header != null) {
            r.putObject("headers")
                    .putObject(header)
                    .put(
                            "description",
                            "The authentication scheme (Bearer), with error=\"invalid_token\" when a "
                                    + "token was sent and refused")
                    .putObject("schema")
                    .put("type", "string");
        }
        r.putObject("content")
                .putObject(Karyo.PROBLEM_JSON)
                .putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
    }

    /** Query parameters every module decodes the same way (through {@code QueryParams}/{@code PageRequest}). */
    private static final java.util.Set<String> BOOLEAN_PARAMETERS =
            java.util.Set.of("active", "is_active", "manual_only", "with_access");

    /**
     * The type a client sends for a query parameter that the resource takes as text to decode it itself: the paging
     * parameters are integers and the platform's flags booleans, whatever the Java parameter's type. Any other text
     * parameter stays a string.
     */
    static ObjectNode wireType(String name, ObjectNode schema, ObjectNode parameter) {
        switch (name) {
            case "limit" -> {
                parameter.put("description", "The largest number of results to return (default 20)");
                return F.objectNode()
                        .put("type", "integer")
                        .put("format", "int32")
                        .put("minimum", 1);
            }
            case "offset" -> {
                parameter.put("description", "How many results to skip");
                return F.objectNode()
                        .put("type", "integer")
                        .put("format", "int32")
                        .put("minimum", 0);
            }
            default -> {
                if (BOOLEAN_PARAMETERS.contains(name) || name.startsWith("right_")) {
                    return F.objectNode().put("type", "boolean");
                }
                return schema;
            }
        }
    }
}
