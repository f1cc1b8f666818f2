package org.karyo.auth.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.annotation.Annotation;
import java.util.Locale;
import java.util.Optional;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.Providers;

/**
 * A JSON body that a request may leave out entirely, with or without a {@code Content-Type} (a client posting nothing
 * usually sends none, which a JSON entity parameter would refuse with 415). A body that is present is read by the
 * platform's JSON provider, with its usual strictness and 400s.
 */
final class OptionalJsonBody {
    private static final Annotation[] NONE = new Annotation[0];

    private OptionalJsonBody() {}

    /**
     * The body as {@code type}, or empty when there is none (no bytes, or only white space).
     *
     * @throws NotSupportedException (415) when a body is present but not JSON
     */
    static <T> Optional<T> read(InputStream in, Class<T> type, HttpHeaders headers, Providers providers)
            throws IOException {
        if (in == null) {
            return Optional.empty();
        }
        PushbackInputStream body = new PushbackInputStream(in, 1);
        int first;
        do {
            first = body.read();
        } while (first == ' ' || first == '\t' || first == '\r' || first == '\n');
        if (first < 0) {
            return Optional.empty();
        }
        body.unread(first);
        MediaType mediaType = headers == null ? null : headers.getMediaType();
        MessageBodyReader<T> reader = isJson(mediaType) && providers != null
                ? providers.getMessageBodyReader(type, type, NONE, mediaType)
                : null;
        if (reader == null) {
            throw new NotSupportedException("This body must be JSON");
        }
        return Optional.ofNullable(reader.readFrom(type, type, NONE, mediaType, headers.getRequestHeaders(), body));
    }

    private static boolean isJson(MediaType type) {
        if (type == null) {
            return false;
        }
        String sub = type.getSubtype().toLowerCase(Locale.ROOT);
        return type.getType().equalsIgnoreCase("application") && (sub.equals("json") || sub.endsWith("+json"));
    }
}
