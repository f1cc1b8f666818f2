package org.karyo.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Public;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;
import org.karyo.storage.api.MultipartUpload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.PartInfo;
import org.karyo.storage.api.PutOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/storage/presigned/objects/{key}}: the filesystem store's presigned URLs, served by Karyo. Anyone holding
 * a valid, unexpired URL may use it (the signature is the credential, so every method is {@link Public}); a wrong or
 * expired one is a {@code 403} problem. {@code GET} streams the object, with {@code Range} ({@code 206}/{@code 416}),
 * {@code ETag} and, when the URL names a download name, {@code Content-Disposition: attachment}. {@code PUT} stores the
 * body as the object, or, with {@code uploadId} and {@code partNumber}, as a part of a multipart upload, answering
 * {@code 200} with the {@code ETag} as S3 does; a part URL is signed for the part's length, and a body of any other
 * length is refused ({@code 400} naming {@code Content-Length}) before a byte is stored.
 */
@Component(service = PresignedResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("storage/presigned")
public class PresignedResource {

    private final FsObjectStore store;

    @Activate
    public PresignedResource(@Reference FsObjectStore store) {
        this.store = store;
    }

    /** The object, whole or the one range asked for. */
    @GET
    @Path("objects/{key: .+}")
    @Produces(MediaType.WILDCARD)
    @Public
    @Operation(
            id = "getPresignedObject",
            summary = "Download an object through a presigned URL of the filesystem store",
            description = "Used as given by the URLs Karyo hands out (downloads, htsget tickets, file links): the"
                    + " signature is the credential, a wrong or expired one is a 403. Answers with the object's stored"
                    + " media type, `ETag`, `Accept-Ranges: bytes` and, when the URL names a download name,"
                    + " `Content-Disposition: attachment`.")
    @Returns(value = StreamingOutput.class, status = 200, description = "The whole object")
    @Returns(value = StreamingOutput.class, status = 206, description = "The range asked for (Content-Range)")
    @Fails({403, 416})
    public Response get(
            @PathParam("key") @Param(description = "The object's key, slashes included, as the presigned URL names it")
                    String key,
            @QueryParam("expires")
                    @Param(kind = Param.Kind.INTEGER, description = "When the URL expires, in seconds since the epoch")
                    String expires,
            @QueryParam("filename") @Param(description = "The download name, when the URL names one") String filename,
            @QueryParam("signature") @Param(description = "The URL's signature") String signature,
            @HeaderParam("Range")
                    @Param(description = "One byte range, `bytes=first-last`, `bytes=first-` or `bytes=-suffix`")
                    String range) {
        ObjectKeys.check(key);
        store.verify("GET", key, null, null, null, filename, expires, signature);
        ObjectInfo info = store.stat(key).orElseThrow(() -> Failures.objectNotFound(key));
        ByteRange r = ByteRange.parse(range, info.size());
        InputStream in = r == null ? store.get(key) : store.get(key, r.first(), r.length());
        StreamingOutput body = out -> {
            try (InputStream data = in) {
                data.transferTo(out);
            }
        };
        Response.ResponseBuilder b;
        if (r == null) {
            b = Response.ok(body).header("Content-Length", info.size());
        } else {
            b = Response.status(206)
                    .entity(body)
                    .header("Content-Length", r.length())
                    .header("Content-Range", "bytes " + r.first() + "-" + r.last() + "/" + info.size());
        }
        b.type(store.contentType(key))
                .header("Accept-Ranges", "bytes")
                .tag(new EntityTag(info.etag()))
                .lastModified(Date.from(info.lastModified()));
        if (filename != null) {
            b.header("Content-Disposition", contentDisposition(filename));
        }
        return b.build();
    }

    /** Stores the body as the object, or as part {@code partNumber} of the upload {@code uploadId}. */
    @PUT
    @Path("objects/{key: .+}")
    @Consumes(MediaType.WILDCARD)
    @Public
    @Operation(
            id = "putPresignedObject",
            summary = "Store an object or an upload part through a presigned URL of the filesystem store",
            description = "Used as given by the part URLs Karyo hands out: the signature is the credential, a wrong or"
                    + " expired one is a 403. The body is the raw bytes; a part URL stores exactly the length it was"
                    + " signed for (another `Content-Length` is a 400). `If-Match` is not read.")
    @Returns(status = 200, description = "Stored; the ETag header names the stored object or part, as S3 does")
    @Fails({403, 409})
    public Response put(
            @PathParam("key") @Param(description = "The object's key, slashes included, as the presigned URL names it")
                    String key,
            @QueryParam("uploadId") @Param(description = "The multipart upload a part belongs to") String uploadId,
            @QueryParam("partNumber")
                    @Param(kind = Param.Kind.INTEGER, description = "The part's number, with uploadId")
                    String partNumber,
            @QueryParam("length")
                    @Param(kind = Param.Kind.INTEGER, description = "The part's length in bytes, with uploadId")
                    String partLength,
            @QueryParam("expires")
                    @Param(kind = Param.Kind.INTEGER, description = "When the URL expires, in seconds since the epoch")
                    String expires,
            @QueryParam("signature") @Param(description = "The URL's signature") String signature,
            @HeaderParam("Content-Length") @Param(kind = Param.Kind.INTEGER, description = "The body's size in bytes")
                    String contentLength,
            @HeaderParam("Content-Type") String contentType,
            InputStream body)
            throws IOException {
        ObjectKeys.check(key);
        store.verify("PUT", key, uploadId, partNumber, partLength, null, expires, signature);
        long length = length(contentLength);
        if (partLength != null) {
            requireLength(length, Long.parseLong(partLength));
        }
        try (InputStream in = body == null ? InputStream.nullInputStream() : body) {
            if (uploadId != null) {
                PartInfo part =
                        store.putPart(new MultipartUpload(key, uploadId), Integer.parseInt(partNumber), in, length);
                return Response.ok().tag(new EntityTag(part.etag())).build();
            }
            ObjectInfo info = store.put(key, in, length, new PutOptions(contentType, null));
            return Response.ok().tag(new EntityTag(info.etag())).build();
        }
    }

    private static long length(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw KaryoException.invalid("Content-Length", "must be a number of bytes");
        }
    }

    /**
     * INVALID naming {@code Content-Length} unless the body declares exactly the length the URL was signed for (a
     * body without one, chunked, is refused too): anyone holding a part URL can store that part, and nothing bigger.
     */
    private static void requireLength(long length, long signed) {
        if (length < 0) {
            throw KaryoException.invalid(
                    "Content-Length", "is required: this URL stores a part of " + signed + " bytes");
        }
        if (length != signed) {
            throw KaryoException.invalid(
                    "Content-Length", "this URL stores a part of exactly " + signed + " bytes, not " + length);
        }
    }

    /** RFC 6266: an ASCII fallback and the UTF-8 name. */
    static String contentDisposition(String filename) {
        StringBuilder ascii = new StringBuilder();
        for (char c : filename.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        String utf8 = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
