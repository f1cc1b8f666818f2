package org.karyo.itests.bola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * Broken object-level authorisation, tested exhaustively: every operation of every installed module (read from the
 * live OpenAPI document, so an operation missing from the matrix fails the build) × every kind of caller → the status
 * each must get. Objects live on the perimeter H; callers hold accesses on H's sibling, on H's ancestor, on H itself,
 * or nowhere.
 */
@ExtendWith(SharedPlatform.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Alone: its full administrator is the platform's bootstrap administrator, whose second factor the MFA rows switch on
// for a moment, when every other class's administrator login would be refused.
@Isolated
class BolaMatrixTest {
    private World world;
    private final List<Row> rows = ModuleRows.all();

    @BeforeAll
    void buildTheWorld(Platform platform) throws Exception {
        // a token that will have expired by the time the matrix runs: taken first, the world is built while it ages
        Api api = platform.api().anonymous();
        String expiring = platform.admin()
                .request("/auth/me")
                .build()
                .headers()
                .firstValue("Authorization")
                .orElseThrow()
                .substring("Bearer ".length());
        world = new World(platform);
        long exp = Api.JSON
                .readTree(Base64.getUrlDecoder().decode(expiring.split("\\.")[1]))
                .path("exp")
                .asLong();
        Instant expired = Instant.ofEpochSecond(exp).plus(Platform.CLOCK_SKEW).plusSeconds(2); // past the skew
        while (Instant.now().isBefore(expired)) {
            Thread.sleep(Math.min(1000, Duration.between(Instant.now(), expired).toMillis() + 1));
        }
        assertThat(api.withToken(expiring).get("/auth/me").status()).isEqualTo(401);
        world.tokens.put(Who.EXPIRED_TOKEN, expiring);
    }

    @Test
    void everyOperationOfEveryInstalledModuleIsInTheMatrix() {
        JsonNode paths = world.admin().get("/openapi.json").json().path("paths");
        Set<String> live = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> live.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> inMatrix = rows.stream().map(Row::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(rows).extracting(Row::key).doesNotHaveDuplicates();
        assertThat(difference(live, inMatrix))
                .as("operations missing from the matrix")
                .isEmpty();
        assertThat(difference(inMatrix, live))
                .as("matrix rows for operations that do not exist")
                .isEmpty();
    }

    @Test
    void everyCallerGetsExactlyWhatItShouldFromEveryOperation() {
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (Row row : rows) {
            for (Who who : Who.values()) {
                Row.Call call = row.fixture().prepare(world, who);
                Api.Response r = send(row.method(), call, who);
                calls++;
                if (!row.matches(who, r.status())) {
                    wrong.add(row.key() + " as " + who + ": expected " + row.expected(who) + ", got " + r.status() + " "
                            + abbreviate(r.body()));
                } else if (call.after() != null && r.status() < 300) {
                    call.after().run(r);
                }
            }
        }
        assertThat(wrong).as("of %d calls", calls).isEmpty();
    }

    @Test
    void listsShowOnlyWhatTheCallerMaySee() {
        String holder = world.unique("bola-listed");
        world.newUser(holder);
        long access = world.grant(holder, world.dataRole, world.hospital, null);
        String byPerimeter = "/accesses/accesses?limit=1000&perimeter_id=" + world.hospital;
        assertThat(world.as(Who.SIBLING).get(byPerimeter).status())
                .as("filtering on a perimeter the caller cannot see does not reveal it")
                .isEqualTo(404);
        assertThat(ids(world.as(Who.ANCESTOR).get(byPerimeter))).contains(access);
        assertThat(ids(world.as(Who.OWN_PERIMETER).get(byPerimeter))).contains(access);
        assertThat(ids(world.as(Who.SIBLING).get("/accesses/accesses?limit=1000")))
                .doesNotContain(access);

        String perimeters = "/accesses/perimeters?limit=1000";
        assertThat(ids(world.as(Who.SIBLING).get(perimeters)))
                .contains(world.sibling)
                .doesNotContain(world.hospital);
        assertThat(ids(world.as(Who.NO_ACCESS).get(perimeters))).doesNotContain(world.hospital, world.sibling);
        assertThat(ids(world.as(Who.ANCESTOR).get(perimeters))).contains(world.hospital, world.sibling);
    }

    private List<Long> ids(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        r.json().path("results").forEach(n -> ids.add(n.path("id").asLong()));
        return ids;
    }

    private Api.Response send(String method, Row.Call call, Who who) {
        Api client = call.token() != null && world.tokens.containsKey(who)
                ? world.platform.api().anonymous().withToken(call.token())
                : world.as(who);
        HttpRequest.Builder b = client.request(call.path());
        HttpRequest.BodyPublisher body = call.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body());
        if (call.body() != null) {
            b.header("Content-Type", call.contentType());
        }
        return client.send(b.method(method, body));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 160 ? body : body.substring(0, 160) + "…";
    }
}
