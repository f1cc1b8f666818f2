package org.karyo.rest.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;

/** The platform JSON dialect as clients see it: what is accepted, and the precise problem for what is not. */
class JsonRulesTest {
    enum ContentType {
        BANNER_INFO,
        RELEASE_NOTE
    }

    record Metadata(Integer order, String style, List<String> tags) {}

    record NewContent(String title, ContentType contentType, Metadata metadata, Instant publishedAt, Boolean pinned) {}

    record Counted(String name, int count) {}

    record Checked(String name) {
        Checked {
            if (name != null && name.isBlank()) {
                throw KaryoException.invalid("name", "must not be blank");
            }
        }
    }

    record Shown(String contentType, Instant createdAt, Optional<String> note, Map<String, Object> metadata) {}

    private final JsonProvider json = new JsonProvider(JsonMappers.create(), 1024);

    private Object read(Type type, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return json.read(type, bytes.length, new ByteArrayInputStream(bytes));
    }

    private Problem problem(Type type, String body) {
        Throwable t = catchThrowable(() -> read(type, body));
        assertThat(t).isInstanceOf(JsonBodyException.class);
        return ((JsonBodyException) t).problem();
    }

    private static FieldError onlyError(Problem p) {
        assertThat(p.type()).isEqualTo("urn:karyo:problem:validation");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.errors()).hasSize(1);
        return p.errors().get(0);
    }

    @Test
    void readsSnakeCaseIntoRecords() throws Exception {
        Object v = read(
                NewContent.class,
                "{\"title\":\"Hello\",\"content_type\":\"RELEASE_NOTE\","
                        + "\"metadata\":{\"order\":2,\"tags\":[\"a\"]},\"published_at\":\"2024-05-01T12:00:00Z\"}");
        assertThat(v)
                .isEqualTo(new NewContent(
                        "Hello",
                        ContentType.RELEASE_NOTE,
                        new Metadata(2, null, List.of("a")),
                        Instant.parse("2024-05-01T12:00:00Z"),
                        null));
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        FieldError e = onlyError(problem(NewContent.class, "{\"title\":\"a\",\"colour\":\"red\"}"));
        assertThat(e.field()).isEqualTo("colour");
        assertThat(e.message()).startsWith("unknown field 'colour'").contains("content_type");

        FieldError nested = onlyError(problem(NewContent.class, "{\"metadata\":{\"order\":1,\"tagz\":[]}}"));
        assertThat(nested.field()).isEqualTo("metadata.tagz");
    }

    @Test
    void numberForAStringIsAWrongType() {
        FieldError e = onlyError(problem(NewContent.class, "{\"title\":12}"));
        assertThat(e.field()).isEqualTo("title");
        assertThat(e.message()).isEqualTo("must be a string");
    }

    @Test
    void scalarsAreNeverCoerced() {
        assertThat(onlyError(problem(NewContent.class, "{\"metadata\":{\"order\":\"3\"}}")))
                .isEqualTo(new FieldError("metadata.order", "must be an integer"));
        assertThat(onlyError(problem(NewContent.class, "{\"metadata\":{\"order\":1.5}}")))
                .isEqualTo(new FieldError("metadata.order", "must be an integer"));
        assertThat(onlyError(problem(NewContent.class, "{\"pinned\":\"true\"}")))
                .isEqualTo(new FieldError("pinned", "must be true or false"));
        assertThat(onlyError(problem(NewContent.class, "{\"pinned\":1}")).field())
                .isEqualTo("pinned");
        assertThat(onlyError(problem(NewContent.class, "{\"title\":true}")).field())
                .isEqualTo("title");
        assertThat(onlyError(problem(NewContent.class, "{\"metadata\":\"\"}")))
                .isEqualTo(new FieldError("metadata", "must be an object"));
    }

    @Test
    void arrayElementsHaveIndexedPaths() {
        FieldError e = onlyError(problem(NewContent.class, "{\"metadata\":{\"tags\":[\"a\",2]}}"));
        assertThat(e).isEqualTo(new FieldError("metadata.tags[1]", "must be a string"));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        FieldError e = onlyError(problem(NewContent.class, "{\"content_type\":\"BANNER_PINK\"}"));
        assertThat(e.field()).isEqualTo("content_type");
        assertThat(e.message()).isEqualTo("unknown value 'BANNER_PINK'; must be one of: BANNER_INFO, RELEASE_NOTE");
    }

    @Test
    void numbersAreNotEnumValues() {
        FieldError e = onlyError(problem(NewContent.class, "{\"content_type\":1}"));
        assertThat(e.field()).isEqualTo("content_type");
        assertThat(e.message()).endsWith("must be one of: BANNER_INFO, RELEASE_NOTE");
    }

    @Test
    void instantsAreIsoStringsOnly() {
        assertThat(onlyError(problem(NewContent.class, "{\"published_at\":1714564800}"))
                        .field())
                .isEqualTo("published_at");
        FieldError bad = onlyError(problem(NewContent.class, "{\"published_at\":\"yesterday\"}"));
        assertThat(bad.field()).isEqualTo("published_at");
        assertThat(bad.message()).contains("ISO-8601");
    }

    @Test
    void missingOrNullPrimitiveIsRequired() {
        assertThat(onlyError(problem(Counted.class, "{\"name\":\"a\"}")))
                .isEqualTo(new FieldError("count", "is required and must be an integer"));
        assertThat(onlyError(problem(Counted.class, "{\"name\":\"a\",\"count\":null}"))
                        .field())
                .isEqualTo("count");
    }

    @Test
    void outOfRangeNumberIsAFieldError() {
        assertThat(onlyError(problem(Counted.class, "{\"name\":\"a\",\"count\":99999999999}")))
                .isEqualTo(new FieldError("count", "is out of range for an integer"));
    }

    @Test
    void malformedJsonGivesLineAndColumnWithoutEchoingInternals() {
        Problem p = problem(NewContent.class, "{\n  \"title\": \"a\",\n}");
        assertThat(p.type()).isEqualTo("urn:karyo:problem:malformed-json");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.detail()).contains("line 3").contains("column");
        assertThat(p.get("line")).isEqualTo(3);
        assertThat(p.detail())
                .doesNotContain("Unexpected character")
                .doesNotContain("code 125")
                .doesNotContain("Jackson");

        Problem truncated = problem(NewContent.class, "{\"title\":\"a\"");
        assertThat(truncated.type()).isEqualTo("urn:karyo:problem:malformed-json");
        assertThat(truncated.detail()).contains("unexpected end of input");

        Problem duplicate = problem(NewContent.class, "{\"title\":\"a\",\"title\":\"b\"}");
        assertThat(duplicate.type()).isEqualTo("urn:karyo:problem:malformed-json");
        assertThat(duplicate.detail()).contains("duplicate field");

        Problem nested = problem(NewContent.class, "{\"metadata\":{\"order\": 01}}");
        assertThat(nested.type()).isEqualTo("urn:karyo:problem:malformed-json");
    }

    @Test
    void trailingTokensAreMalformed() {
        Problem second = problem(NewContent.class, "{\"title\":\"a\"} {}");
        assertThat(second.type()).isEqualTo("urn:karyo:problem:malformed-json");
        assertThat(second.detail()).contains("unexpected content after the JSON value");
        Problem garbage = problem(NewContent.class, "{\"title\":\"a\"} x");
        assertThat(garbage.type()).isEqualTo("urn:karyo:problem:malformed-json");
    }

    @Test
    void emptyOrNullBodyIsMissing() {
        assertThat(problem(NewContent.class, "").type()).isEqualTo("urn:karyo:problem:missing-body");
        assertThat(problem(NewContent.class, "  null ").type()).isEqualTo("urn:karyo:problem:missing-body");
    }

    @Test
    void wrongShapeOfTheBodyIsAnErrorOnTheRoot() {
        FieldError e = onlyError(problem(NewContent.class, "[1]"));
        assertThat(e).isEqualTo(new FieldError("$", "must be an object"));
    }

    @Test
    void aRefusalFromTheRecordItselfIsKept() {
        Throwable t = catchThrowable(() -> read(Checked.class, "{\"name\":\" \"}"));
        assertThat(t).isInstanceOf(KaryoException.class);
        assertThat(((KaryoException) t).kind()).isEqualTo(Kind.INVALID);
        assertThat(((KaryoException) t).errors()).containsExactly(new FieldError("name", "must not be blank"));
    }

    @Test
    void bodiesOverTheLimitAreTooLarge() {
        String big = "{\"title\":\"" + "x".repeat(2000) + "\"}";
        // declared by Content-Length
        assertThat(catchThrowable(() -> read(NewContent.class, big))).isInstanceOf(BodyTooLargeException.class);
        // or discovered while streaming (chunked)
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        assertThat(catchThrowable(() -> json.read(NewContent.class, -1, new ByteArrayInputStream(bytes))))
                .isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void readsGenericTypes() throws Exception {
        Type listOfMetadata = new TypeReference<List<Metadata>>() {}.getType();
        Object v = read(listOfMetadata, "[{\"order\":1}]");
        assertThat(v).isEqualTo(List.of(new Metadata(1, null, null)));
    }

    @Test
    void writesSnakeCaseIsoInstantsAndOptionals() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Page<Shown> page = new Page<>(
                1,
                20,
                0,
                List.of(new Shown(
                        "BANNER_INFO", Instant.parse("2024-05-01T12:00:00Z"), Optional.empty(), Map.of("order", 1))));
        json.writeTo(page, Page.class, Page.class, null, MediaType.APPLICATION_JSON_TYPE, null, out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"count\":1,\"limit\":20,\"offset\":0,\"results\":"
                        + "[{\"content_type\":\"BANNER_INFO\",\"created_at\":\"2024-05-01T12:00:00Z\",\"note\":null,"
                        + "\"metadata\":{\"order\":1}}]}");
    }

    @Test
    void handlesJsonMediaTypesButLeavesRawTypesToOthers() {
        assertThat(json.isReadable(NewContent.class, NewContent.class, null, MediaType.APPLICATION_JSON_TYPE))
                .isTrue();
        assertThat(json.isWriteable(Problem.class, Problem.class, null, MediaType.valueOf("application/problem+json")))
                .isTrue();
        assertThat(json.isReadable(NewContent.class, NewContent.class, null, MediaType.TEXT_PLAIN_TYPE))
                .isFalse();
        assertThat(json.isReadable(String.class, String.class, null, MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
        assertThat(json.isWriteable(byte[].class, byte[].class, null, MediaType.APPLICATION_JSON_TYPE))
                .isFalse();
    }
}
