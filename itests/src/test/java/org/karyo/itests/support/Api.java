package org.karyo.itests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the platform's REST API. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Whether responses are checked against the platform's OpenAPI document ({@link OpenApiContract}): not inside an
     * OSGi container (Pax Exam probes), where the schema library is not installed.
     */
    private static final boolean CONTRACT = contractAvailable();

    private final URI base;
    private final String authorization;

    public Api(URI base) {
        this(base, null);
    }

    private Api(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** This client, sending {@code Authorization: Bearer <token>} with every request. */
    public Api withToken(String token) {
        return new Api(base, "Bearer " + token);
    }

    /** This client, with its credentials, against another base ({@code http://host:port} for the root paths). */
    public Api at(URI otherBase) {
        return new Api(otherBase, authorization);
    }

    /** This client without credentials. */
    public Api anonymous() {
        return new Api(base, null);
    }

    /**
     * Logs in with a password and returns a client that sends the access token.
     *
     * @throws IllegalStateException when the login fails
     */
    public Api login(String username, String password) {
        Response r = anonymous().post("/auth/login", loginBody(username, password));
        if (r.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + r);
        }
        return withToken(r.json().get("access_token").asText());
    }

    /** The JSON body of a password login. */
    public static String loginBody(String username, String password) {
        return JSON.createObjectNode()
                .put("username", username)
                .put("password", password)
                .toString();
    }

    /** The API root, e.g. {@code http://127.0.0.1:8181/api}. */
    public URI base() {
        return base;
    }

    /** One HTTP exchange's result. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A PUT of raw bytes (a file part, a document). */
    public Response put(String path, byte[] body, String contentType) {
        return send(
                request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response patch(String path, String json, String ifMatch) {
        HttpRequest.Builder b = request(path)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return send(b);
    }

    public Response delete(String path, String ifMatch) {
        HttpRequest.Builder b = request(path).DELETE();
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return send(b);
    }

    /** Any request, for cases the shortcuts do not cover. */
    public Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r =
                    CLIENT.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (CONTRACT) {
                OpenApiContract.check(r, r.body());
            }
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Checks a response received without this client against the OpenAPI document, where that is possible. */
    public static void checkContract(HttpResponse<?> response, String body) {
        if (CONTRACT) {
            OpenApiContract.check(response, body);
        }
    }

    private static boolean contractAvailable() {
        try {
            Class.forName("com.networknt.schema.JsonSchemaFactory", false, Api.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A request builder for a path below the API root (starting with {@code /}). */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }
}
