package org.karyo.fhir.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import org.hl7.fhir.r5.model.Resource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * FHIR R5 JSON as the store reads and writes it: strict parsing of client input (unknown elements, bad primitives,
 * missing required elements, bounded size and depth: each error a 400 {@link FhirException} whose OperationOutcome
 * names the FHIRPath location), and writing with {@code _summary} and {@code _elements}.
 */
@ProviderType
public interface FhirFormat {

    /**
     * Parses one resource; {@code expectedType} ({@code null}: any) must match its {@code resourceType}.
     *
     * @throws FhirException 400 with every problem found, 413 above the size limit
     */
    Resource parse(InputStream json, String expectedType);

    /**
     * Writes a resource (a Bundle's resources too) as JSON.
     *
     * @param summary {@code _summary} ({@code true}, {@code text}, {@code data}; {@code null} or {@code false}: all)
     * @param elements {@code _elements} (element names; empty: all)
     */
    void write(Resource resource, OutputStream out, String summary, Set<String> elements, boolean pretty)
            throws IOException;
}
