package org.karyo.fhir.api;

import java.util.List;

/**
 * A search parameter the store answers.
 *
 * @param resourceType the type it applies to
 * @param code its name in queries
 * @param type its type
 * @param expression its FHIRPath expression ({@code null} for one computed at query time)
 * @param url its canonical URL ({@code null} for built-in ones)
 * @param custom whether it was registered at runtime
 * @param computed whether it is computed at query time
 * @param targets a reference parameter's target types
 */
public record SearchParameterInfo(
        String resourceType,
        String code,
        ParamType type,
        String expression,
        String url,
        boolean custom,
        boolean computed,
        List<String> targets) {}
