package org.karyo.itests.bola;

import static org.karyo.itests.bola.Expect.AUTHENTICATED;
import static org.karyo.itests.bola.Expect.FULL_ADMIN;
import static org.karyo.itests.bola.Expect.GLOBAL_RIGHT;
import static org.karyo.itests.bola.Expect.OBJECT;
import static org.karyo.itests.bola.Expect.PUBLIC;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.karyo.itests.bola.Row.Call;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Totp;

/**
 * The fixtures of every module's operations, one method per REST bundle: each creates what its operations act on,
 * as the administrator, on the world's perimeters.
 */
final class ModuleRows {
    private ModuleRows() {}

    static List<Row> all() {
        List<Row> rows = new ArrayList<>();
        rows.addAll(platform());
        rows.addAll(content());
        rows.addAll(maintenance());
        rows.addAll(auth());
        rows.addAll(users());
        rows.addAll(accesses());
        rows.addAll(audit());
        return rows;
    }

    private static Row row(String method, String template, Expect expect, Row.Fixture fixture) {
        return new Row(method, template, expect, fixture);
    }

    // ---- org.karyo.rest -------------------------------------------------------------------------------------------

    static List<Row> platform() {
        return List.of(
                row("GET", "/health", PUBLIC, (w, who) -> Call.of("/health")),
                row("GET", "/health/detail", GLOBAL_RIGHT, (w, who) -> Call.of("/health/detail")),
                row("GET", "/openapi.json", PUBLIC, (w, who) -> Call.of("/openapi.json")));
    }

    // ---- org.karyo.content.rest -----------------------------------------------------------------------------------

    private static String content(World w) {
        return Api.JSON
                .createObjectNode()
                .put("title", w.unique("bola"))
                .put("content", "matrix")
                .put("content_type", "BANNER_INFO")
                .toString();
    }

    private static long newContent(World w) {
        return World.ok(w.admin().post("/webcontent/contents", content(w)))
                .json()
                .path("id")
                .asLong();
    }

    static List<Row> content() {
        String base = "/webcontent/contents";
        return List.of(
                row("GET", base, PUBLIC, (w, who) -> Call.of(base)),
                row("GET", base + "/content_types", PUBLIC, (w, who) -> Call.of(base + "/content_types")),
                row("GET", base + "/{id}", PUBLIC, (w, who) -> Call.of(base + "/" + newContent(w))),
                row("POST", base, GLOBAL_RIGHT, (w, who) -> Call.of(base, content(w))),
                row("PUT", base + "/{id}", GLOBAL_RIGHT, (w, who) -> Call.of(base + "/" + newContent(w), content(w))),
                row(
                        "PATCH",
                        base + "/{id}",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of(base + "/" + newContent(w), "{\"title\":\"patched\"}")),
                row("DELETE", base + "/{id}", GLOBAL_RIGHT, (w, who) -> Call.of(base + "/" + newContent(w))));
    }

    // ---- org.karyo.maintenance.rest -------------------------------------------------------------------------------

    private static String phase(World w) {
        Instant start = Instant.now().plus(3650, ChronoUnit.DAYS);
        return Api.JSON
                .createObjectNode()
                .put("subject", w.unique("bola"))
                .put("type", "partial")
                .put("start_datetime", start.toString())
                .put("end_datetime", start.plusSeconds(3600).toString())
                .toString();
    }

    private static long newPhase(World w) {
        return World.ok(w.admin().post("/maintenances", phase(w)))
                .json()
                .path("id")
                .asLong();
    }

    static List<Row> maintenance() {
        return List.of(
                row("GET", "/maintenances", PUBLIC, (w, who) -> Call.of("/maintenances")),
                row("GET", "/maintenances/next", PUBLIC, (w, who) -> Call.of("/maintenances/next")),
                row("GET", "/maintenances/{id}", PUBLIC, (w, who) -> Call.of("/maintenances/" + newPhase(w))),
                row("POST", "/maintenances", GLOBAL_RIGHT, (w, who) -> Call.of("/maintenances", phase(w))),
                row(
                        "PATCH",
                        "/maintenances/{id}",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of("/maintenances/" + newPhase(w), "{\"message\":\"m\"}")),
                row("DELETE", "/maintenances/{id}", GLOBAL_RIGHT, (w, who) -> Call.of("/maintenances/" + newPhase(w))));
    }

    // ---- org.karyo.auth.rest --------------------------------------------------------------------------------------

    /** The caller's own user for "self" operations; callers without one act on a throwaway user. */
    private static String selfName(World w, Who who) {
        String name = w.usernames.get(who);
        return name != null ? name : w.usernames.get(Who.NO_ACCESS);
    }

    static List<Row> auth() {
        return List.of(
                row("POST", "/auth/login", PUBLIC, (w, who) -> {
                    Who user = w.usernames.containsKey(who) ? who : Who.NO_ACCESS;
                    return Call.of("/auth/login", Api.loginBody(w.usernames.get(user), w.passwords.get(user)));
                }),
                row("POST", "/auth/refresh", PUBLIC, (w, who) -> {
                    Who user = w.usernames.containsKey(who) ? who : Who.NO_ACCESS;
                    String refresh = w.login(user).path("refresh_token").asText();
                    return Call.of(
                            "/auth/refresh",
                            Api.JSON
                                    .createObjectNode()
                                    .put("refresh_token", refresh)
                                    .toString());
                }),
                row("POST", "/auth/logout", AUTHENTICATED, (w, who) -> {
                    Call call = Call.of("/auth/logout", "{}");
                    // a fresh session, so that logging it out leaves the caller's matrix token alive
                    return w.usernames.containsKey(who)
                            ? call.withToken(w.login(who).path("access_token").asText())
                            : call;
                }),
                row("GET", "/auth/jwks", PUBLIC, (w, who) -> Call.of("/auth/jwks")),
                row("GET", "/auth/me", AUTHENTICATED, (w, who) -> Call.of("/auth/me")),
                row("POST", "/auth/mfa/enrol", AUTHENTICATED, (w, who) -> Call.of("/auth/mfa/enrol", "{}")),
                row("POST", "/auth/mfa/confirm", AUTHENTICATED, (w, who) -> {
                    if (!w.tokens.containsKey(who) || who == Who.EXPIRED_TOKEN) {
                        return Call.of("/auth/mfa/confirm", "{\"code\":\"000000\"}");
                    }
                    String secret = w.as(who)
                            .post("/auth/mfa/enrol", "{}")
                            .json()
                            .path("secret")
                            .asText();
                    String code = Totp.code(secret, Instant.now());
                    return Call.of("/auth/mfa/confirm", "{\"code\":\"" + code + "\"}")
                            .then(r -> disableWithRecoveryCode(w, who, r.json()));
                }),
                row("POST", "/auth/mfa/disable", AUTHENTICATED, (w, who) -> {
                    if (!w.tokens.containsKey(who) || who == Who.EXPIRED_TOKEN) {
                        return Call.of("/auth/mfa/disable", "{\"code\":\"000000\"}");
                    }
                    String secret = w.as(who)
                            .post("/auth/mfa/enrol", "{}")
                            .json()
                            .path("secret")
                            .asText();
                    JsonNode confirmed = World.ok(w.as(who)
                                    .post(
                                            "/auth/mfa/confirm",
                                            "{\"code\":\"" + Totp.code(secret, Instant.now()) + "\"}"))
                            .json();
                    String recovery = confirmed.path("recovery_codes").get(0).asText();
                    return Call.of("/auth/mfa/disable", "{\"code\":\"" + recovery + "\"}");
                }),
                row("POST", "/users/{username}/mfa/reset", FULL_ADMIN, (w, who) -> {
                    String target = w.unique("bola-mfa");
                    w.newUser(target);
                    return Call.of("/users/" + target + "/mfa/reset", "{}");
                }),
                row("POST", "/auth/tokens", FULL_ADMIN, (w, who) -> Call.of("/auth/tokens", token(w))),
                row("GET", "/auth/tokens", FULL_ADMIN, (w, who) -> Call.of("/auth/tokens")),
                row("DELETE", "/auth/tokens/{id}", FULL_ADMIN, (w, who) -> {
                    String id = World.ok(w.admin().post("/auth/tokens", token(w)))
                            .json()
                            .path("id")
                            .asText();
                    return Call.of("/auth/tokens/" + id);
                }));
    }

    private static void disableWithRecoveryCode(World w, Who who, JsonNode confirmed) {
        JsonNode codes = confirmed.path("recovery_codes");
        if (codes.size() > 0) {
            World.ok(w.as(who)
                    .post("/auth/mfa/disable", "{\"code\":\"" + codes.get(0).asText() + "\"}"));
        }
    }

    private static String token(World w) {
        return Api.JSON
                .createObjectNode()
                .put("username", w.serviceAccount)
                .put("name", w.unique("bola"))
                .put("expires_at", Instant.now().plus(30, ChronoUnit.DAYS).toString())
                .set("rights", Api.JSON.createArrayNode().add("content.manage"))
                .toString();
    }

    static List<Row> users() {
        return List.of(
                row("GET", "/users", GLOBAL_RIGHT, (w, who) -> Call.of("/users")),
                row("GET", "/users/{username}", GLOBAL_RIGHT, (w, who) -> Call.of("/users/" + selfName(w, who))),
                row(
                        "GET",
                        "/users/{username}/check",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of("/users/" + selfName(w, who) + "/check")),
                row(
                        "POST",
                        "/users",
                        GLOBAL_RIGHT,
                        (w, who) -> Call.of(
                                "/users",
                                Api.JSON
                                        .createObjectNode()
                                        .put("username", w.unique("bola-new"))
                                        .put("firstname", "New")
                                        .put("lastname", "User")
                                        .toString())),
                row("PATCH", "/users/{username}", GLOBAL_RIGHT, (w, who) -> {
                    String target = w.unique("bola-patch");
                    w.newUser(target);
                    return Call.of("/users/" + target, "{\"firstname\":\"Patched\"}");
                }));
    }

    // ---- org.karyo.accesses.rest ----------------------------------------------------------------------------------

    private static long dataAccess(World w, Instant start) {
        String user = w.unique("bola-holder");
        w.newUser(user);
        return w.grant(user, w.dataRole, w.hospital, start);
    }

    private static String newRole(World w) {
        return Api.JSON
                .createObjectNode()
                .put("name", w.unique("bola-role"))
                .set("rights", Api.JSON.createArrayNode().add("accesses.read_patient_pseudonymized"))
                .toString();
    }

    static List<Row> accesses() {
        String a = "/accesses";
        Instant future = Instant.now().plus(10, ChronoUnit.DAYS);
        return List.of(
                row("GET", a + "/rights", AUTHENTICATED, (w, who) -> Call.of(a + "/rights")),
                row("GET", a + "/roles", AUTHENTICATED, (w, who) -> Call.of(a + "/roles")),
                row("GET", a + "/roles/{id}", AUTHENTICATED, (w, who) -> Call.of(a + "/roles/" + w.dataRole)),
                row(
                        "GET",
                        a + "/roles/{id}/users",
                        AUTHENTICATED,
                        (w, who) -> Call.of(a + "/roles/" + w.dataRole + "/users")),
                row(
                        "GET",
                        a + "/roles/assignable",
                        OBJECT,
                        (w, who) -> Call.of(a + "/roles/assignable?perimeter_id=" + w.hospital)),
                row("POST", a + "/roles", FULL_ADMIN, (w, who) -> Call.of(a + "/roles", newRole(w))),
                row("PATCH", a + "/roles/{id}", FULL_ADMIN, (w, who) -> {
                    long id = World.ok(w.admin().post(a + "/roles", newRole(w)))
                            .json()
                            .path("id")
                            .asLong();
                    return Call.of(a + "/roles/" + id, "{\"name\":\"" + w.unique("renamed") + "\"}");
                }),
                row("DELETE", a + "/roles/{id}", FULL_ADMIN, (w, who) -> {
                    long id = World.ok(w.admin().post(a + "/roles", newRole(w)))
                            .json()
                            .path("id")
                            .asLong();
                    return Call.of(a + "/roles/" + id);
                }),
                row("GET", a + "/accesses", GLOBAL_RIGHT, (w, who) -> Call.of(a + "/accesses")),
                row("GET", a + "/accesses/{id}", OBJECT, (w, who) -> Call.of(a + "/accesses/" + dataAccess(w, null))),
                row("POST", a + "/accesses", OBJECT, (w, who) -> {
                    String user = w.unique("bola-grantee");
                    w.newUser(user);
                    return Call.of(
                            a + "/accesses",
                            Api.JSON
                                    .createObjectNode()
                                    .put("username", user)
                                    .put("role_id", w.dataRole)
                                    .put("perimeter_id", w.hospital)
                                    .toString());
                }),
                row(
                        "PATCH",
                        a + "/accesses/{id}",
                        OBJECT,
                        (w, who) -> Call.of(
                                a + "/accesses/" + dataAccess(w, future),
                                "{\"end_datetime\":\"" + future.plus(5, ChronoUnit.DAYS) + "\"}")),
                row(
                        "DELETE",
                        a + "/accesses/{id}",
                        OBJECT,
                        (w, who) -> Call.of(a + "/accesses/" + dataAccess(w, future))),
                row(
                        "PATCH",
                        a + "/accesses/{id}/close",
                        OBJECT,
                        (w, who) -> Call.of(a + "/accesses/" + dataAccess(w, null) + "/close", "{}")),
                row(
                        "GET",
                        a + "/accesses/my-accesses",
                        AUTHENTICATED,
                        (w, who) -> Call.of(a + "/accesses/my-accesses?expiring=true")),
                row(
                        "GET",
                        a + "/accesses/my-data-rights",
                        AUTHENTICATED,
                        (w, who) -> Call.of(a + "/accesses/my-data-rights?perimeters_ids=" + w.hospital)),
                row("GET", a + "/profiles", GLOBAL_RIGHT, (w, who) -> Call.of(a + "/profiles")),
                row("GET", a + "/perimeters", AUTHENTICATED, (w, who) -> Call.of(a + "/perimeters")),
                row("GET", a + "/perimeters/{id}", OBJECT, (w, who) -> Call.of(a + "/perimeters/" + w.hospital)),
                row(
                        "GET",
                        a + "/perimeters/{id}/children",
                        OBJECT,
                        (w, who) -> Call.of(a + "/perimeters/" + w.hospital + "/children")),
                row(
                        "GET",
                        a + "/perimeters/manageable",
                        AUTHENTICATED,
                        (w, who) -> Call.of(a + "/perimeters/manageable")),
                row(
                        "GET",
                        a + "/perimeters/patient-data/rights",
                        AUTHENTICATED,
                        (w, who) -> Call.of(a + "/perimeters/patient-data/rights")),
                row(
                        "GET",
                        a + "/perimeters/patient-data/read",
                        OBJECT,
                        (w, who) -> Call.of(a + "/perimeters/patient-data/read?mode=max&perimeters_ids=" + w.hospital)),
                row(
                        "POST",
                        a + "/perimeters",
                        FULL_ADMIN,
                        (w, who) -> Call.of(
                                a + "/perimeters",
                                Api.JSON
                                        .createObjectNode()
                                        .put("local_id", w.unique("bola-p"))
                                        .put("name", "Matrix department")
                                        .put("type_source_value", "department")
                                        .put("parent_id", w.hospital)
                                        .toString())),
                row(
                        "POST",
                        a + "/perimeters/import",
                        FULL_ADMIN,
                        (w, who) -> new Call(
                                a + "/perimeters/import",
                                "id,local_id,name,short_name,source_value,type_source_value,parent_id\n" + "1,"
                                        + w.unique("bola-csv") + ",Imported,,,department,\n",
                                "text/csv",
                                null,
                                null)));
    }

    // ---- org.karyo.audit.rest -------------------------------------------------------------------------------------

    static List<Row> audit() {
        return List.of(
                row("GET", "/audit", FULL_ADMIN, (w, who) -> Call.of("/audit")),
                row("GET", "/audit/verify", FULL_ADMIN, (w, who) -> Call.of("/audit/verify")));
    }
}
