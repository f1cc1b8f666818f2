package org.karyo.fhir.api;

/**
 * A code of a code system.
 *
 * @param system the code system's URL ({@code null} when the search gave none)
 * @param code the code
 */
public record Code(String system, String code) {}
