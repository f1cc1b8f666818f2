package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Property;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;

/**
 * Collects every local reference ({@code Type/id}) of a resource: each Reference element at any depth, in extensions
 * and in contained resources (not in other nested resources such as {@code Bundle.entry.resource}).
 */
final class ReferenceWalker {
    private record ChildPlan(String name, BaseRuntimeChildDefinition.IAccessor accessor, boolean contained) {}

    private static final ChildPlan[] NO_PLAN = new ChildPlan[0];

    private final FhirContext fhir;
    private final ClassValue<ChildPlan[]> plans = new ClassValue<>() {
        @Override
        protected ChildPlan[] computeValue(Class<?> type) {
            return plan(type);
        }
    };

    ReferenceWalker(FhirContext fhir) {
        this.fhir = fhir;
    }

    void collect(Resource resource, Set<String> out) {
        walk(resource, out, 0);
    }

    private void walk(Base element, Set<String> out, int depth) {
        if (depth > 64) {
            return;
        }
        if (element instanceof PrimitiveType<?> p) {
            if (p.hasExtension()) {
                for (Extension e : p.getExtension()) {
                    walk(e, out, depth + 1);
                }
            }
            return;
        }
        if (element instanceof Reference ref) {
            String local = localReference(ref.getReference());
            if (local != null) {
                out.add(local);
            }
        }
        ChildPlan[] plan = plans.get(element.getClass());
        if (plan == null) {
            walkGeneric(element, out, depth);
            return;
        }
        for (ChildPlan c : plan) {
            List<IBase> values = c.accessor().getValues(element);
            if (values == null || values.isEmpty()) {
                continue;
            }
            for (IBase v : values) {
                if (v instanceof Resource && !c.contained()) {
                    continue;
                }
                if (v instanceof Base b && !b.isEmpty()) {
                    walk(b, out, depth + 1);
                }
            }
        }
    }

    /** For a class HAPI's model does not describe: through {@link Base#listChildren}. */
    private void walkGeneric(Base element, Set<String> out, int depth) {
        for (Property p : element.children()) {
            for (Base v : p.getValues()) {
                if (v != null && !(v instanceof Resource)) {
                    walk(v, out, depth + 1);
                }
            }
        }
    }

    private ChildPlan[] plan(Class<?> type) {
        if (!IBase.class.isAssignableFrom(type)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Class<? extends IBase> t = (Class<? extends IBase>) type;
        BaseRuntimeElementDefinition<?> def;
        try {
            def = Resource.class.isAssignableFrom(type)
                    ? fhir.getResourceDefinition(t.asSubclass(Resource.class))
                    : fhir.getElementDefinition(t);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(def instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
            return def == null ? null : NO_PLAN;
        }
        List<BaseRuntimeChildDefinition> children = composite.getChildrenAndExtension();
        ChildPlan[] plan = new ChildPlan[children.size()];
        for (int i = 0; i < plan.length; i++) {
            BaseRuntimeChildDefinition c = children.get(i);
            plan[i] = new ChildPlan(c.getElementName(), c.getAccessor(), "contained".equals(c.getElementName()));
        }
        return plan;
    }

    /**
     * The local form {@code Type/id} of a reference string ({@code Type/id} or {@code Type/id/_history/v}), or null
     * for an absolute, {@code urn:}, contained or malformed reference.
     */
    static String localReference(String r) {
        if (r == null) {
            return null;
        }
        int n = r.length();
        if (n < 3 || !isUpperAscii(r.charAt(0))) {
            return null;
        }
        int slash = -1;
        for (int i = 1; i < n; i++) {
            char c = r.charAt(i);
            if (c == '/') {
                slash = i;
                break;
            }
            if (!isLetterAscii(c)) {
                return null;
            }
        }
        if (slash < 0 || slash == n - 1) {
            return null;
        }
        int end = n;
        int h = r.indexOf("/_history/", slash + 1);
        if (h >= 0) {
            end = h;
        }
        if (end - slash - 1 > 64 || end == slash + 1) {
            return null;
        }
        for (int i = slash + 1; i < end; i++) {
            char c = r.charAt(i);
            if (!(isLetterAscii(c) || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return null;
            }
        }
        return end == n ? r : r.substring(0, end);
    }

    private static boolean isUpperAscii(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLetterAscii(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
