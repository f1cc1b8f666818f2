package org.karyo.rest.internal.json;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karyo.api.FieldError;

/**
 * An RFC 9457 problem document: {@code type, title, status, detail, instance, request_id, errors} and extension
 * members. Written as a flat JSON object by the platform JSON provider with the media type
 * {@code application/problem+json}.
 */
public final class Problem {
    static final String TYPE_PREFIX = "urn:karyo:problem:";
    private static final Set<String> RESERVED =
            Set.of("type", "title", "status", "detail", "instance", "request_id", "errors");

    private final Map<String, Object> members = new LinkedHashMap<>();

    Problem(String slug, String title, int status, String detail) {
        members.put("type", TYPE_PREFIX + slug);
        members.put("title", title);
        members.put("status", status);
        if (detail != null) {
            members.put("detail", detail);
        }
    }

    /** The members in wire order; what the JSON provider writes. */
    @JsonValue
    Map<String, Object> members() {
        return members;
    }

    String type() {
        return (String) members.get("type");
    }

    int status() {
        return (Integer) members.get("status");
    }

    String detail() {
        return (String) members.get("detail");
    }

    Object get(String member) {
        return members.get(member);
    }

    @SuppressWarnings("unchecked")
    List<FieldError> errors() {
        return (List<FieldError>) members.getOrDefault("errors", List.of());
    }

    Problem errors(List<FieldError> errors) {
        if (errors != null && !errors.isEmpty()) {
            members.put("errors", List.copyOf(errors));
        }
        return this;
    }

    /** Adds an extension member; the standard members cannot be overwritten. */
    Problem with(String member, Object value) {
        if (!RESERVED.contains(member) && value != null) {
            members.put(member, value);
        }
        return this;
    }

    /** Sets {@code instance} (the request path) unless already set. */
    public Problem instanceIfAbsent(String path) {
        if (path != null) {
            members.putIfAbsent("instance", path);
        }
        return this;
    }

    /** Sets {@code request_id} unless already set. */
    public Problem requestIdIfAbsent(String requestId) {
        if (requestId != null) {
            members.putIfAbsent("request_id", requestId);
        }
        return this;
    }

    @Override
    public String toString() {
        return "Problem" + members;
    }
}
