package org.karyo.rest.internal.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.rest.internal.json.JsonMappers;
import org.karyo.rest.support.Accepts;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;

/**
 * What a generated client relies on in the document: stable operationIds and summaries, every success status an
 * operation answers, binary bodies, typed parameters, the errors an operation declares, and public operations
 * without security.
 */
class OpenApiOperationsTest {
    record Upload(long id, String state) {}

    record Job(String id, long done, long total) {}

    @Path("omics/uploads")
    @Produces(MediaType.APPLICATION_JSON)
    public static class UploadResource {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @RequiresRight("omics.write")
        @Operation(id = "createUpload", summary = "Start an upload")
        @Returns(value = Upload.class, status = 201)
        @Returns(value = Upload.class, status = 200, description = "A retry with the same idempotency key")
        @Fails({409, 422})
        public Response create(Upload body) {
            return null;
        }

        @PUT
        @Path("{id}/parts/{n}")
        @Consumes("*/*")
        @RequiresRight("omics.write")
        @Operation(id = "putUploadPart", summary = "Send one part of an upload")
        @Returns(value = Void.class, status = 204)
        public Response part(
                @PathParam("id") @Param(kind = Param.Kind.ID, description = "The upload's id") String id,
                @PathParam("n") @Param(kind = Param.Kind.INTEGER, description = "The part number") String n,
                @javax.ws.rs.HeaderParam("Content-Length") String length,
                InputStream bytes) {
            return null;
        }

        @POST
        @Path("{id}/complete")
        @RequiresRight("omics.write")
        @Operation(id = "completeUpload", summary = "Complete an upload and start its validation")
        @Returns(value = Job.class, status = 202)
        public Response complete(@PathParam("id") @Param(kind = Param.Kind.ID) String id) {
            return null;
        }

        @GET
        @Path("{id}/content")
        @Produces({"application/octet-stream", MediaType.APPLICATION_JSON})
        @RequiresRight("omics.read")
        @Operation(id = "downloadUpload", summary = "Download an upload's bytes")
        @Returns(value = InputStream.class, status = 200, mediaTypes = "application/octet-stream")
        @Returns(value = Void.class, status = 303, description = "The bytes are in the object store")
        public Response download(@PathParam("id") @Param(kind = Param.Kind.ID) String id) {
            return null;
        }

        @GET
        @Public
        @Operation(id = "listUploads", summary = "List uploads")
        public List<Upload> list(
                @QueryParam("state")
                        @Param(
                                allowed = {"OPEN", "COMPLETE"},
                                list = true)
                        String state,
                @QueryParam("since") @Param(kind = Param.Kind.DATE_TIME, description = "Changed since") String since,
                @QueryParam("sample")
                        @Param(
                                allowed = {"A", "B"},
                                required = true)
                        String sample) {
            return List.of();
        }

        @DELETE
        @Path("{id}")
        @RequiresRight("omics.write")
        @Operation(id = "deleteUpload", summary = "Delete an upload")
        public void delete(@PathParam("id") @Param(kind = Param.Kind.ID) String id, @Context HttpHeaders headers) {}
    }

    @Path("ready")
    public static class ReadyResource {
        @GET
        @Public
        @Operation(id = "getReady", summary = "Tell whether it is ready")
        @Returns(value = Upload.class, status = 200)
        @Returns(value = Upload.class, status = 503, description = "Not ready")
        public Response get() {
            return null;
        }

        @GET
        @Path("next")
        @Public
        @Operation(id = "getNextReady", summary = "Get the next one, or nothing")
        @Returns(value = Upload.class, orEmpty = true)
        public Response next() {
            return null;
        }

        @POST
        @Path("end")
        @Public
        @Operation(id = "endReady", summary = "End it")
        @Accepts(value = Upload.class, required = false)
        @Returns(value = Void.class, status = 204)
        public Response end(InputStream body) {
            return null;
        }
    }

    @Path("objects")
    public static class ObjectResource {
        @GET
        @Path("{key: .+}")
        @Public
        @Operation(id = "getObject", summary = "Get an object")
        public String get(@PathParam("key") String key) {
            return "";
        }

        @GET
        @Path("one/{name: [a-z]+}")
        @Public
        @Operation(id = "getOne", summary = "Get one")
        public String one(@PathParam("name") String name) {
            return "";
        }
    }

    @Path("broken")
    public static class BrokenResource {
        @GET
        @RequiresRight("x.read")
        @Fails(418)
        public String get() {
            return "";
        }
    }

    private final OpenApiGenerator generator = new OpenApiGenerator(JsonMappers.create());

    private ObjectNode doc() {
        return generator.generate(List.of(UploadResource.class), "1.0.0");
    }

    @Test
    void operationIdsAndSummariesAreTheDeclaredOnes() {
        JsonNode post = doc().at("/paths/~1omics~1uploads/post");
        assertThat(post.get("operationId").asText()).isEqualTo("createUpload");
        assertThat(post.get("summary").asText()).isEqualTo("Start an upload");
        assertThat(post.get("description").asText()).contains("omics.write");
    }

    @Test
    void everySuccessStatusIsDocumentedWithItsBody() {
        ObjectNode doc = doc();
        JsonNode create = doc.at("/paths/~1omics~1uploads/post/responses");
        assertThat(create.at("/201/content/application~1json/schema/$ref").asText())
                .endsWith("/Upload");
        assertThat(create.at("/201/headers/Location").isObject()).isTrue();
        assertThat(create.at("/200/description").asText()).contains("idempotency key");
        assertThat(create.at("/200/content/application~1json/schema/$ref").asText())
                .endsWith("/Upload");
        assertThat(names(create)).containsExactly("200", "201", "400", "401", "403", "409", "413", "415", "422", "503");

        JsonNode complete = doc.at("/paths/~1omics~1uploads~1{id}~1complete/post/responses");
        assertThat(names(complete)).contains("202").doesNotContain("201", "200");
        assertThat(complete.at("/202/content/application~1json/schema/$ref").asText())
                .endsWith("/Job");

        JsonNode part = doc.at("/paths/~1omics~1uploads~1{id}~1parts~1{n}/put/responses");
        assertThat(names(part)).contains("204").doesNotContain("200");
        assertThat(part.at("/204/content").isMissingNode()).isTrue();

        JsonNode download = doc.at("/paths/~1omics~1uploads~1{id}~1content/get/responses");
        assertThat(download.at("/303/headers/Location/schema/format").asText()).isEqualTo("uri");
        assertThat(download.at("/303/content").isMissingNode()).isTrue();
        assertThat(download.at("/200/content/application~1octet-stream/schema/format")
                        .asText())
                .isEqualTo("binary");
        assertThat(download.at("/200/content/application~1json").isMissingNode())
                .isTrue();
    }

    @Test
    void binaryRequestBodiesHaveARealMediaTypeAndABinarySchema() {
        JsonNode body = doc().at("/paths/~1omics~1uploads~1{id}~1parts~1{n}/put/requestBody/content");
        assertThat(names(body)).containsExactly("application/octet-stream");
        assertThat(body.at("/application~1octet-stream/schema/type").asText()).isEqualTo("string");
        assertThat(body.at("/application~1octet-stream/schema/format").asText()).isEqualTo("binary");
    }

    @Test
    void parametersAreTyped() {
        ObjectNode doc = doc();
        JsonNode part = doc.at("/paths/~1omics~1uploads~1{id}~1parts~1{n}/put/parameters");
        assertThat(part.at("/0/schema/type").asText()).isEqualTo("integer");
        assertThat(part.at("/0/schema/format").asText()).isEqualTo("int64");
        assertThat(part.at("/0/schema/minimum").asInt()).isEqualTo(1);
        assertThat(part.at("/0/description").asText()).isEqualTo("The upload's id");
        assertThat(part.at("/1/schema/type").asText()).isEqualTo("integer");
        assertThat(part.at("/1/schema/minimum").isMissingNode()).isTrue();

        JsonNode list = doc.at("/paths/~1omics~1uploads/get/parameters");
        assertThat(list.at("/0/schema/pattern").asText()).isEqualTo("^(OPEN|COMPLETE)(,(OPEN|COMPLETE))*$");
        assertThat(list.at("/1/schema/format").asText()).isEqualTo("date-time");
        assertThat(list.at("/1/description").asText()).isEqualTo("Changed since");
        assertThat(list.at("/2/schema/enum").toString()).isEqualTo("[\"A\",\"B\"]");
    }

    @Test
    void publicOperationsNeedNoCredentialsAndOthersDeclare401WithTheBearerScheme() {
        ObjectNode doc = doc();
        assertThat(doc.at("/security/0/bearer").isArray()).isTrue();
        JsonNode list = doc.at("/paths/~1omics~1uploads/get");
        assertThat(list.get("security")).isEmpty();
        assertThat(names(list.get("responses"))).doesNotContain("401", "403", "default");
        JsonNode create = doc.at("/paths/~1omics~1uploads/post");
        assertThat(create.at("/security/0/bearer").isArray()).isTrue();
        assertThat(doc.at("/components/responses/Unauthorized/headers/WWW-Authenticate")
                        .isObject())
                .isTrue();
    }

    @Test
    void aStatusTheOperationDocumentsItselfIsNotReplacedByTheProblemResponse() {
        JsonNode ready =
                generator.generate(List.of(ReadyResource.class), "1.0.0").at("/paths/~1ready/get/responses/503");
        assertThat(ready.get("description").asText()).isEqualTo("Not ready");
        assertThat(ready.at("/content/application~1json/schema/$ref").asText()).endsWith("/Upload");
    }

    @Test
    void onlyOperationsThatReadIfMatchDocumentItAndItsPreconditionFailure() {
        ObjectNode doc = doc();
        JsonNode part = doc.at("/paths/~1omics~1uploads~1{id}~1parts~1{n}/put");
        assertThat(part.get("parameters").findValuesAsText("name")).containsExactly("id", "n");
        assertThat(names(part.get("responses"))).doesNotContain("412");
        JsonNode delete = doc.at("/paths/~1omics~1uploads~1{id}/delete");
        assertThat(delete.get("parameters").findValuesAsText("name")).containsExactly("id", "If-Match");
        assertThat(names(delete.get("responses"))).contains("204", "412");
    }

    @Test
    void aRequiredQueryParameterIsRequired() {
        JsonNode list = doc().at("/paths/~1omics~1uploads/get/parameters");
        assertThat(list.at("/2/required").asBoolean()).isTrue();
        assertThat(list.at("/1/required").isMissingNode()).isTrue();
    }

    @Test
    void anEmptyObjectInsteadOfTheEntityIsDocumented() {
        JsonNode schema = generator
                .generate(List.of(ReadyResource.class), "1.0.0")
                .at("/paths/~1ready~1next/get/responses/200/content/application~1json/schema");
        assertThat(schema.at("/anyOf/0/$ref").asText()).endsWith("/Upload");
        assertThat(schema.at("/anyOf/1/maxProperties").asInt()).isZero();
    }

    @Test
    void aBodyTheResourceReadsItselfIsDocumentedAsDeclared() {
        JsonNode body =
                generator.generate(List.of(ReadyResource.class), "1.0.0").at("/paths/~1ready~1end/post/requestBody");
        assertThat(body.get("required").asBoolean()).isFalse();
        assertThat(body.at("/content/application~1json/schema/$ref").asText()).endsWith("/Upload");
    }

    @Test
    void aPathParameterWhoseRegexSpansSegmentsIsMarked() {
        ObjectNode doc = generator.generate(List.of(ObjectResource.class), "1.0.0");
        assertThat(doc.at("/paths/~1objects~1{key}/get/parameters/0/x-karyo-multi-segment")
                        .asBoolean())
                .isTrue();
        assertThat(doc.at("/paths/~1objects~1one~1{name}/get/parameters/0/x-karyo-multi-segment")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void anUnknownErrorStatusIsRefused() {
        assertThatThrownBy(() -> generator.generate(List.of(BrokenResource.class), "1.0.0"))
                .hasMessageContaining("418");
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
