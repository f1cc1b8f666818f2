package org.karyo.projects.rest.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.projects.api.ConsentService;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ImportStart;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantImports;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ETags;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.QueryParams;
import org.karyo.rest.support.Responses;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/projects/projects/{projectId}/participants}: participants, their consent and consent document, and CSV
 * import/export. Reads are declared with {@code projects.project.read} (every role that may read participants holds
 * it) and the service requires {@code projects.participant.read_nominative} or
 * {@code projects.participant.read_pseudonymized} on the project: with the second only, every participant comes back
 * pseudonymised (from the service: this resource never sees names it may not show). Writes need
 * {@code projects.participant.manage}.
 */
@Component(service = ParticipantResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("projects/projects/{projectId}/participants")
@Produces(MediaType.APPLICATION_JSON)
public class ParticipantResource {

    static final String TEXT_CSV = "text/csv";
    private static final String PROJECT = "project";
    private static final String WHAT = "participant";

    private final ParticipantService participants;
    private final ConsentService consents;
    private final ParticipantImports imports;

    @Activate
    public ParticipantResource(
            @Reference ParticipantService participants,
            @Reference ConsentService consents,
            @Reference ParticipantImports imports) {
        this.participants = participants;
        this.consents = consents;
        this.imports = imports;
    }

    /**
     * The project's participants. Filters: {@code search} (identifier or names for nominative readers, sample id for
     * all), {@code active=true|false}, {@code consent=GIVEN,EXPIRED,...} (today's consent); ordering by identifier,
     * created_at or updated_at.
     */
    @GET
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "listParticipants",
            summary = "List a project's participants",
            description = "Pseudonymised for a caller who may read pseudonymised participants only.")
    public Page<Participant> list(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @QueryParam("search")
                    @Param(description = "Text in the identifier or names (nominative readers), or a sample id")
                    String search,
            @QueryParam("active")
                    @Param(
                            kind = Param.Kind.BOOLEAN,
                            description = "Only active (true) or inactive" + " (false) participants")
                    String active,
            @QueryParam("consent")
                    @Param(
                            description = "Only participants whose consent is in one of these states today",
                            allowed = {"PENDING", "GIVEN", "WITHDRAWN", "EXPIRED"},
                            list = true)
                    String consent,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; by identifier by default",
                            allowed = {
                                "identifier",
                                "-identifier",
                                "created_at",
                                "-created_at",
                                "updated_at",
                                "-updated_at"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        Validator v = new Validator();
        Boolean isActive = QueryParams.bool("active", active, v).orElse(null);
        Set<ConsentState> states = v.collect(
                () -> Filters.values("consent", consent, s -> ConsentState.valueOf(s.toUpperCase(Locale.ROOT))),
                Set.of());
        PageRequest page = QueryParams.page(
                limit,
                offset,
                ordering,
                ParticipantQuery.ORDERABLE,
                ParticipantQuery.DEFAULT_ORDERING,
                Integer.MAX_VALUE,
                v);
        v.throwIfInvalid();
        return participants.list(Callers.of(security), project, new ParticipantQuery(search, isActive, states, page));
    }

    /** Creates a participant with the project's next identifier: {@code 201} with {@code Location} and {@code ETag}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(id = "createParticipant", summary = "Create a participant with the project's next identifier")
    @Returns(value = Participant.class, status = 201, description = "The participant is created")
    public Response create(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            NewParticipant body,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        Participant p = participants.create(Callers.of(security), Params.path(projectId, PROJECT), body);
        return Responses.created(uri, p.id(), p, p.version());
    }

    @GET
    @Path("{id}")
    @RequiresRight(PROJECT_READ)
    @Operation(id = "getParticipant", summary = "Get a participant")
    @Returns(value = Participant.class, etag = true)
    public Response get(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @Context SecurityContext security) {
        Participant p = participants.get(Callers.of(security), Params.path(projectId, PROJECT), Params.path(id, WHAT));
        return Responses.ok(p, p.version());
    }

    /** Replaces a participant (not its identifier or consent); an absent optional field is removed; {@code If-Match}. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "replaceParticipant",
            summary = "Replace a participant",
            description = "Not its identifier or consent; an absent optional field is removed.")
    @Returns(value = Participant.class, etag = true)
    public Response replace(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            NewParticipant body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        long key = Params.path(id, WHAT);
        Participant p = participants.replace(Callers.of(security), project, key, body, ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    /** Deletes a participant with its relations and consent document: {@code 204}; {@code If-Match}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(id = "deleteParticipant", summary = "Delete a participant with its relations and consent document")
    @Returns(status = 204, description = "The participant is deleted")
    public Response delete(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        long key = Params.path(id, WHAT);
        participants.delete(Callers.of(security), project, key, ETags.ifMatch(headers));
        return Response.noContent().build();
    }

    // ---- consent --------------------------------------------------------------------------------------------------

    /** Sets the consent status and dates ({@code GIVEN} needs the document first); {@code If-Match}. */
    @PUT
    @Path("{id}/consent")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "replaceParticipantConsent",
            summary = "Set a participant's consent status and dates",
            description = "GIVEN needs the signed consent document first.")
    @Returns(value = Participant.class, etag = true)
    public Response consent(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            ConsentUpdate body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        long key = Params.path(id, WHAT);
        Participant p = consents.update(Callers.of(security), project, key, body, ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    /**
     * Stores the signed consent form: the raw body (a PDF, any {@code Content-Type}), {@code ?file_name=},
     * optional {@code ?sha256=} checked while it streams; {@code 413} over the configured size; {@code If-Match}.
     */
    @PUT
    @Path("{id}/consent/document")
    @Consumes(MediaType.WILDCARD)
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "uploadConsentDocument",
            summary = "Store a participant's signed consent form",
            description = "The body is the form's raw bytes, a PDF, sent with any `Content-Type` (for example"
                    + " `application/pdf`); its first bytes must be a PDF's (400 otherwise). It replaces the"
                    + " previous form.")
    @Returns(value = Participant.class, etag = true)
    public Response putDocument(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @QueryParam("file_name") @Param(description = "The form's file name; consent.pdf by default")
                    String fileName,
            @QueryParam("sha256")
                    @Param(description = "The form's SHA-256 (64 hexadecimal digits), checked while it streams")
                    String sha256,
            InputStream body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        long key = Params.path(id, WHAT);
        Participant p = consents.putDocument(
                Callers.of(security),
                project,
                key,
                Params.upload(body, headers, fileName, sha256),
                ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    /** The consent form, streamed; needs {@code projects.participant.read_nominative} (it carries the name). */
    @GET
    @Path("{id}/consent/document")
    @Produces(MediaType.WILDCARD)
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "downloadConsentDocument",
            summary = "Download a participant's signed consent form",
            description = "Needs `projects.participant.read_nominative` on the project (the form carries the name)."
                    + " Streamed as an attachment; `ETag` and `Digest` carry its SHA-256.")
    @Returns(value = StreamingOutput.class, description = "The form", mediaTypes = "application/pdf")
    public Response document(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @Context SecurityContext security) {
        return Params.download(
                consents.document(Callers.of(security), Params.path(projectId, PROJECT), Params.path(id, WHAT)));
    }

    /** A short-lived presigned URL of the consent form; needs {@code projects.participant.read_nominative}. */
    @GET
    @Path("{id}/consent/document/link")
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "getConsentDocumentLink",
            summary = "Get a short-lived URL to download a participant's consent form from storage",
            description = "Needs `projects.participant.read_nominative` on the project (the form carries the name).")
    public DownloadLink documentLink(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @Context SecurityContext security) {
        return consents.documentLink(Callers.of(security), Params.path(projectId, PROJECT), Params.path(id, WHAT));
    }

    /** Removes the consent form ({@code 409} while the consent is GIVEN). */
    @DELETE
    @Path("{id}/consent/document")
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "deleteConsentDocument",
            summary = "Remove a participant's consent form",
            description = "Refused with 409 while the consent is GIVEN.")
    @Returns(value = Participant.class, etag = true, description = "The form is removed: the participant")
    @Fails(409)
    public Response deleteDocument(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The participant's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long project = Params.path(projectId, PROJECT);
        long key = Params.path(id, WHAT);
        Participant p = consents.deleteDocument(Callers.of(security), project, key, ETags.ifMatch(headers));
        return Responses.ok(p, p.version());
    }

    // ---- CSV ------------------------------------------------------------------------------------------------------

    /** Every participant as CSV: nominative, or pseudonymised for a caller without the nominative right. */
    @GET
    @Path("export")
    @Produces(TEXT_CSV)
    @RequiresRight(PROJECT_READ)
    @Operation(
            id = "exportParticipants",
            summary = "Export a project's participants as CSV",
            description = "Nominative, or pseudonymised for a caller without the nominative right (the"
                    + " `X-Pseudonymized` header says which).")
    @Returns(value = StreamingOutput.class, description = "The CSV file, UTF-8", mediaTypes = TEXT_CSV)
    public Response export(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            @Context SecurityContext security) {
        ParticipantExport export = participants.exportCsv(Callers.of(security), Params.path(projectId, PROJECT));
        StreamingOutput body = export::writeTo;
        return Response.ok(body)
                .type(TEXT_CSV + "; charset=utf-8")
                .header("Content-Disposition", Params.attachment(export.fileName()))
                .header("X-Pseudonymized", Boolean.toString(export.pseudonymized()))
                .build();
    }

    /**
     * Imports participants from CSV (the body, UTF-8), all or nothing: rows without identifier are added, rows with
     * one of the project's identifiers replace that participant. A bad file is a 400 whose errors name
     * {@code line N: column}. A file of at most {@value ParticipantImports#JOB_ROWS} rows is imported at once (200
     * and the report); a larger one, once its rows are checked, is imported by a platform job: 202, the
     * {@code job_id} and a {@code Location} at {@code /api/jobs/{id}}, whose progress counts rows.
     */
    @POST
    @Path("import")
    @Consumes({TEXT_CSV, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @RequiresRight(PARTICIPANT_MANAGE)
    @Operation(
            id = "importParticipants",
            summary = "Import participants from CSV",
            description = "All or nothing: rows without identifier are added, rows with one of the project's"
                    + " identifiers replace that participant. A bad file is a 400 whose errors name `line N: column`.")
    @Returns(value = ImportReport.class, status = 200, description = "A small file: imported at once, with the report")
    @Returns(
            value = ImportStart.class,
            status = 202,
            description = "A large file, checked: imported by a platform job (`job_id`; Location: the job)")
    public Response importCsv(
            @PathParam("projectId") @Param(kind = Param.Kind.ID, description = "The project's id") String projectId,
            InputStream body,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        ImportStart started = imports.start(Callers.of(security), Params.path(projectId, PROJECT), body);
        if (started.jobId() == null) {
            return Response.ok(started.report()).build();
        }
        return Response.accepted(started)
                .location(uri.getBaseUriBuilder()
                        .path("jobs")
                        .path(Long.toString(started.jobId()))
                        .build())
                .build();
    }
}
