package org.karyo.rest.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.rest.internal.openapi.OpenApiGenerator;

/**
 * The test kit of resource bundles' wire-format tests (published with {@code PlatformSlice} as this bundle's test-jar):
 * the platform's own JSON dialect (package-private here) and OpenAPI generator, so that a module's DTOs are checked
 * with exactly the rules the running server applies: snake_case names, unknown fields refused with the field named,
 * the generated schemas.
 */
public final class PlatformJson {
    private static final ObjectMapper MAPPER = JsonMappers.create();

    private PlatformJson() {}

    /** How the platform writes {@code value}. */
    public static JsonNode write(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Reads a request body as the platform's JSON provider does. */
    public static <T> T read(Class<T> type, String json) throws BadBody {
        try {
            Object value = new JsonProvider(MAPPER, 1 << 20)
                    .read(type, -1, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
            return type.cast(value);
        } catch (JsonBodyException e) {
            throw new BadBody(e.problem().errors(), e.problem().detail());
        } catch (KaryoException e) {
            throw new BadBody(e.errors(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The platform's OpenAPI document of some resource classes. */
    public static ObjectNode openApi(List<Class<?>> resources) {
        return new OpenApiGenerator(MAPPER).generate(resources, "test");
    }

    /** A body the platform refuses with a 400: the fields it names. */
    public static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<FieldError> errors;

        BadBody(List<FieldError> errors, String detail) {
            super(detail);
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }
}
