package org.karyo.fhir.api;

import java.util.List;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Bulk import of NDJSON files into the store, as a platform job ({@value #JOB_TYPE}) that a caller with
 * {@link FhirRights#ADMIN} starts. The files are read from Karyo's object store (a client puts them there through
 * {@link #upload}, a presigned upload) or from the import folder the administrator configured ({@code import.folder} of
 * PID {@code org.karyo.fhir}, override {@code KARYO_FHIR_IMPORT_FOLDER}); never from a URL.
 *
 * <p>Each file is named {@code <Type>[.<suffix>].ndjson} and holds one resource of that type per line; files are read in
 * an order of their types that puts referenced resources first, whatever order they are given in. Every line is parsed
 * strictly; a refused line is reported with its file, line number and reason, and the others are stored (unless the
 * store is configured to stop at the first refused line). Conditional references ({@code
 * Organization?identifier=sys|val}) are resolved once every line without one is stored; references are checked when the
 * import ends, and those that resolve to nothing are reported per line. Re-importing a resource with the same id
 * updates it (a new version). One audit entry ({@code fhir.import.batch}) is written per stored batch.
 */
@ProviderType
public interface FhirImports {

    /** The platform job type of imports. */
    String JOB_TYPE = "fhir.import";

    /** The FHIR versions an import may name; {@code 5.0} is the store's own. */
    String R5 = "5.0";

    /** FHIR R4: converted to R5 by a {@link FhirVersionConverter}, when one is installed. */
    String R4 = "4.0";

    /**
     * A presigned URL to PUT one NDJSON file into the object store, under a key that {@link #start} accepts.
     *
     * @param fileName the file's name, {@code <Type>[.<suffix>].ndjson}
     * @throws FhirException 403 without {@link FhirRights#ADMIN}; 400 for a name that is not an import file's
     */
    ImportUpload upload(Caller caller, String fileName);

    /**
     * Queues an import job; its progress counts lines, its result holds the counts and the first refused lines.
     *
     * @return the job's id (the platform's {@code /api/jobs/{id}})
     * @throws FhirException 403 without {@link FhirRights#ADMIN}; 400 for a file that does not exist, is outside the
     *     import folder or the module's part of the object store, or is not named as an import file; 400 for a FHIR
     *     version other than {@value #R5} and {@value #R4}, and for {@value #R4} when no converter is installed
     */
    long start(Caller caller, ImportRequest request);

    /**
     * The full report of an import job that ended: one line per refused line or unresolved reference,
     * {@code <file>\t<line>\t<reason>}.
     *
     * @throws FhirException 403 without {@link FhirRights#ADMIN}; 404 when the job is not an import or has no report
     */
    List<String> report(Caller caller, long jobId);
}
