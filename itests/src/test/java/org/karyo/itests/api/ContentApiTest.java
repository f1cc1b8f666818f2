package org.karyo.itests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.SharedPlatform;

/** {@code /api/webcontent/contents} round trips and bad input, against the booted platform. */
@ExtendWith(SharedPlatform.class)
class ContentApiTest {

    private static String token() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String content(String title, String type, String page) {
        return "{\"title\":\"" + title + "\",\"content\":\"body of " + title + "\",\"page\":\"" + page
                + "\",\"content_type\":\"" + type + "\",\"metadata\":{\"order\":\"1\",\"tags\":\"a,b\"}}";
    }

    private static long count(Api api, String search) {
        Api.Response r = api.get("/webcontent/contents?search=" + search);
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("count").asLong();
    }

    @Test
    void createReadUpdateDeleteRoundTrip(Api api) {
        String t = token();
        Api.Response created = api.post("/webcontent/contents", content(t, "BANNER_INFO", "home"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String location = created.header("Location");
        assertThat(location).contains("/api/webcontent/contents/");
        String etag = created.header("ETag");
        assertThat(etag).isNotBlank();
        JsonNode c = created.json();
        long id = c.path("id").asLong();
        assertThat(c.path("title").asText()).isEqualTo(t);
        assertThat(c.path("content_type").asText()).isEqualTo("BANNER_INFO");
        assertThat(c.path("metadata").path("order").asText()).isEqualTo("1");
        assertThat(c.path("created_at").asText()).isNotBlank();

        Api.Response read = api.get("/webcontent/contents/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo(etag);

        Api.Response patched = api.patch("/webcontent/contents/" + id, "{\"title\":\"" + t + "-v2\"}", etag);
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("title").asText()).isEqualTo(t + "-v2");
        assertThat(patched.json().path("metadata").path("tags").asText()).isEqualTo("a,b");
        assertThat(patched.header("ETag")).isNotEqualTo(etag);

        Api.Response stale = api.patch("/webcontent/contents/" + id, "{\"title\":\"lost update\"}", etag);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/webcontent/contents/" + id).json().path("title").asText())
                .isEqualTo(t + "-v2");

        assertThat(api.delete("/webcontent/contents/" + id, patched.header("ETag"))
                        .status())
                .isEqualTo(204);
        assertThat(api.get("/webcontent/contents/" + id).status()).isEqualTo(404);
        assertThat(count(api, t)).isZero();
    }

    @Test
    void listsFilterByTypeAndPageAndSearchAndPage(Api api) {
        String t = token();
        api.post("/webcontent/contents", content(t + "-a", "BANNER_INFO", "p1"));
        api.post("/webcontent/contents", content(t + "-b", "BANNER_ERROR", "p2"));
        api.post("/webcontent/contents", content(t + "-c", "RELEASE_NOTE", "p1"));

        JsonNode all =
                api.get("/webcontent/contents?search=" + t + "&ordering=title").json();
        assertThat(all.path("count").asLong()).isEqualTo(3);
        assertThat(all.path("results").get(0).path("title").asText()).isEqualTo(t + "-a");

        JsonNode types = api.get("/webcontent/contents?search=" + t + "&content_type=BANNER_INFO,BANNER_ERROR")
                .json();
        assertThat(types.path("count").asLong()).isEqualTo(2);

        JsonNode pages =
                api.get("/webcontent/contents?search=" + t + "&page_source=p1").json();
        assertThat(pages.path("count").asLong()).isEqualTo(2);

        JsonNode page = api.get("/webcontent/contents?search=" + t + "&ordering=-title&limit=1&offset=1")
                .json();
        assertThat(page.path("count").asLong()).isEqualTo(3);
        assertThat(page.path("limit").asInt()).isEqualTo(1);
        assertThat(page.path("offset").asInt()).isEqualTo(1);
        assertThat(page.path("results")).hasSize(1);
        assertThat(page.path("results").get(0).path("title").asText()).isEqualTo(t + "-b");

        JsonNode contentTypes = api.get("/webcontent/contents/content_types").json();
        assertThat(contentTypes.toString()).contains("BANNER_WARNING", "BANNER_INFO", "BANNER_ERROR", "RELEASE_NOTE");
    }

    @Test
    void malformedJsonIsA400AndWritesNothing(Api api) {
        String t = token();
        Api.Response r = api.post("/webcontent/contents", "{\"title\":\"" + t + "\",");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void anUnknownFieldIsNamed(Api api) {
        String t = token();
        Api.Response r = api.post(
                "/webcontent/contents",
                "{\"title\":\"" + t + "\",\"content\":\"x\",\"content_type\":\"BANNER_INFO\",\"colour\":\"red\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").toString()).contains("colour");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void aWrongTypeIsNamed(Api api) {
        String t = token();
        Api.Response r = api.post(
                "/webcontent/contents",
                "{\"title\":\"" + t + "\",\"content\":\"x\",\"content_type\":\"BANNER_INFO\",\"metadata\":[1,2]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").toString()).contains("metadata");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void anUnknownEnumValueIsNamed(Api api) {
        String t = token();
        Api.Response r = api.post(
                "/webcontent/contents",
                "{\"title\":\"" + t + "\",\"content\":\"x\",\"content_type\":\"BANNER_PURPLE\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").toString()).contains("content_type");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void overLongAndMissingFieldsAreAllNamedAndNothingIsWritten(Api api) {
        String t = token();
        String longTitle = t + "x".repeat(300);
        Api.Response r =
                api.post("/webcontent/contents", "{\"title\":\"" + longTitle + "\",\"content_type\":\"BANNER_INFO\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("type").asText()).contains("validation");
        assertThat(r.json().path("errors").toString()).contains("\"title\"").contains("\"content\"");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void anUnknownMetadataKeyIsNamed(Api api) {
        String t = token();
        Api.Response r = api.post(
                "/webcontent/contents",
                "{\"title\":\"" + t
                        + "\",\"content\":\"x\",\"content_type\":\"BANNER_INFO\",\"metadata\":{\"colour\":\"red\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").toString()).contains("metadata.colour");
        assertThat(count(api, t)).isZero();
    }

    @Test
    void badListParametersAreNamed(Api api) {
        assertThat(api.get("/webcontent/contents?ordering=password")
                        .json()
                        .path("errors")
                        .toString())
                .contains("ordering");
        assertThat(api.get("/webcontent/contents?limit=abc").status()).isEqualTo(400);
        assertThat(api.get("/webcontent/contents?content_type=NOPE")
                        .json()
                        .path("errors")
                        .toString())
                .contains("content_type");
    }

    @Test
    void aNonNumericOrMissingIdIsNotFound(Api api) {
        assertThat(api.get("/webcontent/contents/abc").status()).isEqualTo(404);
        Api.Response missing = api.get("/webcontent/contents/987654321");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }
}
