package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/**
 * A diagnosis as a coded value (EBDMS's ICD-11 diagnoses, generalised to any code system).
 *
 * @param system the code system's URI, for example {@code http://id.who.int/icd/release/11/mms}; at most 255
 *     characters
 * @param code the code in that system, for example {@code 5A11}; at most 64 characters; unique per participant and
 *     system
 * @param display the code's human-readable name, or {@code null}; at most 255 characters
 */
public record Diagnosis(String system, String code, @Nullable String display) {}
