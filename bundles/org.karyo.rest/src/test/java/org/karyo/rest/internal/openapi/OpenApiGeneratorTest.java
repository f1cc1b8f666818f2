package org.karyo.rest.internal.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.karyo.api.Page;
import org.karyo.api.json.Nullable;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.rest.internal.json.JsonMappers;
import org.karyo.rest.support.Returns;

/** The OpenAPI document generated from annotated resource classes. */
class OpenApiGeneratorTest {
    enum ContentType {
        BANNER_INFO,
        RELEASE_NOTE
    }

    record Content(
            long id,
            @Nullable String title,
            ContentType contentType,
            Map<String, Object> metadata,
            Instant createdAt,
            Optional<String> note,
            long version) {}

    record NewContent(String title, ContentType contentType, Set<String> tags) {}

    record Node(String name, List<Node> children, @Nullable Node parent) {}

    @Path("webcontent/contents")
    @Produces(MediaType.APPLICATION_JSON)
    @Public
    public static class ContentResource {
        @GET
        public Page<Content> list(
                @QueryParam("limit") String limit,
                @QueryParam("content_type") String types,
                @QueryParam("ordering") @DefaultValue("-created_at") String ordering) {
            return null;
        }

        @GET
        @Path("{id: [0-9]+}")
        @Returns(Content.class)
        public Response get(@PathParam("id") long id) {
            return null;
        }

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @RequiresRight("content.manage")
        @Returns(Content.class)
        public Response create(NewContent body, @Context UriInfo uri, @Context SecurityContext sc) {
            return null;
        }

        @PUT
        @Path("{id}")
        @Consumes(MediaType.APPLICATION_JSON)
        @RequiresRight("content.manage")
        public Content update(@PathParam("id") long id, NewContent body, @HeaderParam("If-Match") String ifMatch) {
            return null;
        }

        @DELETE
        @Path("{id}")
        @RequiresRight("content.manage")
        public void delete(@PathParam("id") long id) {}

        @GET
        @Path("content_types")
        public List<ContentType> types() {
            return List.of();
        }

        public String helper() {
            return "not a resource method";
        }
    }

    @Path("/trees/")
    public static class TreeResource {
        @GET
        @Path("{key}")
        public Node tree(@PathParam("key") UUID key) {
            return null;
        }
    }

    private final OpenApiGenerator generator = new OpenApiGenerator(JsonMappers.create());

    private ObjectNode generate(Class<?>... classes) {
        return generator.generate(List.of(classes), "1.2.3");
    }

    @Test
    void describesTheApi() {
        ObjectNode doc = generate(ContentResource.class);
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Karyo API");
        assertThat(doc.at("/info/version").asText()).isEqualTo("1.2.3");
    }

    @Test
    void joinsClassAndMethodPaths() {
        JsonNode paths = generate(ContentResource.class, TreeResource.class).get("paths");
        assertThat(fieldNames(paths))
                .containsExactly(
                        "/trees/{key}",
                        "/webcontent/contents",
                        "/webcontent/contents/content_types",
                        "/webcontent/contents/{id}");
        assertThat(fieldNames(paths.get("/webcontent/contents"))).containsExactlyInAnyOrder("get", "post");
        assertThat(fieldNames(paths.get("/webcontent/contents/{id}")))
                .containsExactlyInAnyOrder("get", "put", "delete");
    }

    @Test
    void documentsParameters() {
        JsonNode list = generate(ContentResource.class).at("/paths/~1webcontent~1contents/get");
        assertThat(list.get("parameters")).hasSize(3);
        JsonNode limit = list.get("parameters").get(0);
        assertThat(limit.get("name").asText()).isEqualTo("limit");
        assertThat(limit.at("/schema/type").asText())
                .as("paging is an integer on the wire")
                .isEqualTo("integer");
        assertThat(limit.at("/schema/minimum").asInt()).isEqualTo(1);
        assertThat(list.get("parameters").get(1).at("/schema/type").asText())
                .as("other text parameters stay strings")
                .isEqualTo("string");
        JsonNode ordering = list.get("parameters").get(2);
        assertThat(ordering.get("name").asText()).isEqualTo("ordering");
        assertThat(ordering.get("in").asText()).isEqualTo("query");
        assertThat(ordering.at("/schema/default").asText()).isEqualTo("-created_at");

        JsonNode get = generate(ContentResource.class).at("/paths/~1webcontent~1contents~1{id}/get");
        JsonNode id = get.get("parameters").get(0);
        assertThat(id.get("in").asText()).isEqualTo("path");
        assertThat(id.get("required").asBoolean()).isTrue();
        assertThat(id.at("/schema/type").asText()).isEqualTo("integer");
        assertThat(id.at("/schema/format").asText()).isEqualTo("int64");

        JsonNode put = generate(ContentResource.class).at("/paths/~1webcontent~1contents~1{id}/put");
        assertThat(put.get("parameters").findValuesAsText("name")).containsExactly("id", "If-Match");
        JsonNode tree = generate(TreeResource.class).at("/paths/~1trees~1{key}/get/parameters/0/schema");
        assertThat(tree.get("format").asText()).isEqualTo("uuid");
    }

    @Test
    void describesBodiesAndResponses() {
        ObjectNode doc = generate(ContentResource.class);
        JsonNode post = doc.at("/paths/~1webcontent~1contents/post");
        assertThat(post.at("/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/NewContent");
        assertThat(post.at("/responses/201/headers/Location/schema/format").asText())
                .isEqualTo("uri");
        assertThat(post.at("/responses/201/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Content");
        assertThat(doc.at("/paths/~1webcontent~1contents~1{id}/get/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Content");
        assertThat(fieldNames(post.get("responses"))).containsExactly("201", "400", "401", "403", "413", "415", "503");
        assertThat(post.at("/responses/400/$ref").asText()).isEqualTo("#/components/responses/BadRequest");
        assertThat(doc.at("/components/responses/BadRequest/content/application~1problem+json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Problem");

        JsonNode list = doc.at("/paths/~1webcontent~1contents/get/responses/200/content/application~1json/schema/$ref");
        assertThat(list.asText()).isEqualTo("#/components/schemas/PageOfContent");
        assertThat(doc.at("/paths/~1webcontent~1contents~1{id}/delete/responses/204/description")
                        .asText())
                .isEqualTo("No content");
        assertThat(doc.at("/paths/~1webcontent~1contents~1{id}/delete/responses/404/$ref")
                        .asText())
                .endsWith("NotFound");
        assertThat(doc.at("/paths/~1webcontent~1contents~1{id}/put/responses/412/$ref")
                        .asText())
                .endsWith("PreconditionFailed");
        JsonNode types = doc.at(
                "/paths/~1webcontent~1contents~1content_types/get/responses/200/content/application~1json/schema");
        assertThat(types.get("type").asText()).isEqualTo("array");
        assertThat(types.at("/items/enum/0").asText()).isEqualTo("BANNER_INFO");
    }

    @Test
    void oneSnakeCaseSchemaPerRecord() {
        JsonNode schemas = generate(ContentResource.class, TreeResource.class).at("/components/schemas");
        assertThat(fieldNames(schemas))
                .containsExactly("Content", "FieldError", "NewContent", "Node", "PageOfContent", "Problem");
        JsonNode content = schemas.get("Content");
        assertThat(fieldNames(content.get("properties")))
                .containsExactly("id", "title", "content_type", "metadata", "created_at", "note", "version");
        assertThat(content.at("/properties/created_at/format").asText()).isEqualTo("date-time");
        assertThat(content.at("/properties/content_type/enum/1").asText()).isEqualTo("RELEASE_NOTE");
        assertThat(content.at("/properties/metadata/type").asText()).isEqualTo("object");
        assertThat(content.at("/properties/note/nullable").asBoolean()).isTrue();
        assertThat(content.at("/properties/note/type").asText()).isEqualTo("string");
        // every property is required but the @Nullable and Optional ones, which may be null
        assertThat(content.get("required").toString())
                .isEqualTo("[\"id\",\"content_type\",\"metadata\",\"created_at\",\"version\"]");
        assertThat(content.at("/properties/title/nullable").asBoolean()).isTrue();
        assertThat(content.at("/properties/created_at/nullable").isMissingNode())
                .isTrue();
        assertThat(content.get("additionalProperties").asBoolean()).isFalse();

        JsonNode page = schemas.get("PageOfContent");
        assertThat(fieldNames(page.get("properties"))).containsExactly("count", "limit", "offset", "results");
        assertThat(page.at("/properties/results/items/$ref").asText()).isEqualTo("#/components/schemas/Content");
        assertThat(schemas.at("/NewContent/properties/tags/uniqueItems").asBoolean())
                .isTrue();
        assertThat(schemas.at("/NewContent/required").toString()).isEqualTo("[\"title\",\"content_type\",\"tags\"]");
        // a recursive record refers to itself
        assertThat(schemas.at("/Node/properties/children/items/$ref").asText()).isEqualTo("#/components/schemas/Node");
        // a nullable reference: the reference in an allOf beside nullable
        assertThat(schemas.at("/Node/properties/parent/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/Node");
        assertThat(schemas.at("/Node/properties/parent/nullable").asBoolean()).isTrue();
        assertThat(schemas.at("/Node/properties/parent/type").asText()).isEqualTo("object");
        assertThat(schemas.at("/Node/required").toString()).isEqualTo("[\"name\",\"children\"]");
    }

    @Test
    void carriesTheDeclaredRight() {
        ObjectNode doc = generate(ContentResource.class);
        assertThat(doc.at("/paths/~1webcontent~1contents/post/x-karyo-right").asText())
                .isEqualTo("content.manage");
        assertThat(doc.at("/paths/~1webcontent~1contents/get/x-karyo-public").asBoolean())
                .isTrue();
        assertThat(doc.at("/paths/~1webcontent~1contents/get/x-karyo-right").isMissingNode())
                .isTrue();
        JsonNode tree = generate(TreeResource.class).at("/paths/~1trees~1{key}/get");
        assertThat(tree.get("x-karyo-undeclared").asBoolean()).isTrue();
        assertThat(fieldNames(tree.get("responses"))).contains("403");
    }

    @Test
    void leavesOutUndocumentedResourcesAndIsStable() {
        assertThat(fieldNames(generate(DocsResource.class).get("paths"))).isEmpty();
        assertThat(generate(TreeResource.class, ContentResource.class))
                .isEqualTo(generate(ContentResource.class, TreeResource.class));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
