package org.karyo.fhir.impl.internal.store;

import java.util.List;
import org.karyo.fhir.api.ComputedParameter;
import org.karyo.fhir.api.ParamType;

/**
 * A search parameter as the search compiler needs it.
 *
 * @param resourceType the type it belongs to
 * @param code its name
 * @param type its type
 * @param expression its FHIRPath expression (null when computed)
 * @param targets a reference parameter's target types (empty: any)
 * @param computed the rewrite of a computed parameter, or null
 * @param components a composite's component parameter codes, in order
 */
record ParamDef(
        String resourceType,
        String code,
        ParamType type,
        String expression,
        List<String> targets,
        ComputedParameter computed,
        List<String> components) {}
