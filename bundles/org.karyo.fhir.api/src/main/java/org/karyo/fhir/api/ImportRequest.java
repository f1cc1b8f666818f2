package org.karyo.fhir.api;

import java.util.List;
import java.util.Objects;

/**
 * What to import.
 *
 * @param storeKeys object-store keys (as {@link FhirImports#upload} gave them)
 * @param files paths of files or folders in the import folder, relative to it (or absolute, inside it); a folder stands
 *     for every {@code .ndjson} file directly in it
 * @param fhirVersion {@value FhirImports#R5} or {@value FhirImports#R4}; {@code null} means {@value FhirImports#R5}
 */
public record ImportRequest(List<String> storeKeys, List<String> files, String fhirVersion) {

    public ImportRequest {
        storeKeys = List.copyOf(Objects.requireNonNullElse(storeKeys, List.of()));
        files = List.copyOf(Objects.requireNonNullElse(files, List.of()));
        fhirVersion = fhirVersion == null || fhirVersion.isBlank() ? FhirImports.R5 : fhirVersion.strip();
    }

    /** Files of the import folder. */
    public static ImportRequest ofFiles(List<String> files, String fhirVersion) {
        return new ImportRequest(List.of(), files, fhirVersion);
    }

    /** Objects of the object store. */
    public static ImportRequest ofStoreKeys(List<String> keys, String fhirVersion) {
        return new ImportRequest(keys, List.of(), fhirVersion);
    }
}
