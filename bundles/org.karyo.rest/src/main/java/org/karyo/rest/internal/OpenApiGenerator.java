package org.karyo.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.karyo.api.security.Declarations;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Returns;

/**
 * Generates the OpenAPI 3 document of a set of JAX-RS resource classes by reflection over their annotations: paths,
 * operations, parameters, request and response schemas, problem responses, and each method's declared right as
 * {@code x-karyo-right} (or {@code x-karyo-public}).
 */
final class OpenApiGenerator {
    static final String TITLE = "Karyo API";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> IF_MATCH_METHODS = Set.of("PUT", "PATCH", "DELETE");

    private final ObjectMapper mapper;

    OpenApiGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The document of {@code resources} (order does not matter: the output is sorted). */
    ObjectNode generate(Collection<Class<?>> resources, String version) {
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
        info.put(
                "description",
                "The REST API of this Karyo installation, as installed right now. Errors are RFC 9457 "
                        + "problem documents (application/problem+json). x-karyo-right names the right an operation needs.");
        ObjectNode pathsNode = root.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode components = root.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.components().forEach(schemaNode::set);
        components.set("responses", problemResponses());
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
        op.put("summary", humanize(method.getName()));
        op.put("operationId", uniqueId(type.getSimpleName() + "_" + method.getName(), ids));

        Optional<Declarations.Need> need;
        try {
            need = Declarations.of(method);
        } catch (IllegalStateException e) {
            need = Optional.empty();
        }
        if (need.isPresent() && need.get() instanceof Declarations.RightNeed right) {
            op.put("description", "Requires the right `" + right.right() + "`.");
            op.put("x-karyo-right", right.right());
        } else if (need.isPresent() && need.get() instanceof Declarations.AuthenticatedNeed) {
            op.put("description", "Requires an authenticated caller (no particular right).");
            op.put("x-karyo-authenticated", true);
        } else if (need.isPresent()) {
            op.put("description", "Public: anyone may call it.");
            op.put("x-karyo-public", true);
        } else {
            op.put("description", "Refused: this operation declares no access rule.");
            op.put("x-karyo-undeclared", true);
        }

        ArrayNode parameters = F.arrayNode();
        Set<String> pathParams = new HashSet<>();
        boolean ifMatchDeclared = false;
        boolean hasParams = false;
        Type bodyType = null;
        Type[] types = annotated.getGenericParameterTypes();
        Annotation[][] annotations = annotated.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            Annotation[] anns = annotations[i];
            String in = null;
            String name = null;
            String dflt = null;
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
                } else if (a instanceof Context
                        || a instanceof BeanParam
                        || a instanceof FormParam
                        || a instanceof MatrixParam
                        || a instanceof Suspended) {
                    skip = true;
                }
            }
            if (in != null) {
                hasParams = true;
                ObjectNode p = parameters.addObject();
                p.put("name", name);
                p.put("in", in);
                if (in.equals("path")) {
                    p.put("required", true);
                    pathParams.add(name);
                }
                if (in.equals("header") && name.equalsIgnoreCase("If-Match")) {
                    ifMatchDeclared = true;
                }
                ObjectNode schema = schemas.schema(types[i]).deepCopy();
                if (in.equals("query") && types[i] == String.class) {
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
                hasParams = true;
                ObjectNode p = parameters.addObject();
                p.put("name", m.group(1)).put("in", "path").put("required", true);
                p.putObject("schema").put("type", "string");
            }
        }
        if (IF_MATCH_METHODS.contains(http) && !ifMatchDeclared) {
            ObjectNode p = parameters.addObject();
            p.put("name", "If-Match").put("in", "header").put("required", false);
            p.put("description", "The ETag the client last read; a stale one is refused with 412");
            p.putObject("schema").put("type", "string");
        }
        if (!parameters.isEmpty()) {
            op.set("parameters", parameters);
        }
        if (bodyType != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", true);
            ObjectNode content = body.putObject("content");
            ObjectNode schema = schemas.schema(bodyType);
            for (String mt : mediaTypes(annotated, type, true)) {
                content.putObject(mt).set("schema", schema);
            }
        }

        ObjectNode responses = op.putObject("responses");
        success(responses, method, annotated, type, http, schemas);
        if (bodyType != null || hasParams) {
            responses.set("400", ref("BadRequest"));
        }
        if (need.isPresent() && !(need.get() instanceof Declarations.PublicNeed)) {
            op.putArray("security").addObject().putArray("bearer");
            responses.set("401", ref("Unauthorized"));
            responses.set("403", ref("Forbidden"));
        } else if (need.isEmpty()) {
            responses.set("403", ref("Forbidden"));
        }
        if (!pathParams.isEmpty()) {
            responses.set("404", ref("NotFound"));
        }
        if (IF_MATCH_METHODS.contains(http)) {
            responses.set("412", ref("PreconditionFailed"));
        }
        if (bodyType != null) {
            responses.set("413", ref("PayloadTooLarge"));
            responses.set("415", ref("UnsupportedMediaType"));
        }
        responses.set("503", ref("ServiceUnavailable"));
        responses.set("default", ref("Error"));
        return op;
    }

    private void success(
            ObjectNode responses, Method method, Method annotated, Class<?> type, String http, Schemas schemas) {
        Class<?> returns = annotated.getReturnType();
        if (returns == void.class || returns == Void.class) {
            responses.putObject("204").put("description", "No content");
            return;
        }
        if (Response.class.isAssignableFrom(returns)) {
            Returns hint = annotated.getAnnotation(Returns.class);
            if (hint == null && annotated != method) {
                hint = method.getAnnotation(Returns.class);
            }
            ObjectNode schema = hint == null ? F.objectNode() : schemas.schema(hint.value());
            if (http.equals("POST")) {
                ObjectNode created = responses.putObject("201");
                created.put("description", "Created");
                ObjectNode headers = created.putObject("headers");
                headers.putObject("Location")
                        .put("description", "The new resource's URL")
                        .putObject("schema")
                        .put("type", "string")
                        .put("format", "uri");
                headers.putObject("ETag")
                        .put("description", "The new resource's version")
                        .putObject("schema")
                        .put("type", "string");
                ObjectNode content = created.putObject("content");
                for (String mt : mediaTypes(annotated, type, false)) {
                    content.putObject(mt).set("schema", schema);
                }
            } else if (http.equals("DELETE") && hint == null) {
                responses.putObject("204").put("description", "No content");
            } else {
                ObjectNode ok = responses.putObject("200");
                ok.put("description", "OK");
                ObjectNode content = ok.putObject("content");
                for (String mt : mediaTypes(annotated, type, false)) {
                    content.putObject(mt).set("schema", schema);
                }
            }
            return;
        }
        ObjectNode ok = responses.putObject("200");
        ok.put("description", "OK");
        ObjectNode content = ok.putObject("content");
        ObjectNode schema = schemas.schema(annotated.getGenericReturnType());
        for (String mt : mediaTypes(annotated, type, false)) {
            content.putObject(mt).set("schema", schema);
        }
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

    private static ObjectNode problemResponses() {
        ObjectNode r = F.objectNode();
        problemResponse(r, "BadRequest", "Invalid input: the problem's errors name the fields", false);
        problemResponse(r, "Unauthorized", "The caller is not authenticated", false);
        problemResponse(r, "Forbidden", "The caller lacks the right, or the operation declares none", false);
        problemResponse(r, "NotFound", "No such resource", false);
        problemResponse(r, "PreconditionFailed", "If-Match names a stale version", false);
        problemResponse(r, "PayloadTooLarge", "The request body is too large", false);
        problemResponse(r, "UnsupportedMediaType", "The request body's media type is not accepted", false);
        problemResponse(r, "ServiceUnavailable", "Maintenance or a module that is not ready; see Retry-After", true);
        problemResponse(r, "Error", "Any other error", false);
        return r;
    }

    private static void problemResponse(ObjectNode responses, String name, String description, boolean retryAfter) {
        ObjectNode r = responses.putObject(name);
        r.put("description", description);
        if (retryAfter) {
            r.putObject("headers")
                    .putObject("Retry-After")
                    .put("description", "Seconds until a retry may succeed")
                    .putObject("schema")
                    .put("type", "integer");
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
