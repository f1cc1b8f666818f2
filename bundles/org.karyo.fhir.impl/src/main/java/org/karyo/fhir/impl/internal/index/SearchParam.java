package org.karyo.fhir.impl.internal.index;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Resource;

/**
 * One search parameter of one resource type.
 *
 * @param resourceType the resource type it applies to
 * @param code the name used in searches ({@code code}, {@code value-quantity}, {@code _tag})
 * @param type its FHIR type
 * @param expression its FHIRPath expression as defined (may name other resource types too)
 * @param targets the resource types a reference parameter may point to (sorted; empty otherwise)
 * @param components the components of a composite parameter, in order (empty otherwise)
 * @param path the compiled expression, specialised for {@code resourceType}; null for a computed parameter or an
 *     expression without value ({@code _text})
 * @param url the canonical url of its definition, or null
 * @param compartments the compartments a resource is in through this parameter's references ({@code Patient}, …)
 * @param computer for a parameter computed at query time: the function giving its values for a resource; null for a
 *     parameter extracted at write time
 */
public record SearchParam(
        String resourceType,
        String code,
        ParamType type,
        String expression,
        List<String> targets,
        List<Component> components,
        CompiledPath path,
        String url,
        Set<String> compartments,
        Function<Resource, List<Base>> computer) {

    /** Codes of the parameters the store answers from its own columns: not written to the index. */
    public static final Set<String> STORE_MANAGED = Set.of("_id", "_lastUpdated", "_text", "_content");

    /**
     * One component of a composite parameter.
     *
     * @param code the code of the parameter it refers to
     * @param type that parameter's type
     * @param expression its expression, relative to each item the composite's expression yields
     * @param path the compiled expression
     */
    public record Component(String code, ParamType type, String expression, CompiledPath path) {}

    public SearchParam {
        targets = targets == null ? List.of() : List.copyOf(targets);
        components = components == null ? List.of() : List.copyOf(components);
        compartments = compartments == null ? Set.of() : Set.copyOf(compartments);
    }

    /** Whether the values are computed at query time by {@link #computer()} rather than indexed at write time. */
    public boolean computed() {
        return computer != null;
    }

    /** Whether the extractor writes keys or ranges for this parameter. */
    public boolean indexed() {
        return !computed()
                && path != null
                && type != ParamType.SPECIAL
                && !STORE_MANAGED.contains(code)
                && (type != ParamType.COMPOSITE || !components.isEmpty());
    }

    /** Whether a reference found through this parameter puts the resource in that patient's compartment. */
    public boolean inPatientCompartment() {
        return compartments.contains("Patient");
    }
}
