package org.karyo.rest.internal.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.karyo.api.json.AllowedValues;
import org.karyo.api.json.Nullable;

/**
 * JSON schemas of Java types as the platform JSON provider writes them: records and other beans become one
 * {@code components/schemas} entry each (generic ones per instantiation, {@code PageOfContent}), with snake_case
 * property names; enums, collections, maps, {@code Optional}s and {@code java.time} types are inlined. Every property
 * is {@code required} and not null, but those marked {@link Nullable} and {@code Optional}s: they are
 * {@code nullable} and may be absent.
 */
final class Schemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final Set<Class<?>> OPTIONAL_SCALARS =
            Set.of(OptionalInt.class, OptionalLong.class, OptionalDouble.class);

    private final ObjectMapper mapper;
    private final Map<String, ObjectNode> components = new TreeMap<>();
    private final Map<JavaType, String> names = new HashMap<>();

    Schemas(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The schemas collected so far, by name. */
    Map<String, ObjectNode> components() {
        return components;
    }

    /** Adds a hand-written schema under {@code name}. */
    void define(String name, ObjectNode schema) {
        components.put(name, schema);
    }

    ObjectNode schema(Type type) {
        return schema(mapper.constructType(type));
    }

    ObjectNode schema(JavaType t) {
        Class<?> raw = t.getRawClass();
        ObjectNode scalar = scalar(raw);
        if (scalar != null) {
            return scalar;
        }
        if (t.isReferenceType()) {
            return nullable(schema(t.getReferencedType()));
        }
        if (raw == byte[].class) {
            return F.objectNode().put("type", "string").put("format", "byte");
        }
        if (t.isArrayType() || t.isCollectionLikeType()) {
            ObjectNode s = F.objectNode().put("type", "array");
            s.set("items", schema(t.getContentType()));
            if (Set.class.isAssignableFrom(raw)) {
                s.put("uniqueItems", true);
            }
            return s;
        }
        if (t.isMapLikeType()) {
            ObjectNode s = F.objectNode().put("type", "object");
            s.set("additionalProperties", schema(t.getContentType()));
            return s;
        }
        if (raw.isEnum()) {
            ObjectNode s = F.objectNode().put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Object c : raw.getEnumConstants()) {
                values.add(((Enum<?>) c).name());
            }
            return s;
        }
        if (raw == Object.class
                || JsonNode.class.isAssignableFrom(raw)
                || raw.isInterface()
                || raw.getName().startsWith("java.")
                || raw.getName().startsWith("javax.")
                || raw.isPrimitive()) {
            return F.objectNode(); // any value
        }
        return ref(t);
    }

    private static ObjectNode scalar(Class<?> raw) {
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return F.objectNode().put("type", "string");
        }
        if (raw == int.class
                || raw == Integer.class
                || raw == short.class
                || raw == Short.class
                || raw == byte.class
                || raw == Byte.class
                || raw == OptionalInt.class) {
            return F.objectNode().put("type", "integer").put("format", "int32");
        }
        if (raw == long.class || raw == Long.class || raw == OptionalLong.class) {
            return F.objectNode().put("type", "integer").put("format", "int64");
        }
        if (raw == BigInteger.class) {
            return F.objectNode().put("type", "integer");
        }
        if (raw == double.class || raw == Double.class || raw == OptionalDouble.class) {
            return F.objectNode().put("type", "number").put("format", "double");
        }
        if (raw == float.class || raw == Float.class) {
            return F.objectNode().put("type", "number").put("format", "float");
        }
        if (raw == BigDecimal.class) {
            return F.objectNode().put("type", "number");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            return F.objectNode().put("type", "string").put("format", "date-time");
        }
        if (raw == LocalDate.class) {
            return F.objectNode().put("type", "string").put("format", "date");
        }
        if (raw == LocalDateTime.class) {
            return F.objectNode().put("type", "string").put("format", "local-date-time");
        }
        if (raw == LocalTime.class) {
            return F.objectNode().put("type", "string").put("format", "time");
        }
        if (raw == Duration.class) {
            return F.objectNode().put("type", "string").put("format", "duration");
        }
        if (raw == UUID.class) {
            return F.objectNode().put("type", "string").put("format", "uuid");
        }
        if (raw == URI.class || raw == URL.class) {
            return F.objectNode().put("type", "string").put("format", "uri");
        }
        return null;
    }

    private ObjectNode ref(JavaType t) {
        String name = names.get(t);
        if (name == null) {
            name = uniqueName(t);
            names.put(t, name);
            ObjectNode s = F.objectNode();
            components.put(name, s); // before the properties: a type may refer to itself
            describe(t, s);
        }
        return F.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private void describe(JavaType t, ObjectNode s) {
        s.put("type", "object");
        BeanDescription bean = mapper.getSerializationConfig().introspect(t);
        List<BeanPropertyDefinition> props = new ArrayList<>(bean.findProperties());
        Class<?> raw = t.getRawClass();
        if (raw.isRecord()) {
            List<String> order = Arrays.stream(raw.getRecordComponents())
                    .map(RecordComponent::getName)
                    .toList();
            props.sort(Comparator.comparingInt(p -> {
                int i = order.indexOf(p.getInternalName());
                return i < 0 ? Integer.MAX_VALUE : i;
            }));
        }
        ObjectNode properties = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (BeanPropertyDefinition p : props) {
            if (!p.couldSerialize()) {
                continue;
            }
            JavaType type = p.getPrimaryType();
            ObjectNode schema = schema(type);
            if (type.isReferenceType() || OPTIONAL_SCALARS.contains(type.getRawClass()) || nullable(raw, p)) {
                if (!schema.path("nullable").asBoolean(false)) {
                    schema = nullable(schema);
                }
            } else {
                required.add(p.getName());
            }
            AllowedValues allowed = annotation(raw, p, AllowedValues.class);
            if (allowed != null) {
                schema = restrict(schema, allowed.value(), t, p.getName());
            }
            properties.set(p.getName(), schema);
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
    }

    /** Whether the property is marked {@link Nullable} (on its record component, field, accessor or creator). */
    private static boolean nullable(Class<?> owner, BeanPropertyDefinition p) {
        return annotation(owner, p, Nullable.class) != null;
    }

    /** The annotation on the property's record component, field, accessor, setter or creator parameter, or null. */
    private static <A extends Annotation> A annotation(Class<?> owner, BeanPropertyDefinition p, Class<A> type) {
        if (owner.isRecord()) {
            for (RecordComponent c : owner.getRecordComponents()) {
                if (c.getName().equals(p.getInternalName()) && c.isAnnotationPresent(type)) {
                    return c.getAnnotation(type);
                }
            }
        }
        for (AnnotatedMember m :
                new AnnotatedMember[] {p.getField(), p.getGetter(), p.getSetter(), p.getConstructorParameter()}) {
            if (m != null && m.hasAnnotation(type)) {
                return m.getAnnotation(type);
            }
        }
        return null;
    }

    /** An enum schema (or an array of one) listing only {@code values}, which must all be among its constants. */
    private static ObjectNode restrict(ObjectNode schema, String[] values, JavaType owner, String property) {
        ObjectNode copy = schema.deepCopy();
        ObjectNode target =
                copy.has("enum") ? copy : copy.path("items").has("enum") ? (ObjectNode) copy.get("items") : null;
        if (target == null) {
            throw new IllegalStateException(
                    "@AllowedValues on " + owner.getRawClass().getName() + "." + property + ", which is not an enum");
        }
        List<String> constants = new ArrayList<>();
        target.get("enum").forEach(v -> constants.add(v.asText()));
        ArrayNode restricted = target.putArray("enum");
        for (String v : values) {
            if (!constants.contains(v)) {
                throw new IllegalStateException(
                        "@AllowedValues on " + owner.getRawClass().getName() + "." + property + " names " + v
                                + ", which is not one of " + constants);
            }
            restricted.add(v);
        }
        return copy;
    }

    /**
     * {@code schema}, accepting null too. A reference (always to an object schema) is wrapped in an {@code allOf}
     * beside {@code type: object}: OpenAPI 3.0 applies {@code nullable} only to a {@code type} in the same schema.
     */
    private static ObjectNode nullable(ObjectNode schema) {
        if (schema.has("$ref")) {
            ObjectNode wrapped = F.objectNode();
            wrapped.put("type", "object");
            wrapped.putArray("allOf").add(schema);
            wrapped.put("nullable", true);
            return wrapped;
        }
        ObjectNode copy = schema.deepCopy();
        copy.put("nullable", true);
        return copy;
    }

    /**
     * The schema name of {@code t}: its simple name ({@code PageOf} and the names of its type arguments for a generic
     * type); when another type took that name already, prefixed with its module ({@code OmicsJob} for
     * {@code org.karyo.omics.api.Job}).
     */
    private String uniqueName(JavaType t) {
        for (int i = 0; i < t.containedTypeCount(); i++) {
            schema(t.containedType(i)); // names the type arguments first, so that the name below uses theirs
        }
        String base = baseName(t);
        if (!components.containsKey(base)) {
            return base;
        }
        String qualified = module(t.getRawClass()) + base;
        String name = qualified;
        for (int i = 2; components.containsKey(name); i++) {
            name = qualified + i;
        }
        return name;
    }

    private String baseName(JavaType t) {
        String named = names.get(t);
        if (named != null) {
            return named;
        }
        StringBuilder b = new StringBuilder(t.getRawClass().getSimpleName());
        if (t.containedTypeCount() > 0) {
            b.append("Of");
            for (int i = 0; i < t.containedTypeCount(); i++) {
                if (i > 0) {
                    b.append("And");
                }
                b.append(baseName(t.containedType(i)));
            }
        }
        return b.toString().replaceAll("[^A-Za-z0-9_.-]", "");
    }

    /** {@code Omics} for a class of {@code org.karyo.omics.api}; empty outside {@code org.karyo}. */
    private static String module(Class<?> type) {
        String[] parts = type.getPackageName().split("\\.");
        if (parts.length < 3 || !parts[0].equals("org") || !parts[1].equals("karyo")) {
            return "";
        }
        return Character.toUpperCase(parts[2].charAt(0)) + parts[2].substring(1);
    }
}
