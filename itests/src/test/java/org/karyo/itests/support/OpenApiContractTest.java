package org.karyo.itests.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OpenApiContract} finds wrong in a response, against a small document shaped like the platform's. */
class OpenApiContractTest {
    private static final String JSON = "application/json";

    private static final String DOCUMENT =
            """
            {
              "openapi": "3.0.3",
              "paths": {
                "/things/{id}": {
                  "get": {
                    "responses": {
                      "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                      "404": {"$ref": "#/components/responses/NotFound"}
                    }
                  }
                },
                "/files/{key}": {
                  "get": {
                    "parameters": [{"name": "key", "in": "path", "required": true, "x-karyo-multi-segment": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "integer"}}}}}
                  }
                },
                "/things/count": {
                  "get": {"responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "integer"}}}}}}
                }
              },
              "components": {
                "responses": {
                  "NotFound": {"description": "Not found", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                },
                "schemas": {
                  "Problem": {
                    "type": "object",
                    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}},
                    "required": ["type", "title", "status"],
                    "additionalProperties": true
                  },
                  "Thing": {
                    "type": "object",
                    "properties": {
                      "id": {"type": "integer", "format": "int64"},
                      "state": {"type": "string", "enum": ["NEW", "DONE"]},
                      "note": {"type": "string", "nullable": true},
                      "parent": {"type": "object", "allOf": [{"$ref": "#/components/schemas/Thing"}], "nullable": true}
                    },
                    "required": ["id", "state"],
                    "additionalProperties": false
                  }
                }
              }
            }
            """;

    private static List<String> get(String path, int status, String contentType, String body) {
        return OpenApiContract.violations(DOCUMENT, "GET", path, status, contentType, body);
    }

    @Test
    void aResponseAsDeclaredPasses() {
        assertThat(get("/things/1", 200, JSON, "{\"id\":1,\"state\":\"NEW\",\"note\":null,\"parent\":null}"))
                .isEmpty();
        assertThat(get(
                        "/things/1",
                        200,
                        JSON,
                        "{\"id\":1,\"state\":\"NEW\",\"note\":\"n\",\"parent\":{\"id\":2,\"state\":\"DONE\"}}"))
                .isEmpty();
        // a literal segment wins over a parameter
        assertThat(get("/things/count", 200, JSON, "3")).isEmpty();
        assertThat(get(
                        "/things/1",
                        404,
                        "application/problem+json",
                        "{\"type\":\"t\",\"title\":\"Not found\",\"status\":404,\"request_id\":\"r\"}"))
                .isEmpty();
    }

    @Test
    void eachKindOfDisagreementIsNamedWithItsPointer() {
        assertThat(get("/things/1", 200, JSON, "{\"id\":null,\"state\":\"NEW\"}"))
                .singleElement()
                .asString()
                .contains("\"/id\"", "null");
        assertThat(get("/things/1", 200, JSON, "{\"id\":1}"))
                .singleElement()
                .asString()
                .contains("state", "required");
        assertThat(get("/things/1", 200, JSON, "{\"id\":1,\"state\":\"NEW\",\"colour\":\"red\"}"))
                .singleElement()
                .asString()
                .contains("colour");
        assertThat(get("/things/1", 200, JSON, "{\"id\":\"1\",\"state\":\"NEW\"}"))
                .singleElement()
                .asString()
                .contains("\"/id\"", "string");
        assertThat(get("/things/1", 200, JSON, "{\"id\":1,\"state\":\"LOST\"}"))
                .singleElement()
                .asString()
                .contains("\"/state\"", "enum");
        assertThat(get("/things/1", 200, JSON, "{\"id\":1,\"state\":\"NEW\",\"parent\":{\"id\":2}}"))
                // a nullable reference that is not null must match its schema
                .singleElement()
                .asString()
                .contains("\"/parent\"", "state", "required");
    }

    @Test
    void anUndeclaredStatusOrMediaTypeIsReported() {
        assertThat(get("/things/1", 409, "application/problem+json", "{\"type\":\"t\",\"title\":\"x\",\"status\":409}"))
                .singleElement()
                .asString()
                .contains("status 409 is not declared", "200, 404");
        assertThat(get("/things/1", 404, JSON, "{\"type\":\"t\",\"title\":\"x\",\"status\":404}"))
                .singleElement()
                .asString()
                .contains("application/json body is not declared");
    }

    @Test
    void anUnknownPathIsReportedUnlessItIsA404() {
        assertThat(get("/nothing/here", 200, JSON, "{}"))
                .singleElement()
                .asString()
                .contains("no path");
        assertThat(get(
                        "/nothing/here",
                        404,
                        "application/problem+json",
                        "{\"type\":\"t\",\"title\":\"x\",\"status\":404}"))
                .isEmpty();
        assertThat(get("/nothing/here", 404, "application/problem+json", "{\"title\":\"x\"}"))
                .isNotEmpty();
    }

    @Test
    void aMultiSegmentVariableTakesTheRestOfThePathAndAnOrdinaryOneDoesNot() {
        assertThat(get("/files/a/b/c.bin", 200, JSON, "1")).isEmpty();
        assertThat(get("/files/c.bin", 200, JSON, "1")).isEmpty();
        assertThat(get("/things/1/extra", 200, JSON, "{\"id\":1,\"state\":\"NEW\"}"))
                .containsExactly("no path of the document serves this request");
    }
}
