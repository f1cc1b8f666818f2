package org.karyo.fhir.api;

import org.hl7.fhir.r5.model.Resource;
import org.osgi.annotation.versioning.ProviderType;

/** The de-identification profile pseudonymised readers get (documented in the README), as a service. */
@ProviderType
public interface Deidentification {

    /** A pseudonymised copy: unlisted elements removed, identifiers replaced by keyed pseudonyms, dates reduced. */
    Resource deidentify(Resource resource);

    /** Whether search parameter {@code code} of {@code type} reads only elements the profile keeps. */
    boolean searchable(String type, String code);
}
