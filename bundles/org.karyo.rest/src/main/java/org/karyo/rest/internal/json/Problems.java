package org.karyo.rest.internal.json;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.rest.support.Karyo;

/** Builds the problem documents and responses of every error the platform answers. */
public final class Problems {
    static final String INTERNAL = "internal-error";

    /** The challenge every 401 carries (RFC 6750 §3). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"karyo\"";

    private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,40}");

    private Problems() {}

    /** The HTTP status of a kind of failure. */
    public static int status(Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PRECONDITION_FAILED -> 412;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
            case TOO_MANY_REQUESTS -> 429;
            case UNPROCESSABLE -> 422;
            case RANGE_NOT_SATISFIABLE -> 416;
        };
    }

    static String title(Kind kind) {
        return switch (kind) {
            case INVALID -> "Invalid request";
            case UNAUTHENTICATED -> "Authentication required";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Conflict";
            case PRECONDITION_FAILED -> "Precondition failed";
            case TOO_LARGE -> "Request too large";
            case UNAVAILABLE -> "Service unavailable";
            case TOO_MANY_REQUESTS -> "Too many requests";
            case UNPROCESSABLE -> "Unprocessable content";
            case RANGE_NOT_SATISFIABLE -> "Range not satisfiable";
        };
    }

    /** The problem of a {@link KaryoException}: its slug, message (client-safe by contract), fields and extensions. */
    static Problem of(KaryoException e) {
        Problem p = new Problem(e.type(), title(e.kind()), status(e.kind()), e.getMessage()).errors(e.errors());
        for (Map.Entry<String, Object> x : e.extensions().entrySet()) {
            p.with(x.getKey(), x.getValue());
        }
        return p;
    }

    /** A body over the limit. */
    static Problem tooLarge(long limit) {
        return new Problem(
                        "too-large", title(Kind.TOO_LARGE), 413, "The request body is larger than " + limit + " bytes")
                .with("max_bytes", limit);
    }

    /** An unexpected failure: a fresh incident id, and nothing of the exception. */
    static Problem incident(String incident) {
        return new Problem(
                        INTERNAL,
                        "Internal server error",
                        500,
                        "An unexpected error occurred. Quote incident " + incident + " when you report it.")
                .with("incident", incident);
    }

    static String newIncident() {
        return UUID.randomUUID().toString();
    }

    /** The problem of a JAX-RS exception (unknown path, wrong method or media type, parameter conversion). */
    static Problem of(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        // the same titles as the platform's own refusals (a 404 is "Not found" whichever layer answers it)
        String title = java.util.Arrays.stream(Kind.values())
                .filter(k -> status(k) == status)
                .map(Problems::title)
                .findFirst()
                .orElse(type != null ? sentenceCase(type.getReasonPhrase()) : "HTTP " + status);
        boolean conversion = e.getCause() != null && (status == 404 || status == 400);
        String slug;
        String detail;
        switch (status) {
            case 400 -> {
                slug = conversion ? "invalid-parameter" : "bad-request";
                detail = conversion ? "A header or parameter has an invalid value" : "The request is invalid";
            }
            case 401 -> {
                slug = "unauthenticated";
                detail = "Authentication is required";
            }
            case 403 -> {
                slug = "forbidden";
                detail = "This operation is not allowed";
            }
            case 404 -> {
                slug = conversion ? "invalid-parameter" : "not-found";
                detail = conversion
                        ? "A path or query parameter has an invalid value"
                        : "There is no resource at this path";
            }
            case 405 -> {
                slug = "method-not-allowed";
                detail = "This method is not allowed on this resource; see the Allow header";
            }
            case 406 -> {
                slug = "not-acceptable";
                detail = "This resource cannot produce any media type the Accept header lists";
            }
            case 409 -> {
                slug = "conflict";
                detail = "The request conflicts with the current state";
            }
            case 412 -> {
                slug = "precondition-failed";
                detail = "A precondition of the request failed";
            }
            case 413 -> {
                slug = "too-large";
                detail = "The request is too large";
            }
            case 415 -> {
                slug = "unsupported-media-type";
                detail = "This resource does not accept the request's Content-Type";
            }
            case 503 -> {
                slug = "unavailable";
                detail = "The service is temporarily unavailable";
            }
            default -> {
                slug = "http-" + status;
                detail = title;
            }
        }
        return new Problem(slug, title, status, detail);
    }

    /**
     * The response that carries a problem, with {@code Retry-After} when given and, on a 401, the
     * {@code WWW-Authenticate} challenge.
     */
    static Response response(Problem problem, Duration retryAfter) {
        Response.ResponseBuilder b =
                Response.status(problem.status()).type(Karyo.PROBLEM_JSON).entity(problem);
        if (retryAfter != null) {
            b.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
        }
        if (problem.status() == 401) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, challenge(problem));
        }
        return b.build();
    }

    /**
     * The RFC 6750 challenge of a 401: {@code Bearer realm="karyo"}, with {@code error} and
     * {@code error_description} when the problem names an OAuth error (a bad or expired token: {@code invalid_token}).
     * A request without credentials gets no error code (RFC 6750 §3.1).
     */
    public static String challenge(Problem problem) {
        StringBuilder c = new StringBuilder(BEARER_CHALLENGE);
        if (problem != null
                && problem.get("error") instanceof String error
                && OAUTH_ERROR.matcher(error).matches()) {
            c.append(", error=\"").append(error).append('"');
            if (problem.detail() != null) {
                c.append(", error_description=\"")
                        .append(quotable(problem.detail()))
                        .append('"');
            }
        }
        return c.toString();
    }

    /** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E (no quote, no backslash, printable ASCII). */
    private static String quotable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            out.append(ch >= 0x20 && ch <= 0x7e && ch != '"' && ch != '\\' ? ch : ' ');
        }
        return out.toString();
    }

    /** Whole seconds, rounded up, never negative. */
    public static long retryAfterSeconds(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }

    /** The headers of a JAX-RS exception's response worth keeping (such as {@code Allow}), without entity headers. */
    static void copyHeaders(WebApplicationException e, Response.ResponseBuilder target) {
        if (e.getResponse() == null) {
            return;
        }
        MultivaluedMap<String, Object> headers = e.getResponse().getMetadata();
        for (Map.Entry<String, List<Object>> h : headers.entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)
                    || name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)
                    || name.equalsIgnoreCase(HttpHeaders.CONTENT_ENCODING)
                    || name.equalsIgnoreCase(HttpHeaders.CONTENT_LANGUAGE)) {
                continue;
            }
            for (Object v : h.getValue()) {
                target.header(name, v);
            }
        }
    }

    /** "Method Not Allowed" as "Method not allowed": one capital, as the platform's titles. */
    static String sentenceCase(String phrase) {
        return phrase.isEmpty()
                ? phrase
                : phrase.charAt(0) + phrase.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
