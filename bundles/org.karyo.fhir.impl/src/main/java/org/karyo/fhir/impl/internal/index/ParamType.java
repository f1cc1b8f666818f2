package org.karyo.fhir.impl.internal.index;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.Locale;
import org.hl7.fhir.r5.model.Enumerations.SearchParamType;

/** The type of a search parameter, as FHIR defines it. */
public enum ParamType {
    NUMBER,
    DATE,
    STRING,
    TOKEN,
    REFERENCE,
    COMPOSITE,
    QUANTITY,
    URI,
    SPECIAL;

    /** The FHIR code of the type ({@code token}, {@code reference}, …). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values of this type are written to the range array ({@code rng}) rather than as keys. */
    public boolean ranged() {
        return this == NUMBER || this == DATE || this == QUANTITY;
    }

    static ParamType of(RestSearchParameterTypeEnum hapi) {
        return switch (hapi) {
            case NUMBER -> NUMBER;
            case DATE -> DATE;
            case STRING -> STRING;
            case TOKEN -> TOKEN;
            case REFERENCE -> REFERENCE;
            case COMPOSITE -> COMPOSITE;
            case QUANTITY -> QUANTITY;
            case URI -> URI;
            case SPECIAL, HAS -> SPECIAL;
        };
    }

    static ParamType of(SearchParamType type) {
        if (type == null) {
            throw new IllegalArgumentException("search parameter without a type");
        }
        return switch (type) {
            case NUMBER -> NUMBER;
            case DATE -> DATE;
            case STRING -> STRING;
            case TOKEN -> TOKEN;
            case REFERENCE -> REFERENCE;
            case COMPOSITE -> COMPOSITE;
            case QUANTITY -> QUANTITY;
            case URI -> URI;
            case SPECIAL, RESOURCE -> SPECIAL;
            case NULL -> throw new IllegalArgumentException("search parameter without a type");
        };
    }
}
