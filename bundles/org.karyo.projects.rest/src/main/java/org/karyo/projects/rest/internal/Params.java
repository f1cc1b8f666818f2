package org.karyo.projects.rest.internal;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.ws.rs.core.EntityTag;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.Upload;
import org.karyo.rest.support.PathIds;

/** Decoding of query parameters and raw bodies, and the responses that stream documents. */
final class Params {
    private Params() {}

    static long path(String raw, String what) {
        return PathIds.parse(raw, what);
    }

    /** A raw request body as an upload: its declared length and media type come from the headers. */
    static Upload upload(InputStream body, HttpHeaders headers, String fileName, String sha256) {
        long length = -1;
        String declared = headers == null ? null : headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        MediaType type = headers == null ? null : headers.getMediaType();
        return new Upload(fileName, type == null ? null : type.toString(), length, sha256, body);
    }

    /**
     * A document streamed to the client: its media type, length, {@code ETag} (its SHA-256), a {@code Digest} header
     * and {@code Content-Disposition: attachment}.
     */
    static Response download(Download d) {
        StreamingOutput body = out -> {
            try (InputStream in = d.data()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body)
                .type(d.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, d.size())
                .header("Content-Disposition", attachment(d.fileName()))
                .header("Digest", "sha-256=" + base64(d.sha256()))
                .header("X-Content-Type-Options", "nosniff")
                .tag(new EntityTag(d.sha256()))
                .build();
    }

    /** {@code attachment; filename="ascii"; filename*=UTF-8''percent-encoded}. */
    static String attachment(String fileName) {
        String name = fileName == null || fileName.isBlank() ? "download" : fileName;
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String base64(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
