package org.karyo.rest.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.rest.internal.RequestIds;
import org.slf4j.MDC;

/** Every error becomes a problem+json response with the right status, type and members. */
class ProblemMapperTest {
    private final ProblemMapper mapper = new ProblemMapper();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    private static Problem problem(Response r) {
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(r.getEntity()).isInstanceOf(Problem.class);
        Problem p = (Problem) r.getEntity();
        assertThat(p.status()).isEqualTo(r.getStatus());
        return p;
    }

    @ParameterizedTest
    @CsvSource({
        "INVALID, 400",
        "UNAUTHENTICATED, 401",
        "FORBIDDEN, 403",
        "NOT_FOUND, 404",
        "CONFLICT, 409",
        "PRECONDITION_FAILED, 412",
        "TOO_LARGE, 413",
        "UNAVAILABLE, 503",
        "TOO_MANY_REQUESTS, 429",
        "UNPROCESSABLE, 422",
        "RANGE_NOT_SATISFIABLE, 416"
    })
    void mapsEachKindToItsStatus(Kind kind, int status) {
        Response r = mapper.toResponse(new KaryoException(kind, "some-slug", "what happened", null, null, null));
        Problem p = problem(r);
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(p.type()).isEqualTo("urn:karyo:problem:some-slug");
        assertThat(p.detail()).isEqualTo("what happened");
        assertThat(p.get("title")).isNotNull();
        assertThat(r.getHeaderString("Retry-After")).isNull();
    }

    @Test
    void validationCarriesTheFields() {
        Problem p = problem(mapper.toResponse(KaryoException.invalid(
                List.of(new FieldError("title", "is required"), new FieldError("metadata.order", "must be >= 0")))));
        assertThat(p.type()).isEqualTo("urn:karyo:problem:validation");
        assertThat(p.errors()).extracting(FieldError::field).containsExactly("title", "metadata.order");
    }

    @Test
    void aClientThatWentAwayIsNotAnIncident() {
        for (Throwable gone : new Throwable[] {
            new RuntimeException(new java.io.EOFException("Early EOF")), // Jetty's EofException extends EOFException
            new java.io.UncheckedIOException(new java.io.IOException("Broken pipe")),
            new RuntimeException(new java.io.IOException("Connection reset by peer"))
        }) {
            Response r = mapper.toResponse(gone);
            assertThat(r.getStatus()).as(gone.toString()).isEqualTo(400);
            assertThat(problem(r).toString()).doesNotContain("incident");
        }
        assertThat(mapper.toResponse(new IllegalStateException("a bug")).getStatus())
                .isEqualTo(500);
    }

    @Test
    void staleVersionIs412() {
        Response r = mapper.toResponse(KaryoException.stale("content", 3));
        assertThat(r.getStatus()).isEqualTo(412);
        assertThat(problem(r).type()).isEqualTo("urn:karyo:problem:stale-version");
    }

    @Test
    void extensionsAndRetryAfterAreKept() {
        Instant end = Instant.parse("2030-01-01T00:00:00Z");
        Response r = mapper.toResponse(KaryoException.unavailable(
                "maintenance",
                "Down for maintenance",
                Map.of("subject", "Upgrade", "end", end, "status", 999),
                Duration.ofMillis(90_500)));
        Problem p = problem(r);
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("91");
        assertThat(p.get("subject")).isEqualTo("Upgrade");
        assertThat(p.get("end")).isEqualTo(end);
        assertThat(p.status()).isEqualTo(503); // an extension cannot overwrite a standard member
    }

    /** Issue 10 §2 (RFC 6750 §3): every 401 carries a Bearer challenge; a bad token's names invalid_token. */
    @Test
    void every401CarriesABearerChallenge() {
        Response none = mapper.toResponse(KaryoException.unauthenticated("Authentication is required"));
        assertThat(none.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"karyo\"");

        Response expired = mapper.toResponse(new KaryoException(
                Kind.UNAUTHENTICATED,
                "token-expired",
                "The access token expired",
                null,
                Map.of("error", "invalid_token"),
                null));
        assertThat(expired.getHeaderString("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"karyo\", error=\"invalid_token\","
                        + " error_description=\"The access token expired\"");
        assertThat(problem(expired).get("error")).isEqualTo("invalid_token");

        Response jaxrs = mapper.toResponse(new javax.ws.rs.NotAuthorizedException("Bearer"));
        assertThat(jaxrs.getStatus()).isEqualTo(401);
        assertThat(jaxrs.getHeaderString("WWW-Authenticate")).startsWith("Bearer");

        Response forbidden = mapper.toResponse(KaryoException.forbidden("no"));
        assertThat(forbidden.getHeaderString("WWW-Authenticate")).isNull();
    }

    @Test
    void requestIdComesFromTheMdc() {
        MDC.put(RequestIds.MDC_KEY, "req-42");
        Problem p = problem(mapper.toResponse(KaryoException.notFound("content", 7)));
        assertThat(p.get("request_id")).isEqualTo("req-42");
    }

    @Test
    void unknownPathIs404Problem() {
        Response r = mapper.toResponse(new NotFoundException());
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(problem(r).type()).isEqualTo("urn:karyo:problem:not-found");
    }

    @Test
    void parameterConversionFailureKeepsItsStatus() {
        Response r = mapper.toResponse(new NotFoundException(new NumberFormatException("For input string: \"abc\"")));
        Problem p = problem(r);
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(p.type()).isEqualTo("urn:karyo:problem:invalid-parameter");
        assertThat(p.detail()).doesNotContain("abc");
    }

    @Test
    void methodNotAllowedKeepsTheAllowHeader() {
        Response r = mapper.toResponse(new NotAllowedException("GET", new String[] {"POST"}));
        assertThat(r.getStatus()).isEqualTo(405);
        assertThat(problem(r).type()).isEqualTo("urn:karyo:problem:method-not-allowed");
        assertThat(r.getHeaderString("Allow")).contains("GET").contains("POST");
    }

    @Test
    void unsupportedMediaTypeIs415() {
        Response r = mapper.toResponse(new NotSupportedException());
        assertThat(r.getStatus()).isEqualTo(415);
        assertThat(problem(r).type()).isEqualTo("urn:karyo:problem:unsupported-media-type");
    }

    @Test
    void unreadableBodiesAreTheirProblem() {
        Problem body = JsonProblems.missingBody();
        assertThat(problem(mapper.toResponse(new JsonBodyException(body)))).isSameAs(body);
        Response large = mapper.toResponse(new BodyTooLargeException(1024));
        assertThat(large.getStatus()).isEqualTo(413);
        assertThat(problem(large).type()).isEqualTo("urn:karyo:problem:too-large");
    }

    @Test
    void anythingElseIs500WithAnIncidentAndNoMessage() {
        Response r = mapper.toResponse(new IllegalStateException(
                new SQLException("ERROR: relation \"karyo_content.content\" does not exist")));
        Problem p = problem(r);
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(p.type()).isEqualTo("urn:karyo:problem:internal-error");
        assertThat(p.get("incident")).asString().hasSize(36);
        assertThat(p.detail())
                .contains((String) p.get("incident"))
                .doesNotContain("relation")
                .doesNotContain("SQL");
        assertThat(p.toString()).doesNotContain("karyo_content");
    }

    @Test
    void aRefusalWrappedByAnotherLayerIsStillARefusal() {
        Response r = mapper.toResponse(new RuntimeException(KaryoException.conflict("already exists")));
        assertThat(r.getStatus()).isEqualTo(409);
    }
}
