package org.karyo.fhir.impl.internal.parse;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildExtension;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Element;
import org.hl7.fhir.r5.model.Extension;

/**
 * The required-element check on a parsed (or built) resource, which HAPI's parser does not make: walks the resource
 * with HAPI's definitions, into every present complex element, backbone element, extension (also those of
 * primitives), contained resource and Bundle entry resource, and reports every element whose minimum cardinality is 1
 * and that is absent or empty. A primitive with only extensions counts as present. With {@code ids}, resource ids
 * must also be {@code [A-Za-z0-9\-.]{1,64}}.
 */
final class ModelChecker {
    private static final int MAX_DEPTH = 512;

    private final FhirContext ctx;
    private final Shapes shapes;
    private final Issues issues;
    private final boolean ids;

    ModelChecker(Shapes shapes, Issues issues, boolean ids) {
        this.ctx = shapes.context();
        this.shapes = shapes;
        this.issues = issues;
        this.ids = ids;
    }

    void checkResource(IBaseResource r, Path path, int depth) {
        if (ids && r.getIdElement() != null) {
            String id = r.getIdElement().getIdPart();
            if (id != null && id.startsWith("#")) {
                id = id.substring(1);
            }
            if (id != null && !Primitives.isId(id)) {
                issues.error(
                        Issue.VALUE,
                        path.child("id"),
                        "Invalid id " + Text.quoted(id) + ": 1 to 64 of A-Z, a-z, 0-9, '-' and '.' are allowed");
            }
        }
        walk(r, ctx.getResourceDefinition(r), path, depth);
    }

    private void walk(IBase element, BaseRuntimeElementCompositeDefinition<?> def, Path path, int depth) {
        if (issues.full()) {
            return;
        }
        if (depth > MAX_DEPTH) {
            issues.fatal(Issue.TOO_COSTLY, path, "The resource nests elements deeper than " + MAX_DEPTH + " levels");
            return;
        }
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            List<IBase> values = child.getAccessor().getValues(element);
            boolean present = false;
            for (int i = 0; i < values.size(); i++) {
                IBase v = values.get(i);
                if (v == null || v.isEmpty()) {
                    continue;
                }
                present = true;
                visit(v, child, path, child.getMax() != 1 ? i : -1, depth);
            }
            if (!present && child.getMin() > 0) {
                boolean choice =
                        child instanceof RuntimeChildChoiceDefinition && !(child instanceof RuntimeChildExtension);
                String name = child.getElementName();
                issues.error(
                        Issue.REQUIRED,
                        path.child(name),
                        "Required element " + (choice ? name + "[x]" : name) + " is missing (minimum cardinality "
                                + child.getMin() + ")");
            }
        }
    }

    private void visit(IBase v, BaseRuntimeChildDefinition child, Path parent, int index, int depth) {
        if (issues.full()) {
            return;
        }
        String name = child.getElementName();
        if (v instanceof IBaseResource r) {
            Path p = parent.child(name);
            checkResource(r, index >= 0 ? p.index(index) : p, depth + 1);
            return;
        }
        BaseRuntimeElementDefinition<?> ed = child instanceof RuntimeChildExtension
                ? shapes.extensionDefinition()
                : child.getChildElementDefinitionByDatatype(v.getClass());
        if (ed == null) {
            ed = ctx.getElementDefinition(v.getClass());
        }
        boolean choice = child instanceof RuntimeChildChoiceDefinition && !(child instanceof RuntimeChildExtension);
        String step = choice && ed != null ? name + ".ofType(" + ed.getName() + ")" : name;
        Path p = parent.child(step);
        if (index >= 0) {
            p = p.index(index);
        }
        if (ed instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
            walk(v, composite, p, depth + 1);
        } else if (v instanceof Element e && !(v instanceof Extension) && e.hasExtension()) {
            // a primitive: its extensions are not children in HAPI's definitions
            List<Extension> extensions = e.getExtension();
            for (int i = 0; i < extensions.size(); i++) {
                Extension x = extensions.get(i);
                if (x != null && !x.isEmpty()) {
                    walk(x, shapes.extensionDefinition(), p.child("extension").index(i), depth + 1);
                }
            }
        }
    }
}
