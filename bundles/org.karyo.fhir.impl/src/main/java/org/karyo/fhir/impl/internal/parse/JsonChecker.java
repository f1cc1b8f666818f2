package org.karyo.fhir.impl.internal.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karyo.fhir.impl.internal.parse.JsonTree.Arr;
import org.karyo.fhir.impl.internal.parse.JsonTree.Obj;
import org.karyo.fhir.impl.internal.parse.Shapes.Kind;
import org.karyo.fhir.impl.internal.parse.Shapes.Member;
import org.karyo.fhir.impl.internal.parse.Shapes.Shape;
import org.karyo.fhir.impl.internal.parse.Shapes.Slot;

/**
 * Checks a JSON tree against the R5 definitions before HAPI builds the model, and reports every problem with its
 * FHIRPath location: unknown elements, JSON types (an object where a string is expected, an array for a single
 * element, nested arrays, nulls), primitive formats and codes, narratives, more than one type of a choice element,
 * empty objects, arrays and strings, extensions (a url, a value or nested extensions but not both: ext-1), contained
 * resources (an id, no nesting: dom-2), local references ({@code #id}) that name no contained resource, and every
 * missing element whose minimum cardinality is 1. Recursion follows the JSON tree, whose depth the pre-scan bounded.
 */
final class JsonChecker {
    private final Shapes shapes;
    private final Issues issues;
    private final int maxDepth;

    /** What a resource (with its contained resources) declares and references locally. */
    private static final class Scope {
        final Set<String> containedIds = new HashSet<>();
        final List<Path> refPaths = new ArrayList<>();
        final List<String> refs = new ArrayList<>();
    }

    JsonChecker(Shapes shapes, Issues issues, int maxDepth) {
        this.shapes = shapes;
        this.issues = issues;
        this.maxDepth = maxDepth;
    }

    /**
     * Checks the root resource; returns its resource type, or {@code null} when it has no known one (then only that is
     * reported).
     */
    String checkRoot(Obj root, String expectedType) {
        String fallback = expectedType != null && shapes.isResourceType(expectedType) ? expectedType : "Resource";
        String type = resourceType(root, Path.root(fallback));
        if (type == null) {
            return null;
        }
        Path path = Path.root(type);
        if (expectedType != null && !expectedType.equals(type)) {
            issues.error(Issue.INVALID, path, "Expected resource type " + expectedType + ", found " + type);
        }
        checkResource(root, type, path, null, 1);
        return type;
    }

    /** The resourceType of a resource object at {@code path}, or {@code null} after reporting why there is none. */
    private String resourceType(Obj o, Path path) {
        Object rt = o.get("resourceType");
        if (rt == null) {
            issues.error(Issue.REQUIRED, path, "The resource has no resourceType");
            return null;
        }
        if (!(rt instanceof String s)) {
            issues.error(Issue.STRUCTURE, path, "resourceType must be a string, found " + Primitives.describe(rt));
            return null;
        }
        if (!shapes.isResourceType(s)) {
            issues.error(
                    Issue.NOT_SUPPORTED,
                    path,
                    "Unknown resource type " + Text.quoted(s) + " (FHIR R5 names are case-sensitive)");
            return null;
        }
        return s;
    }

    /**
     * Checks one resource object; {@code container} is the scope of the resource that contains it (for a contained
     * resource), or {@code null} for a resource that stands alone (the root, a Bundle entry).
     */
    private void checkResource(Obj o, String type, Path path, Scope container, int depth) {
        Shape shape = shapes.of(shapes.resource(type));
        Scope scope = container == null ? new Scope() : container;
        checkObject(o, shape, path, scope, true, depth);
        if (container != null) {
            Object id = o.get("id");
            if (id == null) {
                issues.error(Issue.REQUIRED, path.child("id"), "A contained resource must have an id");
            } else if (id instanceof String s) {
                container.containedIds.add(s);
            }
            if (o.has("contained")) {
                issues.error(
                        Issue.INVALID,
                        path.child("contained"),
                        "A contained resource cannot contain other resources (dom-2)");
            }
        } else {
            for (int i = 0; i < scope.refs.size() && !issues.full(); i++) {
                String ref = scope.refs.get(i);
                String id = ref.substring(1);
                if (!id.isEmpty() && !scope.containedIds.contains(id)) {
                    issues.error(
                            Issue.INVALID,
                            scope.refPaths.get(i),
                            "The local reference " + Text.quoted(ref) + " names no contained resource");
                }
            }
        }
    }

    private void checkObject(Obj o, Shape shape, Path path, Scope scope, boolean isResource, int depth) {
        if (issues.full()) {
            return;
        }
        if (depth > maxDepth) { // cannot happen after the pre-scan; keeps the recursion bounded regardless
            issues.fatal(Issue.TOO_COSTLY, path, "Nesting is too deep");
            return;
        }
        if (o.members.isEmpty()) {
            issues.error(Issue.STRUCTURE, path, "An element cannot be an empty object: leave it out instead");
            return;
        }
        Map<Member, String> choices = null;
        for (Map.Entry<String, Object> e : o.members.entrySet()) {
            if (issues.full()) {
                return;
            }
            String key = e.getKey();
            Object value = e.getValue();
            if (isResource && key.equals("resourceType")) {
                continue;
            }
            if (key.startsWith("_")) {
                Slot base = shape.slots.get(key.substring(1));
                if (base == null || base.kind != Kind.PRIMITIVE) {
                    issues.error(
                            Issue.STRUCTURE,
                            path.child(key),
                            base == null
                                    ? "Unknown element " + Text.quoted(key) + " in " + shape.typeName
                                    : "Unknown element " + Text.quoted(key)
                                            + ": only primitive elements have a _ sibling");
                } else if (isSystemString(shape, base)) {
                    // ids and extension urls are plain strings (XML attributes): HAPI would drop their extensions
                    issues.error(
                            Issue.STRUCTURE,
                            path.child(key),
                            "Unknown element " + Text.quoted(key) + ": " + base.jsonName + " cannot have an id or"
                                    + " extensions");
                } else if (!o.has(base.jsonName)) {
                    checkExtensionsOnly(value, base, path, scope, depth);
                }
                continue;
            }
            Slot slot = shape.slots.get(key);
            if (slot == null) {
                unknown(path, key, shape);
                continue;
            }
            if (slot.member.choice) {
                if (choices == null) {
                    choices = new IdentityHashMap<>();
                }
                String other = choices.putIfAbsent(slot.member, key);
                if (other != null) {
                    issues.error(
                            Issue.STRUCTURE,
                            path.child(slot.member.name),
                            "Only one type of " + slot.member.display() + " is allowed, found " + other + " and "
                                    + key);
                    continue;
                }
            }
            Object ext = slot.kind == Kind.PRIMITIVE && !isSystemString(shape, slot) ? o.get("_" + key) : null;
            checkMember(value, ext, slot, path, scope, depth);
        }
        for (Member m : shape.required) {
            if (!present(o, m, shape)) {
                issues.error(
                        Issue.REQUIRED,
                        path.child(m.name),
                        "Required element " + m.display() + " is missing" + " (minimum cardinality " + m.min + ")");
            }
        }
        if ("Extension".equals(shape.typeName)) {
            checkExtensionRule(o, shape, path);
        } else if ("Reference".equals(shape.typeName)
                && o.get("reference") instanceof String ref
                && ref.startsWith("#")) {
            scope.refs.add(ref);
            scope.refPaths.add(path.child("reference"));
        }
    }

    /** {@code Resource.id}, {@code Element.id} and {@code Extension.url}: FHIRPath System.String, no extensions. */
    private static boolean isSystemString(Shape shape, Slot slot) {
        return slot.jsonName.equals("id") || (slot.jsonName.equals("url") && "Extension".equals(shape.typeName));
    }

    private static boolean present(Obj o, Member m, Shape shape) {
        for (Slot s : m.slots) {
            if (o.has(s.jsonName)
                    || (s.kind == Kind.PRIMITIVE && !isSystemString(shape, s) && o.has("_" + s.jsonName))) {
                return true;
            }
        }
        return false;
    }

    /** ext-1: an extension has either a value or nested extensions, not both and not neither. */
    private void checkExtensionRule(Obj o, Shape shape, Path path) {
        boolean value = false;
        for (String key : o.members.keySet()) {
            Slot s = shape.slots.get(key.startsWith("_") ? key.substring(1) : key);
            if (s != null && s.member.choice) {
                value = true;
                break;
            }
        }
        boolean nested = o.has("extension");
        if (value && nested) {
            issues.error(Issue.INVALID, path, "An extension cannot have both a value and nested extensions (ext-1)");
        } else if (!value && !nested) {
            issues.error(Issue.INVALID, path, "An extension must have a value or nested extensions (ext-1)");
        }
    }

    private void unknown(Path path, String key, Shape shape) {
        String why = key.equals("resourceType")
                ? "resourceType is only allowed at the top of a resource"
                : "Unknown element " + Text.quoted(key) + " in " + shape.typeName;
        issues.error(Issue.STRUCTURE, path.child(key), why);
    }

    /** One member's JSON value (and its {@code _name} sibling for a primitive). */
    private void checkMember(Object value, Object ext, Slot slot, Path parent, Scope scope, int depth) {
        Path path = parent.child(slot.step);
        Member m = slot.member;
        if (!m.repeating()) {
            if (value instanceof Arr) {
                issues.error(
                        Issue.STRUCTURE,
                        path,
                        m.display() + " is a single element: expected " + expected(slot) + ", found an array");
                return;
            }
            if (value == JsonTree.NULL) {
                // null only stands in arrays; a single primitive with only extensions has its _name alone
                issues.error(Issue.STRUCTURE, path, "null is not allowed here: leave the element out instead");
                return;
            }
            checkSingle(value, slot, path, scope, depth);
            if (ext != null) {
                checkPrimitiveExtension(ext, path, scope, depth);
            }
            return;
        }
        if (!(value instanceof Arr arr)) {
            issues.error(
                    Issue.STRUCTURE,
                    path,
                    m.display() + " repeats: expected an array, found " + Primitives.describe(value));
            return;
        }
        if (arr.items.isEmpty()) {
            issues.error(Issue.STRUCTURE, path, "An array cannot be empty: leave the element out instead");
            return;
        }
        List<Object> exts = null;
        if (ext != null) {
            if (!(ext instanceof Arr extArr)) {
                issues.error(
                        Issue.STRUCTURE,
                        parent.child("_" + slot.jsonName),
                        "Expected an array (like " + slot.jsonName + "), found " + Primitives.describe(ext));
            } else if (extArr.items.size() != arr.items.size()) {
                issues.error(
                        Issue.STRUCTURE,
                        parent.child("_" + slot.jsonName),
                        "_" + slot.jsonName + " has "
                                + extArr.items.size() + " items but " + slot.jsonName + " has " + arr.items.size()
                                + ": they must line up");
            } else {
                exts = extArr.items;
            }
        }
        for (int i = 0; i < arr.items.size() && !issues.full(); i++) {
            Object item = arr.items.get(i);
            Object itemExt = exts == null ? null : exts.get(i);
            Path p = path.index(i);
            if (item instanceof Arr) {
                issues.error(Issue.STRUCTURE, p, "Arrays cannot be nested");
            } else if (item == JsonTree.NULL) {
                if (slot.kind == Kind.PRIMITIVE && itemExt instanceof Obj) {
                    checkPrimitiveExtension(itemExt, p, scope, depth);
                } else {
                    issues.error(
                            Issue.STRUCTURE,
                            p,
                            slot.kind == Kind.PRIMITIVE
                                    ? "null is only allowed where _" + slot.jsonName
                                            + " has an object at the same index"
                                    : "null is not allowed in an array");
                }
            } else {
                checkSingle(item, slot, p, scope, depth);
                if (itemExt != null && itemExt != JsonTree.NULL) {
                    checkPrimitiveExtension(itemExt, p, scope, depth);
                }
            }
        }
    }

    /** A primitive given only by its {@code _name} (an id and extensions, no value). */
    private void checkExtensionsOnly(Object ext, Slot slot, Path parent, Scope scope, int depth) {
        Path path = parent.child(slot.step);
        if (!slot.member.repeating()) {
            checkPrimitiveExtension(ext, path, scope, depth);
            return;
        }
        if (!(ext instanceof Arr arr) || arr.items.isEmpty()) {
            issues.error(
                    Issue.STRUCTURE,
                    parent.child("_" + slot.jsonName),
                    "Expected a non-empty array, found " + Primitives.describe(ext));
            return;
        }
        for (int i = 0; i < arr.items.size() && !issues.full(); i++) {
            Object item = arr.items.get(i);
            if (item == JsonTree.NULL) {
                issues.error(Issue.STRUCTURE, path.index(i), "The element has neither a value nor extensions");
            } else {
                checkPrimitiveExtension(item, path.index(i), scope, depth);
            }
        }
    }

    /** The object of a {@code _name}: an element id and extensions. */
    private void checkPrimitiveExtension(Object ext, Path path, Scope scope, int depth) {
        if (!(ext instanceof Obj o)) {
            issues.error(
                    Issue.STRUCTURE,
                    path,
                    "The id and extensions of a primitive must be a JSON object, found " + Primitives.describe(ext));
            return;
        }
        if (o.members.isEmpty()) {
            issues.error(Issue.STRUCTURE, path, "An element cannot be an empty object: leave it out instead");
            return;
        }
        for (Map.Entry<String, Object> e : o.members.entrySet()) {
            switch (e.getKey()) {
                case "id" -> {
                    Primitives.Problem p = Primitives.check(e.getValue(), Primitives.Type.STRING, null);
                    if (p != null) {
                        issues.error(p.code(), path.child("id"), p.message());
                    }
                }
                case "extension" -> checkMember(e.getValue(), null, extensionSlot(), path, scope, depth + 1);
                default -> issues.error(
                        Issue.STRUCTURE,
                        path.child(e.getKey()),
                        "Unknown element " + Text.quoted(e.getKey())
                                + " on a primitive: only id and extension are allowed");
            }
        }
    }

    /** The {@code extension} slot of Element (taken from Extension's own shape, which has one). */
    private Slot extensionSlot() {
        return shapes.of(shapes.extensionDefinition()).slots.get("extension");
    }

    private void checkSingle(Object value, Slot slot, Path path, Scope scope, int depth) {
        switch (slot.kind) {
            case PRIMITIVE -> {
                Primitives.Problem p = Primitives.check(value, slot.primitive, slot.codes);
                if (p != null) {
                    issues.error(p.code(), path, p.message());
                }
            }
            case XHTML -> {
                if (!(value instanceof String s)) {
                    issues.error(
                            Issue.STRUCTURE,
                            path,
                            "Expected the XHTML narrative as a JSON string, found " + Primitives.describe(value));
                } else {
                    Primitives.Problem p = Xhtml.check(s, maxDepth);
                    if (p != null) {
                        issues.error(p.code(), path, p.message());
                    }
                }
            }
            case COMPOSITE -> {
                if (value instanceof Obj o) {
                    checkObject(o, shapes.of(slot.composite), path, scope, false, depth + 1);
                } else {
                    issues.error(
                            Issue.STRUCTURE,
                            path,
                            "Expected a JSON object (" + slot.typeName + "), found " + Primitives.describe(value));
                }
            }
            case RESOURCE, CONTAINED -> {
                if (!(value instanceof Obj o)) {
                    issues.error(
                            Issue.STRUCTURE,
                            path,
                            "Expected a resource (a JSON object), found " + Primitives.describe(value));
                    return;
                }
                String type = resourceType(o, path);
                if (type != null) {
                    checkResource(o, type, path, slot.kind == Kind.CONTAINED ? scope : null, depth + 1);
                }
            }
        }
    }

    private static String expected(Slot slot) {
        return switch (slot.kind) {
            case PRIMITIVE -> slot.primitive.json.description;
            case XHTML -> "a JSON string";
            case COMPOSITE, RESOURCE, CONTAINED -> "a JSON object";
        };
    }
}
