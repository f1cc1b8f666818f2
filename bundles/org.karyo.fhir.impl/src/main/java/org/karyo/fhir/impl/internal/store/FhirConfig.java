package org.karyo.fhir.impl.internal.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the FHIR store (PID {@code org.karyo.fhir}); each key has a {@code KARYO_FHIR_*} override. */
@ObjectClassDefinition(name = "Karyo FHIR store", description = "The FHIR R5 clinical store (karyo-fhir)")
public @interface FhirConfig {

    @AttributeDefinition(
            name = "Default page size",
            description = "Resources per searchset page when the client sends no _count")
    int default_count() default 20;

    @AttributeDefinition(name = "Largest page size", description = "The largest _count a client may ask for")
    int max_count() default 1000;

    @AttributeDefinition(
            name = "Largest request body",
            description = "Bytes of the largest resource or Bundle a client may send (413 above; override"
                    + " KARYO_FHIR_MAX_BODY_BYTES)")
    long max_body_bytes() default 67108864L;

    @AttributeDefinition(
            name = "Largest Bundle",
            description = "Entries of the largest batch or transaction Bundle (413 above)")
    int max_bundle_entries() default 10000;

    @AttributeDefinition(
            name = "Organisations' parent perimeter",
            description = "The local id of the perimeter node under which an Organization without a perimeter"
                    + " gets its node (empty: the site root; override KARYO_FHIR_ORGANIZATION_PARENT)")
    String organization_parent() default "";

    @AttributeDefinition(
            name = "Read audit flush",
            description = "Milliseconds between flushes of the batched read audit entries (at most 1000)")
    int read_audit_flush_ms() default 1000;
}
