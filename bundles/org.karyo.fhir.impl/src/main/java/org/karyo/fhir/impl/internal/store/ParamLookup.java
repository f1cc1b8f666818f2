package org.karyo.fhir.impl.internal.store;

import java.util.List;
import java.util.Optional;

/** The search parameters the compiler knows: built-in, registered at runtime and computed. */
interface ParamLookup {

    Optional<ParamDef> find(String type, String code);

    List<ParamDef> all(String type);

    /** The stable id of a range parameter key in {@code rng} (a 52-bit hash, exact as a double). */
    double paramId(String key);

    /** The normalised form of a string search value, as the extractor writes {@code :p=} keys. */
    String normalize(String value);

    /**
     * Whether every stored row carries the range bucket keys of the current index format, so that searches may narrow
     * range conditions with them (false after an upgrade until a reindex has run).
     */
    boolean rangeBuckets();

    /**
     * The parameters whose union {@code code} of {@code type} is (R5's {@code combo-*}), through which searches on it
     * are answered; empty for any other parameter.
     */
    List<String> derivedFrom(String type, String code);
}
