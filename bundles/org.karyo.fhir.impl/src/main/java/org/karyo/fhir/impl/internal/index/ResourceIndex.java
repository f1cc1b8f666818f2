package org.karyo.fhir.impl.internal.index;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The search index of one resource, as the {@code resource} row stores it.
 *
 * @param keys the exact-match keys ({@code keys text[]}), deduplicated, in parameter order then value order
 * @param rng the ranges ({@code rng float8[]}): triples (param id, low, high), see {@link IndexValues#paramId}
 * @param patientRefs the {@code Patient/id} references that put the resource in a patient's compartment (for a
 *     Patient, its own id), sorted
 * @param references every local reference {@code Type/id} in the resource and its contained resources, sorted
 */
public record ResourceIndex(List<String> keys, double[] rng, Set<String> patientRefs, Set<String> references) {

    /** The number of range triples. */
    public int rangeCount() {
        return rng.length / 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceIndex other
                && keys.equals(other.keys)
                && Arrays.equals(rng, other.rng)
                && patientRefs.equals(other.patientRefs)
                && references.equals(other.references);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * keys.hashCode() + Arrays.hashCode(rng)) + patientRefs.hashCode())
                + references.hashCode();
    }

    @Override
    public String toString() {
        return "ResourceIndex[keys=" + keys + ", rng=" + Arrays.toString(rng) + ", patientRefs=" + patientRefs
                + ", references=" + references + "]";
    }
}
