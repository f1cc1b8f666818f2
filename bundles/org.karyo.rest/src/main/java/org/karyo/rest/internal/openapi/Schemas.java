package org.karyo.rest.internal.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * JSON schemas of Java types as the platform JSON provider writes them: records and other beans become one
 * {@code components/schemas} entry each (generic ones per instantiation, {@code PageOfContent}), with snake_case
 * property names; enums, collections, maps, {@code Optional}s and {@code java.time} types are inlined.
 */
final class Schemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

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
            ObjectNode inner = schema(t.getReferencedType()).deepCopy();
            if (inner.has("$ref")) {
                ObjectNode wrapped = F.objectNode();
                wrapped.putArray("allOf").add(inner);
                wrapped.put("nullable", true);
                return wrapped;
            }
            inner.put("nullable", true);
            return inner;
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
            properties.set(p.getName(), schema(type));
            if (type.isPrimitive()) {
                required.add(p.getName());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
    }

    private String uniqueName(JavaType t) {
        String base = baseName(t);
        String name = base;
        for (int i = 2; components.containsKey(name); i++) {
            name = base + i;
        }
        return name;
    }

    private static String baseName(JavaType t) {
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
}
