package org.karyo.rest.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;
import org.apache.commons.io.input.BoundedInputStream;
import org.karyo.api.KaryoException;
import org.karyo.rest.internal.Settings;
import org.karyo.rest.support.Karyo;
import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The platform's JSON provider ({@code karyo.json}): reads and writes {@code application/json} and
 * {@code application/*+json} with {@link JsonMappers the platform's rules}. It satisfies {@code @JSONRequired}
 * ({@code osgi.jaxrs.media.type=application/json}). A body that cannot be read becomes a precise 400 problem, a body
 * over {@code max.body.bytes} a 413.
 */
@Capability(
        namespace = "osgi.service",
        attribute = {
            "objectClass:List<String>='javax.ws.rs.ext.MessageBodyReader,javax.ws.rs.ext.MessageBodyWriter'",
            "osgi.jaxrs.media.type:List<String>='" + MediaType.APPLICATION_JSON + "," + Karyo.PROBLEM_JSON + "'"
        },
        uses = {MessageBodyReader.class})
@Component(service = {MessageBodyReader.class, MessageBodyWriter.class})
@JaxrsExtension
@JaxrsName(JsonProvider.NAME)
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JaxrsMediaType({MediaType.APPLICATION_JSON, Karyo.PROBLEM_JSON})
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
public final class JsonProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {
    public static final String NAME = "karyo.json";

    /** Types that other providers handle, in every media type. */
    private static final Set<Class<?>> UNTOUCHABLE = Set.of(
            String.class,
            byte[].class,
            char[].class,
            InputStream.class,
            Reader.class,
            OutputStream.class,
            Writer.class,
            StreamingOutput.class,
            Response.class,
            File.class);

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    @Activate
    public JsonProvider(@Reference Settings settings) {
        this(JsonMappers.create(), settings.maxBodyBytes());
    }

    JsonProvider(ObjectMapper mapper, long maxBodyBytes) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    static boolean isJson(MediaType type) {
        if (type == null) {
            return false;
        }
        String sub = type.getSubtype().toLowerCase(java.util.Locale.ROOT);
        return type.getType().equalsIgnoreCase("application") && (sub.equals("json") || sub.endsWith("+json"));
    }

    private static boolean handles(Class<?> type) {
        if (type == null || type.isPrimitive()) {
            return false;
        }
        for (Class<?> u : UNTOUCHABLE) {
            if (u.isAssignableFrom(type)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType) && handles(type);
    }

    @Override
    public Object readFrom(
            Class<Object> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders,
            InputStream entityStream)
            throws IOException {
        return read(genericType != null ? genericType : type, declaredLength(httpHeaders), entityStream);
    }

    /**
     * Reads one JSON value of {@code type}.
     *
     * @throws BodyTooLargeException when the body is over the limit
     * @throws JsonBodyException when the body is missing, malformed or does not fit the type
     * @throws KaryoException when the type's constructor refused the value with one
     */
    Object read(Type type, long declaredLength, InputStream entityStream) throws IOException {
        if (declaredLength > maxBodyBytes) {
            throw new BodyTooLargeException(maxBodyBytes);
        }
        JavaType javaType = mapper.constructType(type);
        InputStream limited = BoundedInputStream.builder()
                .setInputStream(entityStream)
                // one byte more than allowed: a body of exactly the limit reaches its end without complaint
                .setMaxCount(maxBodyBytes + 1)
                .setOnMaxCount((max, count) -> {
                    throw new BodyTooLargeException(maxBodyBytes);
                })
                .get();
        try (JsonParser parser = mapper.createParser(limited)) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                throw new JsonBodyException(JsonProblems.missingBody());
            }
            Object value = mapper.readerFor(javaType).readValue(parser);
            if (parser.nextToken() != null) {
                throw new JsonBodyException(JsonProblems.trailing(parser.currentLocation()));
            }
            if (value == null) {
                throw new JsonBodyException(JsonProblems.missingBody());
            }
            return value;
        } catch (InvalidDefinitionException e) {
            throw e; // the type cannot be read at all: a server bug, reported as a 500 incident
        } catch (JsonProcessingException e) {
            KaryoException refused = refusal(e);
            if (refused != null) {
                throw refused;
            }
            throw new JsonBodyException(JsonProblems.classify(e));
        }
    }

    private static KaryoException refusal(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof KaryoException k) {
                return k;
            }
        }
        return null;
    }

    private static long declaredLength(MultivaluedMap<String, String> headers) {
        String v = headers == null ? null : headers.getFirst(HttpHeaders.CONTENT_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType) && handles(type);
    }

    @Override
    public long getSize(Object t, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return -1;
    }

    @Override
    public void writeTo(
            Object value,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        mapper.writeValue(entityStream, value);
    }

    /** The mapper, for components of this bundle that write JSON themselves. */
    ObjectMapper mapper() {
        return mapper;
    }
}
