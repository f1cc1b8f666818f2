package org.karyo.fhir.api;

import java.util.List;
import org.hl7.fhir.r5.model.SearchParameter;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The store's search parameters: every built-in R5 one, and those registered at runtime. A registered FHIRPath
 * parameter is evaluated by the store's extractor (a documented FHIRPath subset) and indexed from then on (existing
 * resources after a reindex); an expression outside the subset is refused with a 422 naming the function.
 */
@ProviderType
public interface SearchParameters {

    /** Every parameter of {@code type} ({@code null}: of every type). */
    List<SearchParameterInfo> list(String type);

    /** Registers (or replaces, by URL) a SearchParameter resource; 422 when its expression is not supported. */
    SearchParameterInfo register(SearchParameter parameter);

    /** Registers a parameter computed at query time. */
    SearchParameterInfo registerComputed(String type, String code, ParamType paramType, ComputedParameter parameter);

    /** Removes a runtime parameter by URL (built-in ones cannot be removed); whether it existed. */
    boolean remove(String url);
}
