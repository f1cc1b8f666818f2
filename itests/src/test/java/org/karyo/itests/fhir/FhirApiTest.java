package org.karyo.itests.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * The FHIR R5 API against the booted platform: interactions, errors as OperationOutcomes, and what each reader sees of
 * the patients of its perimeters (nominative, pseudonymised, NOLIST).
 */
@ExtendWith(SharedPlatform.class)
class FhirApiTest {
    private static final String F = "/fhir/r5";
    private static final String FHIR_JSON = "application/fhir+json";

    @Test
    void whatThePlatformRefusesBeforeTheInteractionIsAnOperationOutcomeAtTheFhirBase(Platform platform) {
        Api root = new Api(java.net.URI.create("http://127.0.0.1:" + platform.httpPort()));
        for (String base : List.of("/fhir/r5", "/FHIR/R5")) {
            Api.Response anonymous = root.get(base + "/Patient");
            assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
            assertThat(anonymous.header("Content-Type")).startsWith(FHIR_JSON);
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(anonymous.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
            assertThat(anonymous.json().path("issue").get(0).path("code").asText())
                    .isEqualTo("login");
            assertThat(anonymous.json().path("issue").get(0).path("diagnostics").asText())
                    .contains("Authentication");
        }
        Api.Response badToken =
                root.send(root.request("/fhir/r5/Observation?code=8867-4").header("Authorization", "Bearer nope"));
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
        // an answer of the interaction itself passes through unchanged
        Api.Response unknown = platform.admin().get(F + "/Observation/no-such-id");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
        // under /api the platform's own refusals stay problem documents, as everywhere under /api
        Api.Response api = platform.api().get(F + "/Patient");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void pagingWhileOthersWriteNeverRepeatsNorSkipsAResource(Platform platform) throws Exception {
        Api admin = platform.admin();
        Site site = site(platform, "paging");
        String pid = createPatient(admin, site.org, "Pager");
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 45; i++) {
            before.add(ok(send(admin, "POST", F + "/Observation", observation(pid, "8480-6", 100 + i), null))
                    .json()
                    .path("id")
                    .asText());
        }
        Api root = admin.at(java.net.URI.create("http://127.0.0.1:" + platform.httpPort()));
        List<String> seen = new ArrayList<>();
        String next = "/fhir/r5/Observation?subject=Patient/" + pid + "&code=8480-6&_count=10";
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            while (next != null) {
                Api.Response page = root.get(next);
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                page.json()
                        .path("entry")
                        .forEach(e -> seen.add(e.path("resource").path("id").asText()));
                // two writers add Observations of the same patient and code between (and while) pages are read
                List<Future<Api.Response>> writes = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    writes.add(writers.submit(
                            () -> send(admin, "POST", F + "/Observation", observation(pid, "8480-6", 1), null)));
                }
                for (Future<Api.Response> f : writes) {
                    assertThat(f.get().status()).isEqualTo(201);
                }
                next = null;
                for (var link : page.json().path("link")) {
                    if (link.path("relation").asText().equals("next")) {
                        java.net.URI u = java.net.URI.create(link.path("url").asText());
                        next = u.getRawPath() + "?" + u.getRawQuery();
                    }
                }
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(seen).as("pages read while others wrote").doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen))
                .as("what the search matched when it began")
                .containsAll(before);
        assertThat(seen).hasSize(before.size());
    }

    @Test
    void aResourceIsCreatedReadUpdatedSearchedAndDeletedWithItsHistory(Platform platform) {
        Api admin = platform.admin();
        Site site = site(platform, "crud");
        String pid = createPatient(admin, site.org, "Lovelace");
        Api.Response created = send(admin, "POST", F + "/Observation", observation(pid, "8867-4", 72), null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/Observation/").endsWith("/_history/1");
        assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
        String oid = created.json().path("id").asText();

        Api.Response read = send(admin, "GET", F + "/Observation/" + oid, null, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("meta").path("versionId").asText()).isEqualTo("1");

        ObjectNode changed = (ObjectNode) read.json();
        changed.put("status", "amended");
        assertThat(send(admin, "PUT", F + "/Observation/" + oid, changed.toString(), "W/\"1\"")
                        .status())
                .isEqualTo(200);
        Api.Response stale = send(admin, "PUT", F + "/Observation/" + oid, changed.toString(), "W/\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(send(admin, "GET", F + "/Observation/" + oid + "/_history/1", null, null)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("final");

        Api.Response search = send(
                admin,
                "GET",
                F + "/Observation?subject=Patient/" + pid + "&code=http://loinc.org%7C8867-4&value-quantity=gt70",
                null,
                null);
        assertThat(search.json().path("type").asText()).isEqualTo("searchset");
        assertThat(search.json().path("entry")).hasSize(1);
        assertThat(search.json().path("link").get(0).path("url").asText())
                .startsWith("http")
                .contains(F);

        assertThat(send(admin, "DELETE", F + "/Observation/" + oid, null, null).status())
                .isEqualTo(204);
        assertThat(send(admin, "GET", F + "/Observation/" + oid, null, null).status())
                .isEqualTo(410);
        assertThat(send(admin, "GET", F + "/Observation/" + oid + "/_history", null, null)
                        .json()
                        .path("entry"))
                .hasSize(3);
    }

    @Test
    void badInputIsAnOperationOutcomeNamingTheProblem(Platform platform) {
        Api admin = platform.admin();
        Api.Response unknown = send(admin, "GET", F + "/Observation?colour=red", null, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("issue").get(0).path("expression").get(0).asText())
                .isEqualTo("colour");

        Api.Response missing = send(
                admin,
                "POST",
                F + "/Observation",
                "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}}",
                null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Observation.status");

        Api.Response malformed = send(admin, "POST", F + "/Observation", "{\"resourceType\":", null);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("resourceType").asText()).isEqualTo("OperationOutcome");

        Api.Response dangling =
                send(admin, "POST", F + "/Observation", observation("nobody-" + UUID.randomUUID(), "8867-4", 1), null);
        assertThat(dangling.status()).isEqualTo(422);

        StringBuilder big = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        String entry = "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/x\"}},";
        while (big.length() < 70L * 1024 * 1024) {
            big.append(entry);
        }
        big.append("{\"request\":{\"method\":\"GET\",\"url\":\"Patient/x\"}}]}");
        Api.Response tooLarge = send(admin, "POST", F, big.toString(), null);
        assertThat(tooLarge.status()).isEqualTo(413);
    }

    @Test
    void readersSeeOnlyThePatientsOfTheirPerimetersAndAnEncounterElsewhereExtendsThatAtOnce(Platform platform) {
        Api admin = platform.admin();
        Site a = site(platform, "pa");
        Site b = site(platform, "pb");
        String pid = createPatient(admin, a.org, "Perimeter");
        Api readerA = reader(platform, a.perimeter, "accesses.read_patient_nominative");
        Api readerB = reader(platform, b.perimeter, "accesses.read_patient_nominative");
        assertThat(send(readerA, "GET", F + "/Patient/" + pid, null, null).status())
                .isEqualTo(200);
        assertThat(send(readerB, "GET", F + "/Patient/" + pid, null, null).status())
                .isEqualTo(404);
        assertThat(send(readerB, "GET", F + "/Patient?_id=" + pid, null, null)
                        .json()
                        .path("entry"))
                .isEmpty();

        String encounter = "{\"resourceType\":\"Encounter\",\"status\":\"completed\",\"subject\":{\"reference\":"
                + "\"Patient/" + pid + "\"},\"serviceProvider\":{\"reference\":\"Organization/" + b.org + "\"}}";
        assertThat(send(admin, "POST", F + "/Encounter", encounter, null).status())
                .isEqualTo(201);
        assertThat(send(readerB, "GET", F + "/Patient/" + pid, null, null).status())
                .isEqualTo(200);
    }

    @Test
    void pseudonymisedReadersGetNoNamesAndCannotSearchByThem(Platform platform) {
        Api admin = platform.admin();
        Site s = site(platform, "ps");
        String pid = createPatient(admin, s.org, "Hopper");
        Api pseudo = reader(platform, s.perimeter, "accesses.read_patient_pseudonymized");
        Api.Response read = send(pseudo, "GET", F + "/Patient/" + pid, null, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain("Hopper");
        assertThat(read.json().has("name")).isFalse();
        assertThat(send(pseudo, "GET", F + "/Patient?family=Hopper", null, null).status())
                .isEqualTo(403);
    }

    @Test
    void noListPatientsDoNotExistForReadersWithoutTheRight(Platform platform) {
        Api admin = platform.admin();
        Site s = site(platform, "nl");
        String pid = "nolist-" + UUID.randomUUID();
        String patient = "{\"resourceType\":\"Patient\",\"id\":\"" + pid + "\",\"meta\":{\"security\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"NOLIST\"}]},\"managingOrganization\":"
                + "{\"reference\":\"Organization/" + s.org + "\"}}";
        assertThat(send(admin, "PUT", F + "/Patient/" + pid, patient, null).status())
                .isEqualTo(201);
        Api reader = reader(platform, s.perimeter, "accesses.read_patient_nominative");
        assertThat(send(reader, "GET", F + "/Patient/" + pid, null, null).status())
                .isEqualTo(404);
        Api opposed =
                reader(platform, s.perimeter, "accesses.read_patient_nominative", "accesses.search_opposed_patients");
        assertThat(send(opposed, "GET", F + "/Patient/" + pid, null, null).status())
                .isEqualTo(200);
    }

    @Test
    void twoConcurrentConditionalCreatesMakeOneResource(Platform platform) throws Exception {
        Api admin = platform.admin();
        String value = UUID.randomUUID().toString();
        String patient =
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:race\",\"value\":\"" + value + "\"}]}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Integer> c = () -> admin.send(admin.request(F + "/Patient")
                                .header("Content-Type", FHIR_JSON)
                                .header("If-None-Exist", "identifier=urn:race%7C" + value)
                                .POST(HttpRequest.BodyPublishers.ofString(patient)))
                        .status();
                results.add(pool.submit(c));
            }
            Set<Integer> statuses = new HashSet<>();
            int created = 0;
            for (Future<Integer> f : results) {
                int s = f.get();
                statuses.add(s);
                created += s == 201 ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            assertThat(statuses).containsOnly(200, 201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(send(admin, "GET", F + "/Patient?identifier=urn:race%7C" + value, null, null)
                        .json()
                        .path("entry"))
                .hasSize(1);
    }

    // ---- fixtures

    private record Site(long perimeter, String org) {}

    /** A perimeter node under the root and the Organization linked to it. */
    private static Site site(Platform platform, String name) {
        Api admin = platform.admin();
        long root = admin.get("/accesses/perimeters?local_id=root")
                .json()
                .path("results")
                .get(0)
                .path("id")
                .asLong();
        String local = "fhir-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        long perimeter = ok(admin.post(
                        "/accesses/perimeters",
                        Api.JSON
                                .createObjectNode()
                                .put("local_id", local)
                                .put("name", local)
                                .put("type_source_value", "hospital")
                                .put("parent_id", root)
                                .toString()))
                .json()
                .path("id")
                .asLong();
        String org = local;
        ok(send(
                admin,
                "PUT",
                F + "/Organization/" + org,
                "{\"resourceType\":\"Organization\",\"id\":\"" + org
                        + "\",\"name\":\"" + local
                        + "\",\"identifier\":[{\"system\":\"urn:karyo:perimeter\",\"value\":\""
                        + perimeter + "\"}]}",
                null));
        return new Site(perimeter, org);
    }

    /** A new user holding {@code rights} on {@code perimeter}, logged in. */
    private static Api reader(Platform platform, long perimeter, String... rights) {
        Api admin = platform.admin();
        String user = "fhir" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = "Fhir-" + UUID.randomUUID() + "-Pw1";
        ok(admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", user)
                        .put("firstname", "Fhir")
                        .put("lastname", "Reader")
                        .put("password", password)
                        .toString()));
        ArrayNode r = Api.JSON.createArrayNode();
        for (String right : rights) {
            r.add(right);
        }
        ObjectNode role = Api.JSON.createObjectNode().put("name", "fhir-role-" + user);
        role.set("rights", r);
        long roleId = ok(admin.post("/accesses/roles", role.toString()))
                .json()
                .path("id")
                .asLong();
        ok(admin.post(
                "/accesses/accesses",
                Api.JSON
                        .createObjectNode()
                        .put("username", user)
                        .put("role_id", roleId)
                        .put("perimeter_id", perimeter)
                        .toString()));
        return platform.api().login(user, password);
    }

    private static String createPatient(Api admin, String org, String family) {
        String body = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Ada\"]}],"
                + "\"gender\":\"female\",\"birthDate\":\"1970-02-03\",\"managingOrganization\":{\"reference\":"
                + "\"Organization/" + org + "\"}}";
        return ok(send(admin, "POST", F + "/Patient", body, null))
                .json()
                .path("id")
                .asText();
    }

    private static String observation(String pid, String code, double value) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/" + pid
                + "\"},\"effectiveDateTime\":\"2024-09-03T10:00:00Z\",\"valueQuantity\":{\"value\":" + value
                + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
    }

    private static Api.Response send(Api api, String method, String path, String body, String ifMatch) {
        HttpRequest.Builder b = api.request(path);
        if (body != null) {
            b.header("Content-Type", FHIR_JSON);
        }
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return api.send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Api.Response ok(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 299);
        return r;
    }
}
