package org.karyo.fhir.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A search: the query's parameters in their order (a repeated name is an AND, a comma inside a value an OR), already
 * percent-decoded; the absolute base URL the answer's links start with (for example {@code https://host/fhir/r5}); and
 * whether unknown parameters are ignored ({@code Prefer: handling=lenient}) instead of refused.
 *
 * @param parameters name and value pairs, in request order; {@code _count}, {@code _sort}, {@code _include}… included
 * @param baseUrl the absolute base of links in the answer
 * @param lenient whether unknown parameters are ignored and listed in the Bundle's OperationOutcome
 */
public record SearchRequest(List<Map.Entry<String, String>> parameters, String baseUrl, boolean lenient) {
    public SearchRequest {
        parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
        Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** A search from a query string such as {@code code=http://loinc.org|8867-4&_count=10} (percent-decoded here). */
    public static SearchRequest parse(String query, String baseUrl) {
        return new SearchRequest(QueryStrings.parse(query), baseUrl, false);
    }
}
