package org.karyo.omics.rest.internal;

import java.io.InputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PATCH;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.CacheControl;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.RequiresRight;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactDataService;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.ArtifactService;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ETags;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
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
 * {@code /api/omics/artifacts}: validated genomic files. List and read them ({@value OmicsRights#READ}), query records
 * by region (streamed; sample columns only as rights and consent allow), download the whole file through a
 * short-lived presigned URL ({@value OmicsRights#READ_GENOTYPES}), change their descriptive fields and attach QC
 * metrics ({@value OmicsRights#UPLOAD}), delete them ({@value OmicsRights#MANAGE}).
 */
@Component(service = ArtifactResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("omics/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class ArtifactResource {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    static final String VCF = "text/vcf";

    private static final String WHAT = "artifact";

    private final ArtifactService artifacts;
    private final ArtifactDataService data;

    @Activate
    public ArtifactResource(@Reference ArtifactService artifacts, @Reference ArtifactDataService data) {
        this.artifacts = artifacts;
        this.data = data;
    }

    /**
     * Artifacts of the projects the caller may read. Filters: {@code project=1,2}, {@code kind=VCF,BED},
     * {@code participant=}, {@code sample=} (a sample column's exact name); {@code ordering} from
     * {@link ArtifactQuery#ORDERABLE}, newest first by default.
     */
    @GET
    @RequiresRight(OmicsRights.READ)
    @Operation(id = "listArtifacts", summary = "List genomic artifacts")
    public Page<Artifact> list(
            @QueryParam("project") @Param(description = "Only these projects' artifacts: comma-separated project ids")
                    String project,
            @QueryParam("kind")
                    @Param(
                            description = "Only artifacts of these kinds",
                            allowed = {"VCF", "BED", "BCF", "PARQUET"},
                            list = true)
                    String kind,
            @QueryParam("participant")
                    @Param(kind = Param.Kind.ID, description = "Only artifacts linked to this participant")
                    String participant,
            @QueryParam("sample") @Param(description = "Only artifacts with a sample column of exactly this name")
                    String sample,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; newest first by default",
                            allowed = {
                                "id",
                                "-id",
                                "created_at",
                                "-created_at",
                                "file_name",
                                "-file_name",
                                "stored_size",
                                "-stored_size",
                                "kind",
                                "-kind"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        Set<Long> projects = Set.copyOf(QueryParams.ids("project", project, v));
        Set<ArtifactKind> kinds = v.collect(() -> Filters.values("kind", kind, ArtifactKind::valueOf), Set.of());
        Long participantId = QueryParams.id("participant", participant, v).orElse(null);
        PageRequest page = v.collect(
                () -> PageRequest.parse(
                        limit,
                        offset,
                        ordering,
                        ArtifactQuery.ORDERABLE,
                        ArtifactQuery.DEFAULT_ORDERING,
                        Integer.MAX_VALUE),
                null);
        v.throwIfInvalid();
        return artifacts.list(Callers.of(security), new ArtifactQuery(projects, kinds, participantId, sample, page));
    }

    /** One artifact with its metadata; its version is the ETag. */
    @GET
    @Path("{id}")
    @RequiresRight(OmicsRights.READ)
    @Operation(id = "getArtifact", summary = "Get an artifact with its metadata")
    @Returns(value = Artifact.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @Context SecurityContext security) {
        Artifact a = artifacts.get(Callers.of(security), PathIds.parse(id, WHAT));
        return Responses.ok(a, a.version());
    }

    /**
     * Changes the assembly, the repository reference ({@code null} removes it) or the participant ({@code null}
     * unlinks it); optional {@code If-Match}.
     */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "updateArtifact",
            summary = "Change an artifact's assembly, repository reference or participant",
            description = "A JSON merge patch: absent fields stay; `repository: null` removes the reference and"
                    + " `participant: null` unlinks the participant.")
    @Returns(value = Artifact.class, etag = true)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            ArtifactPatchBody body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        if (body == null) {
            throw org.karyo.api.KaryoException.invalid("body", "is required");
        }
        Artifact a = artifacts.update(Callers.of(security), key, body.toPatch(), ETags.ifMatch(headers));
        return Responses.ok(a, a.version());
    }

    /** Deletes an artifact and its stored objects: {@code 204}; optional {@code If-Match}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(OmicsRights.MANAGE)
    @Operation(id = "deleteArtifact", summary = "Delete an artifact and its stored files")
    @Returns(status = 204, description = "The artifact is deleted")
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        artifacts.delete(Callers.of(security), key, ETags.ifMatch(headers));
        return Response.noContent().build();
    }

    /**
     * The records overlapping one or more regions ({@code ?region=chr1:10000-20000&region=chr2}), exactly as
     * {@code tabix} selects them, streamed: a VCF (header included, {@code #CHROM} matching the columns kept), the BED
     * lines, or a JSON array ({@code format=json}). {@code samples=a,b} picks sample columns; without it every sample
     * the caller may see is written. BCF and Parquet artifacts answer 422. A contig whose name holds colons is named
     * whole ({@code HLA-A*01:01:01:01:1-100}) or in braces ({@code {HLA-A*01:01:01:01}:1-100}), as in htslib.
     */
    @GET
    @Path("{id}/records")
    @Produces({VCF, MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @RequiresRight(OmicsRights.READ)
    @Operation(
            id = "queryArtifactRecords",
            summary = "Stream an artifact's records overlapping regions",
            description = "A VCF artifact is written as `text/vcf` (header included) or a JSON array, a BED artifact"
                    + " as its lines (`text/plain`) or a JSON array, as `format` says. Sample columns are only those"
                    + " the caller may see. BCF and Parquet artifacts answer 422.")
    @Returns(
            value = StreamingOutput.class,
            description = "The records, streamed",
            mediaTypes = {VCF, MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Fails(422)
    public Response records(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @QueryParam("region")
                    @Param(
                            description = "A region, `chr1:10000-20000` or a whole contig `chr2`; repeat the parameter"
                                    + " for several")
                    List<String> region,
            @QueryParam("samples")
                    @Param(description = "The sample columns to keep, comma-separated (empty: sites only)")
                    String samples,
            @QueryParam("format")
                    @Param(
                            description =
                                    "vcf or bed (the artifact's own text format) or json; the artifact's text format by default",
                            allowed = {"vcf", "bed", "json"})
                    String format,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        RecordsRequest request = new RecordsRequest(region, Params.samples(samples), Params.format(format));
        RecordStream stream = data.records(Callers.of(security), key, request);
        StreamingOutput body = stream::writeTo;
        return Response.ok(body, stream.mediaType())
                .header("X-Content-Type-Options", "nosniff")
                .cacheControl(noStore())
                .build();
    }

    /**
     * {@code 303} to a short-lived presigned URL of the whole stored file, with its checksums in {@code Digest},
     * {@code Repr-Digest}, {@code X-Checksum-SHA256}, {@code X-Checksum-MD5} and {@code ETag}.
     */
    @GET
    @Path("{id}/download")
    @RequiresRight(OmicsRights.READ_GENOTYPES)
    @Operation(
            id = "downloadArtifact",
            summary = "Download an artifact's whole file",
            description = "Redirects to a short-lived presigned URL of the stored file; the response carries its"
                    + " checksums in `Digest`, `Repr-Digest`, `X-Checksum-SHA256`, `X-Checksum-MD5` and `ETag`.")
    @Returns(status = 303, description = "See Other: fetch the file at Location (a short-lived presigned URL)")
    public Response download(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @Context SecurityContext security) {
        Download d = data.download(Callers.of(security), PathIds.parse(id, WHAT));
        return redirect(d);
    }

    /** Attaches (or replaces) the QC metrics file: a CSV or JSON body, {@code ?file_name=} optional. */
    @PUT
    @Path("{id}/qc")
    @Consumes(MediaType.WILDCARD)
    @RequiresRight(OmicsRights.UPLOAD)
    @Operation(
            id = "uploadArtifactQcMetrics",
            summary = "Attach or replace an artifact's QC metrics file",
            description = "The body is the raw file, sent as `text/csv` or `application/json` (any other"
                    + " `Content-Type` is a 400).")
    @Returns(value = Artifact.class, etag = true)
    public Response putQc(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @QueryParam("file_name")
                    @Param(description = "The file's name, at most 255 characters; qc.csv or qc.json by default")
                    String fileName,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH)
                    @Param(kind = Param.Kind.INTEGER, description = "The body's size in bytes")
                    String contentLength,
            InputStream body,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        long length = Params.contentLength(contentLength);
        Artifact a = artifacts.putQcMetrics(Callers.of(security), key, fileName, contentType, body, length);
        return Responses.ok(a, a.version());
    }

    /** {@code 303} to a short-lived presigned URL of the QC metrics file. */
    @GET
    @Path("{id}/qc")
    @RequiresRight(OmicsRights.READ)
    @Operation(
            id = "downloadArtifactQcMetrics",
            summary = "Download an artifact's QC metrics file",
            description = "An artifact without a QC metrics file answers 404.")
    @Returns(status = 303, description = "See Other: fetch the file at Location (a short-lived presigned URL)")
    public Response qc(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The artifact's id") String id,
            @Context SecurityContext security) {
        return redirect(artifacts.qcMetrics(Callers.of(security), PathIds.parse(id, WHAT)));
    }

    /** {@code 303 See Other} to a presigned URL, with the object's checksums. */
    static Response redirect(Download d) {
        Response.ResponseBuilder r = Response.seeOther(d.url()).cacheControl(noStore());
        if (d.sha256() != null) {
            String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(d.sha256()));
            r.header("Digest", "sha-256=" + b64)
                    .header("Repr-Digest", "sha-256=:" + b64 + ":")
                    .header("X-Checksum-SHA256", d.sha256())
                    .tag(new EntityTag(d.sha256()));
        }
        if (d.md5() != null) {
            r.header("X-Checksum-MD5", d.md5());
        }
        return r.build();
    }

    private static CacheControl noStore() {
        CacheControl c = new CacheControl();
        c.setNoStore(true);
        c.setNoCache(true);
        return c;
    }
}
