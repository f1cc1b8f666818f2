package org.karyo.fhir.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.security.Authenticated;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.api.FhirRights;
import org.karyo.fhir.api.FhirStore;
import org.karyo.fhir.api.FhirValidator;
import org.karyo.fhir.api.ValidationIssue;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * FHIR's {@code $validate}: {@code POST [base]/[type]/$validate} with a resource (or a Parameters with its
 * {@code resource}, {@code mode} and {@code profile}) and {@code POST [base]/[type]/[id]/$validate} for a stored one.
 * The answer is FHIR's: 200 with an OperationOutcome listing the issues, whether the resource is valid or not (an
 * information issue when there is none); 4xx only when the request itself cannot be served.
 *
 * <p>Validation is the {@link FhirValidator} of the optional feature {@value #FEATURE}. Without it the operation
 * answers {@code 501 Not Implemented} with an OperationOutcome naming the feature, after the caller's checks, so
 * that the answer says nothing more to a caller who may not validate.
 *
 * <p>Who may validate: an authenticated caller holding {@value FhirRights#WRITE}, {@value FhirRights#ADMIN} or a
 * right to read patient data (403 otherwise); for a stored resource, only one it reads (404 otherwise, as for a
 * resource that does not exist).
 */
@Component(service = FhirValidateResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Path(FhirResource.BASE)
@Produces({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
public class FhirValidateResource {
    /** The feature that installs the validator. */
    static final String FEATURE = "karyo-fhir-validation";

    private static final String TYPE = "{type: [A-Z][A-Za-z]+}";
    private static final String ID = "{id: [A-Za-z0-9\\-.]{1,64}}";
    private static final int MAX_BODY = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The rights that let a caller validate what it sends: writing, administering, or reading patient data. */
    private static final List<String> RIGHTS = List.of(
            FhirRights.WRITE,
            FhirRights.ADMIN,
            AccessRights.FULL_ADMIN,
            AccessRights.READ_PATIENT_NOMINATIVE,
            AccessRights.READ_PATIENT_PSEUDONYMIZED,
            AccessRights.SEARCH_PATIENTS_UNLIMITED);

    private final FhirStore store;
    private final FhirFormat format;
    private volatile FhirValidator validator;

    @Activate
    public FhirValidateResource(@Reference FhirStore store, @Reference FhirFormat format) {
        this.store = store;
        this.format = format;
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindValidator(FhirValidator v) {
        this.validator = v;
    }

    void unbindValidator(FhirValidator v) {
        if (validator == v) {
            validator = null;
        }
    }

    /** Validates the resource in the body (or the {@code resource} of a Parameters). */
    @POST
    @Path(TYPE + "/$validate")
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(id = "fhirValidate", summary = "FHIR: validate a resource ($validate, feature karyo-fhir-validation)")
    @Returns(
            value = Object.class,
            status = 200,
            mediaTypes = Fhir.FHIR_JSON,
            description = "An OperationOutcome with the issues found (an information issue when there is none)")
    @Returns(
            value = Object.class,
            status = 501,
            mediaTypes = Fhir.FHIR_JSON,
            description = "An OperationOutcome: the feature karyo-fhir-validation is not installed")
    public Response validate(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @PathParam("type") String type,
            @QueryParam("profile") String profile,
            @QueryParam("mode") String mode,
            InputStream body) {
        return Fhir.answer(() -> validated(Callers.of(sc), uri, type, null, profile, mode, read(body)));
    }

    /** Validates a stored resource the caller reads, or the resource in the body as an update of it. */
    @POST
    @Path(TYPE + "/" + ID + "/$validate")
    @Authenticated
    @Consumes({Fhir.FHIR_JSON, MediaType.APPLICATION_JSON})
    @Operation(
            id = "fhirValidateInstance",
            summary = "FHIR: validate a stored resource ($validate, feature karyo-fhir-validation)")
    @Returns(
            value = Object.class,
            status = 200,
            mediaTypes = Fhir.FHIR_JSON,
            description = "An OperationOutcome with the issues found (an information issue when there is none)")
    @Returns(
            value = Object.class,
            status = 501,
            mediaTypes = Fhir.FHIR_JSON,
            description = "An OperationOutcome: the feature karyo-fhir-validation is not installed")
    public Response validateInstance(
            @Context SecurityContext sc,
            @Context UriInfo uri,
            @PathParam("type") String type,
            @PathParam("id") String id,
            @QueryParam("profile") String profile,
            @QueryParam("mode") String mode,
            InputStream body) {
        return Fhir.answer(() -> validated(Callers.of(sc), uri, type, id, profile, mode, read(body)));
    }

    Response validated(Caller caller, UriInfo uri, String type, String id, String profile, String mode, String body) {
        if (RIGHTS.stream().noneMatch(caller::hasRight)) {
            throw FhirException.forbidden("$validate needs fhir.write, fhir.admin or a right to read patient data");
        }
        Resource stored = id == null ? null : store.read(caller, type, id);
        FhirValidator v = validator;
        if (v == null) {
            throw FhirException.of(
                    501,
                    IssueType.NOTSUPPORTED,
                    null,
                    "$validate needs the feature " + FEATURE + ", which is not installed on this server");
        }
        Request request = request(body, type, profile, mode);
        String json = request.resource;
        if (json == null) {
            if (stored == null) {
                throw FhirException.badRequest(null, "$validate needs a resource in the body");
            }
            json = write(stored);
        } else if (id != null && !id.equals(request.id)) {
            throw FhirException.badRequest(type + ".id", "The resource's id is not " + id);
        }
        return Fhir.ok(format, uri, outcome(v.validate(json, request.profile)));
    }

    /** The validator's issues as an OperationOutcome; an information issue when there is none. */
    static OperationOutcome outcome(List<ValidationIssue> issues) {
        OperationOutcome oo = new OperationOutcome();
        for (ValidationIssue i : issues) {
            OperationOutcomeIssueComponent issue = oo.addIssue()
                    .setSeverity(IssueSeverity.fromCode(i.severity().code()))
                    .setCode(issueType(i.code()))
                    .setDiagnostics(i.message());
            if (i.expression() != null) {
                issue.addExpression(i.expression());
            }
        }
        if (!oo.hasIssue()) {
            oo.addIssue()
                    .setSeverity(IssueSeverity.INFORMATION)
                    .setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("No issues found");
        }
        return oo;
    }

    private static IssueType issueType(String code) {
        try {
            return code == null ? IssueType.INVALID : IssueType.fromCode(code);
        } catch (FHIRException e) {
            return IssueType.INVALID;
        }
    }

    /** What to validate: the resource's JSON ({@code null}: none sent), its id, and the profile. */
    private record Request(String resource, String id, String profile) {}

    private static Request request(String body, String type, String profile, String mode) {
        if (body.isBlank()) {
            return new Request(null, null, profile);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw FhirException.badRequest(null, "The body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw FhirException.badRequest(null, "The body is not a JSON object");
        }
        String m = mode;
        String p = profile;
        JsonNode resource = root;
        if ("Parameters".equals(root.path("resourceType").asText()) && !"Parameters".equals(type)) {
            resource = null;
            for (JsonNode param : root.path("parameter")) {
                switch (param.path("name").asText()) {
                    case "resource" -> resource = param.path("resource");
                    case "mode" -> m = text(param, "mode");
                    case "profile" -> p = text(param, "profile");
                    default -> throw FhirException.badRequest(
                            "Parameters.parameter",
                            "Unknown parameter " + param.path("name").asText() + " of $validate");
                }
            }
            if (resource == null || !resource.isObject()) {
                return mode(m, new Request(null, null, p));
            }
        }
        if (!type.equals(resource.path("resourceType").asText())) {
            throw FhirException.badRequest("resourceType", "The resource is not a " + type);
        }
        JsonNode id = resource.path("id");
        return mode(m, new Request(resource.toString(), id.isTextual() ? id.asText() : null, p));
    }

    private static Request mode(String mode, Request r) {
        if (mode == null || Set.of("create", "update", "profile").contains(mode)) {
            return r;
        }
        throw FhirException.badRequest(
                "mode",
                "delete".equals(mode)
                        ? "$validate does not check deletes (mode delete)"
                        : "Unknown mode " + mode + " (create, update or profile)");
    }

    private static String text(JsonNode param, String name) {
        for (String k : List.of("valueCode", "valueUri", "valueCanonical", "valueString", "valueUrl")) {
            if (param.path(k).isTextual()) {
                return param.path(k).asText();
            }
        }
        throw FhirException.badRequest("Parameters.parameter", "The parameter " + name + " has a text value");
    }

    private String write(Resource r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            format.write(r, out, null, Set.of(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String read(InputStream in) {
        if (in == null) {
            return "";
        }
        try {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw FhirException.of(
                        413, IssueType.TOOCOSTLY, null, "The body is larger than " + MAX_BODY + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
