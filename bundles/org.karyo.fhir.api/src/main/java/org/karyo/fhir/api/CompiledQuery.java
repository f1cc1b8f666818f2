package org.karyo.fhir.api;

import java.util.List;

/**
 * A FHIR search compiled to SQL that a module composes into its own statements (the cohort engine's criteria).
 * {@link #sql()} selects one column: the resource's key ({@code res_pk}) or, for a patient set, the patient key; the
 * caller's access is already applied. Bind {@link #parameters()} in order.
 *
 * @param sql a SELECT of one bigint column
 * @param parameters its bound parameters
 * @param resourceType the searched type
 */
public record CompiledQuery(String sql, List<Object> parameters, String resourceType) {
    public CompiledQuery {
        parameters = List.copyOf(parameters);
    }
}
