package org.karyo.fhir.rest.internal;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UrlType;
import org.karyo.api.security.RequiresRight;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.api.FhirImports;
import org.karyo.fhir.api.FhirRights;
import org.karyo.fhir.api.ImportRequest;
import org.karyo.fhir.api.ImportUpload;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Bulk import ({@link FhirImports}), in the manner of FHIR's bulk import: {@code POST [base]/$import} with a Parameters
 * resource naming the files answers 202 with the platform job's address in {@code Content-Location}
 * ({@code /api/jobs/{id}}, whose progress counts lines and whose result holds the counts and the first refused lines);
 * {@code POST [base]/$import-upload} gives a presigned URL to PUT one file into the object store first. Both need
 * {@value FhirRights#ADMIN}. The files are never fetched from a URL.
 *
 * <p>{@code $import}'s parameters: {@code fhirVersion} ({@code 4.0} or {@code 5.0}, the default; never guessed), and
 * the files, each a {@code storeKey} (as {@code $import-upload} gave it) or a {@code file} (a path in the import
 * folder), either as top-level parameters or as the parts of {@code input} parameters.
 */
@Component(service = FhirImportResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Path(FhirResource.BASE)
@Produces({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
public class FhirImportResource {
    static final String STORE_KEY = "storeKey";
    static final String FILE = "file";
    static final String FHIR_VERSION = "fhirVersion";

    private final FhirImports imports;
    private final FhirFormat format;

    @Activate
    public FhirImportResource(@Reference FhirImports imports, @Reference FhirFormat format) {
        this.imports = imports;
        this.format = format;
    }

    /** Queues an import of NDJSON files: 202, {@code Content-Location: /api/jobs/{id}}. */
    @POST
    @Path("$import")
    @RequiresRight(FhirRights.ADMIN)
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirImport", summary = "FHIR: import NDJSON files (a platform job)")
    @Returns(value = Object.class, status = 202, mediaTypes = Fhir.FHIR_JSON)
    public Response start(@Context SecurityContext sc, @Context UriInfo uri, InputStream body) {
        return Fhir.answer(() -> started(sc, uri, Fhir.parse(format, body, "Parameters")));
    }

    Response started(SecurityContext sc, UriInfo uri, Resource body) {
        Parameters p = parameters(body);
        List<String> keys = new ArrayList<>();
        List<String> files = new ArrayList<>();
        String version = null;
        for (ParametersParameterComponent param : p.getParameter()) {
            switch (param.getName()) {
                case FHIR_VERSION -> version = value(param, "fhirVersion");
                case STORE_KEY -> keys.add(value(param, STORE_KEY));
                case FILE -> files.add(value(param, FILE));
                case "input" -> {
                    for (ParametersParameterComponent part : param.getPart()) {
                        switch (part.getName()) {
                            case STORE_KEY -> keys.add(value(part, "input.storeKey"));
                            case FILE -> files.add(value(part, "input.file"));
                            case "type" -> {
                                // informational: the type comes from the file's name
                            }
                            case "url" -> throw FhirException.badRequest(
                                    "input.url",
                                    "An import reads the object store (storeKey) or the import folder (file), never a"
                                            + " URL");
                            default -> throw FhirException.badRequest(
                                    "input." + part.getName(), "Unknown part " + part.getName() + " of input");
                        }
                    }
                }
                case "inputFormat" -> {
                    String format = value(param, "inputFormat");
                    if (!format.equals("application/fhir+ndjson") && !format.equals("application/ndjson")) {
                        throw FhirException.badRequest("inputFormat", "An import reads NDJSON only");
                    }
                }
                default -> throw FhirException.badRequest(
                        param.getName(), "Unknown parameter " + param.getName() + " of $import");
            }
        }
        long job = imports.start(Callers.of(sc), new ImportRequest(keys, files, version));
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("The import runs as job " + job + "; follow it at the Content-Location");
        return Response.accepted(Fhir.body(format, uri, oo))
                .type(Fhir.FHIR_JSON)
                .header(HttpHeaders.CONTENT_LOCATION, jobLocation(uri, job))
                .build();
    }

    /** A presigned URL to PUT one import file into the object store: a Parameters with its storeKey and url. */
    @POST
    @Path("$import-upload")
    @RequiresRight(FhirRights.ADMIN)
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirImportUpload", summary = "FHIR: a presigned URL to upload one import file")
    @Returns(value = Object.class, status = 200, mediaTypes = Fhir.FHIR_JSON)
    public Response upload(@Context SecurityContext sc, @Context UriInfo uri, InputStream body) {
        return Fhir.answer(() -> Fhir.ok(format, uri, uploaded(sc, Fhir.parse(format, body, "Parameters"))));
    }

    Resource uploaded(SecurityContext sc, Resource body) {
        Parameters p = parameters(body);
        String file = null;
        for (ParametersParameterComponent param : p.getParameter()) {
            if (!param.getName().equals(FILE)) {
                throw FhirException.badRequest(
                        param.getName(), "Unknown parameter " + param.getName() + " of $import-upload");
            }
            file = value(param, FILE);
        }
        if (file == null) {
            throw FhirException.badRequest(FILE, "$import-upload names the file: <Type>[.<suffix>].ndjson");
        }
        ImportUpload u = imports.upload(Callers.of(sc), file);
        Parameters out = new Parameters();
        out.addParameter().setName(STORE_KEY).setValue(new StringType(u.storeKey()));
        out.addParameter().setName("url").setValue(new UrlType(u.url().toString()));
        out.addParameter().setName("expires").setValue(new InstantType(Date.from(u.expires())));
        return out;
    }

    /** The platform job's address, {@code /api/jobs/{id}} on the same host. */
    static URI jobLocation(UriInfo uri, long job) {
        return uri.getBaseUri().resolve("/api/jobs/" + job);
    }

    private static Parameters parameters(Resource body) {
        if (!(body instanceof Parameters p)) {
            throw FhirException.badRequest(
                    "resourceType",
                    "The body is a Parameters resource, not " + (body == null ? "empty" : body.fhirType()));
        }
        return p;
    }

    private static String value(ParametersParameterComponent param, String where) {
        if (param.getValue() instanceof PrimitiveType<?> v && v.hasValue()) {
            return v.getValueAsString();
        }
        throw FhirException.badRequest(where, "The parameter " + param.getName() + " has a text value");
    }
}
