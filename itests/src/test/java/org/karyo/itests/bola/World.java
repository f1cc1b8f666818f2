package org.karyo.itests.bola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;

/**
 * The fixed world of the matrix, built through the API by the administrator: a perimeter tree root → I (institution) →
 * {H (the objects' hospital), S (its sibling)}, a role holding every right but full administration and unlimited
 * search, and one user per {@link Who} with an access on the perimeter its name says. Objects that many rows read (a
 * project, a genomic file) are made on first use and {@linkplain #shared(String, Function) shared}.
 */
final class World {
    final Platform platform;
    final String run = Long.toString(System.nanoTime() % 100_000_000, 36);
    final long institution;
    final long hospital;
    final long sibling;
    final long allRightsRole;
    final long dataRole;
    final Map<Who, String> usernames = new EnumMap<>(Who.class);
    final Map<Who, String> passwords = new EnumMap<>(Who.class);
    final Map<Who, String> tokens = new EnumMap<>(Who.class);
    private final Map<Who, Long> loggedInAt = new EnumMap<>(Who.class);
    final String serviceAccount;
    private final Map<String, Object> shared = new HashMap<>();
    private int counter;
    private long lastCode;

    World(Platform platform) {
        this.platform = platform;
        long root = admin().get("/accesses/perimeters?local_id=root")
                .json()
                .path("results")
                .get(0)
                .path("id")
                .asLong();
        institution = perimeter("I", "institution", root);
        hospital = perimeter("H", "hospital", institution);
        sibling = perimeter("S", "hospital", institution);

        ArrayNode rights = Api.JSON.createArrayNode();
        for (JsonNode category : admin().get("/accesses/rights").json()) {
            for (JsonNode right : category.path("rights")) {
                String key = right.path("key").asText();
                if (right.path("active").asBoolean()
                        && !key.equals("accesses.full_admin")
                        && !key.equals("accesses.search_patients_unlimited")) {
                    rights.add(key);
                }
            }
        }
        allRightsRole = role("all-" + run, rights);
        dataRole = role("data-" + run, Api.JSON.createArrayNode().add("accesses.read_patient_pseudonymized"));

        usernames.put(Who.FULL_ADMIN, Platform.ADMIN);
        passwords.put(Who.FULL_ADMIN, Platform.ADMIN_PASSWORD);
        for (Who who : new Who[] {Who.NO_ACCESS, Who.SIBLING, Who.ANCESTOR, Who.OWN_PERIMETER}) {
            String name = "bola-" + who.name().toLowerCase().replace('_', '-') + "-" + run;
            String password = newUser(name);
            usernames.put(who, name);
            passwords.put(who, password);
        }
        grant(usernames.get(Who.SIBLING), allRightsRole, sibling, null);
        grant(usernames.get(Who.ANCESTOR), allRightsRole, institution, null);
        grant(usernames.get(Who.OWN_PERIMETER), allRightsRole, hospital, null);
        for (Who who : usernames.keySet()) {
            refresh(who);
        }
        serviceAccount = "bola-svc-" + run;
        ok(admin().post(
                        "/users",
                        Api.JSON
                                .createObjectNode()
                                .put("username", serviceAccount)
                                .put("firstname", "Service")
                                .put("lastname", "Account")
                                .put("kind", "service")
                                .toString()));
    }

    /** The administrator (a fresh token when the last one is half-way through its short test lifetime). */
    Api admin() {
        return platform.admin();
    }

    /**
     * A client for a caller with a token taken now: rows that switch the caller's second factor on use it first, so
     * that no token renewal (a login without a one-time code) falls inside the time the factor is on.
     */
    Api asFresh(Who who) {
        if (loggedInAt.containsKey(who)) {
            refresh(who);
        }
        return as(who);
    }

    private void refresh(Who who) {
        tokens.put(who, login(who).path("access_token").asText());
        loggedInAt.put(who, System.nanoTime());
    }

    /** A client for a caller; the expired token is set by the matrix, the others are renewed before they expire. */
    Api as(Who who) {
        Long at = loggedInAt.get(who);
        if (at != null
                && System.nanoTime() - at
                        > Platform.ACCESS_TOKEN_TTL.dividedBy(2).toNanos()) {
            refresh(who);
        }
        String token = tokens.get(who);
        return token == null
                ? platform.api().anonymous()
                : platform.api().anonymous().withToken(token);
    }

    /** A fresh login of a caller's user: {@code {access_token, refresh_token, …}}. */
    JsonNode login(Who who) {
        Api.Response r =
                platform.api().anonymous().post("/auth/login", Api.loginBody(usernames.get(who), passwords.get(who)));
        return ok(r).json();
    }

    String unique(String prefix) {
        return prefix + "-" + run + "-" + (++counter);
    }

    /**
     * A code of {@code length} upper-case letters and digits starting with {@code prefix}, unique on the platform
     * (institution and project codes are unique in any case, and short): the prefix and the last base-36 digits of
     * a strictly increasing count of microseconds since the epoch.
     */
    String code(String prefix, int length) {
        Instant now = Instant.now();
        long n = Math.max(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, lastCode + 1);
        lastCode = n;
        int width = length - prefix.length();
        String digits = "0".repeat(width) + Long.toString(n, 36).toUpperCase(Locale.ROOT);
        return prefix + digits.substring(digits.length() - width);
    }

    /**
     * An object the rows share, made by {@code make} on first use and reused by every later call: only for rows that
     * read it (or change it in a way that leaves what the other rows rely on as it was).
     */
    @SuppressWarnings("unchecked")
    <T> T shared(String name, Function<World, T> make) {
        Object value = shared.get(name);
        if (value == null) {
            value = make.apply(this); // may make other shared objects first, so not computeIfAbsent
            shared.put(name, value);
        }
        return (T) value;
    }

    long perimeter(String name, String type, long parent) {
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("local_id", unique(name))
                .put("name", name + " " + run)
                .put("type_source_value", type)
                .put("parent_id", parent);
        return ok(admin().post("/accesses/perimeters", body.toString()))
                .json()
                .path("id")
                .asLong();
    }

    long role(String name, ArrayNode rights) {
        ObjectNode body = Api.JSON.createObjectNode().put("name", name);
        body.set("rights", rights);
        return ok(admin().post("/accesses/roles", body.toString()))
                .json()
                .path("id")
                .asLong();
    }

    /** Creates a person and returns its password. */
    String newUser(String username) {
        String password = "Bola-" + UUID.randomUUID() + "-Pw1";
        ok(admin().post(
                        "/users",
                        Api.JSON
                                .createObjectNode()
                                .put("username", username)
                                .put("firstname", "Bola")
                                .put("lastname", "User")
                                .put("password", password)
                                .toString()));
        return password;
    }

    /** Grants an access and returns its id; {@code start} null means now. */
    long grant(String username, long role, long perimeter, Instant start) {
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("username", username)
                .put("role_id", role)
                .put("perimeter_id", perimeter);
        if (start != null) {
            body.put("start_datetime", start.toString());
        }
        return ok(admin().post("/accesses/accesses", body.toString()))
                .json()
                .path("id")
                .asLong();
    }

    static Api.Response ok(Api.Response r) {
        if (r.status() < 200 || r.status() >= 300) {
            throw new IllegalStateException("fixture call failed: " + r);
        }
        return r;
    }
}
