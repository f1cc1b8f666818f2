package org.karyo.fhir.impl.internal.store;

/** The store's schema. */
final class Schema {
    static final String NAME = "karyo_fhir";
    static final String MODULE = "fhir";

    private Schema() {}
}
