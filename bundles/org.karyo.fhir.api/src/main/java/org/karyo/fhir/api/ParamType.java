package org.karyo.fhir.api;

/** The FHIR search parameter types. */
public enum ParamType {
    NUMBER,
    DATE,
    STRING,
    TOKEN,
    REFERENCE,
    COMPOSITE,
    QUANTITY,
    URI,
    SPECIAL
}
