package org.karyo.fhir.impl.internal.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Resource;

/**
 * A FHIRPath expression compiled by {@link PathCompiler} into a tree of steps over HAPI's {@link Base#getProperty}.
 * Immutable and thread-safe; evaluating a simple path costs about a microsecond.
 */
public final class CompiledPath {
    private final String expression;
    private final String resourceType;
    private final Nodes.Node root;

    CompiledPath(String expression, String resourceType, Nodes.Node root) {
        this.expression = expression;
        this.resourceType = resourceType;
        this.root = root;
    }

    /** The source expression. */
    public String expression() {
        return expression;
    }

    /** The resource type the expression was specialised for, or null for a generic compilation. */
    public String resourceType() {
        return resourceType;
    }

    /** Whether the expression can yield nothing (e.g. its only branches name other resource types). */
    public boolean isEmpty() {
        return root.isEmpty();
    }

    /** Evaluates the expression on a resource ({@code %resource} is that resource). */
    public List<Base> evaluate(Resource resource) {
        return evaluate(resource, resource);
    }

    /**
     * Evaluates the expression with {@code focus} as its context and {@code resource} as {@code %resource} (the
     * resource that contains the focus, used by {@code resolve()} of contained references).
     */
    public List<Base> evaluate(Base focus, Resource resource) {
        if (focus == null || root.isEmpty()) {
            return new ArrayList<>(0);
        }
        List<Base> out = new ArrayList<>(4);
        root.eval(resource, Collections.singletonList(focus), out);
        return out;
    }

    /** The compiled tree, for diagnostics. */
    public String plan() {
        return String.valueOf(root);
    }

    @Override
    public String toString() {
        return expression;
    }
}
