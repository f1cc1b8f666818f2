package org.karyo.itests.bola;

import static org.karyo.itests.bola.Expect.AUTHENTICATED;
import static org.karyo.itests.bola.Expect.FULL_ADMIN;
import static org.karyo.itests.bola.Expect.GLOBAL_RIGHT;
import static org.karyo.itests.bola.Expect.OBJECT;
import static org.karyo.itests.bola.Expect.OBJECT_RIGHT;
import static org.karyo.itests.bola.Expect.OBJECT_RIGHT_IN_BODY;
import static org.karyo.itests.bola.Expect.OWNER_OR_RIGHT;
import static org.karyo.itests.bola.Expect.PUBLIC;
import static org.karyo.itests.bola.Expect.SIGNED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.karyo.itests.bola.Row.Call;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Genomics;
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
        rows.addAll(modules());
        rows.addAll(content());
        rows.addAll(maintenance());
        rows.addAll(auth());
        rows.addAll(users());
        rows.addAll(accesses());
        rows.addAll(audit());
        rows.addAll(projects());
        rows.addAll(omics());
        rows.addAll(storage());
        rows.addAll(jobs());
        rows.addAll(FhirRows.all());
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

    // ---- org.karyo.core.rest ----------------------------------------------------------------------------------------

    /**
     * The module operations change nothing on the shared platform: installing an installed module and uninstalling one
     * that is not installed ({@code karyo-auth-ldap}) are changes that change nothing, so every admitted caller may make
     * them.
     */
    static List<Row> modules() {
        return List.of(
                row("GET", "/modules", GLOBAL_RIGHT, (w, who) -> Call.of("/modules")),
                row("GET", "/modules/{name}", GLOBAL_RIGHT, (w, who) -> Call.of("/modules/content")),
                row("POST", "/modules/{name}", GLOBAL_RIGHT, (w, who) -> Call.of("/modules/content")),
                row("DELETE", "/modules/{name}", GLOBAL_RIGHT, (w, who) -> Call.of("/modules/auth-ldap")),
                row(
                        "GET",
                        "/modules/changes/{id}",
                        GLOBAL_RIGHT,
                        (w, who) ->
                                Call.of("/modules/changes/" + w.shared("module change", ModuleRows::moduleChange))));
    }

    private static String moduleChange(World w) {
        Api.Response r =
                w.admin().send(w.admin().request("/modules/content").POST(HttpRequest.BodyPublishers.noBody()));
        return World.ok(r).json().path("id").asText();
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
                    String secret = w.asFresh(who)
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
                    String secret = w.asFresh(who)
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

    // ---- shared by the rows below ---------------------------------------------------------------------------------

    private static final String OCTET_STREAM = "application/octet-stream";

    /** The id of the object a 2xx answer created. */
    private static long id(Api.Response r) {
        return World.ok(r).json().path("id").asLong();
    }

    // ---- org.karyo.projects.rest ----------------------------------------------------------------------------------

    /** What a PDF starts with, which is all the projects module checks of a document's content. */
    private static final String PDF = "%PDF-1.4\n% matrix document\n";

    /** A new institution under H (the projects module attaches its node there). */
    private static String institution(World w) {
        return Api.JSON
                .createObjectNode()
                .put("code", w.code("BI", 12))
                .put("name", w.unique("Bola institution"))
                .put("parent_perimeter_id", w.hospital)
                .toString();
    }

    private static long newInstitution(World w) {
        return id(w.admin().post("/projects/institutions", institution(w)));
    }

    /** The institution of the shared project, on a node under H: SIBLING cannot see it, ANCESTOR and OWN can. */
    private static long sharedInstitution(World w) {
        return w.shared("projects.institution", ModuleRows::newInstitution);
    }

    /** An investigator; {@code institution} only for a creation (a PUT never moves one). */
    private static String investigator(World w, Long institution) {
        ObjectNode body = Api.JSON.createObjectNode();
        if (institution != null) {
            body.put("institution_id", institution);
        }
        String last = w.unique("Investigator");
        return body.put("first_name", "Ada")
                .put("last_name", last)
                .put("email", last.toLowerCase(Locale.ROOT) + "@example.org")
                .toString();
    }

    private static long newInvestigator(World w) {
        return id(w.admin().post("/projects/investigators", investigator(w, sharedInstitution(w))));
    }

    private static long sharedInvestigator(World w) {
        return w.shared("projects.investigator", ModuleRows::newInvestigator);
    }

    /** A project of the shared institution, led by the shared investigator; code and institution only to create. */
    private static String project(World w, boolean create) {
        ObjectNode body = Api.JSON.createObjectNode();
        if (create) {
            body.put("institution_id", sharedInstitution(w)).put("code", w.code("P", 8));
        }
        return body.put("investigator_id", sharedInvestigator(w))
                .put("name", w.unique("Bola project"))
                .put("status", "ACTIVE")
                .put("start_date", "2026-01-01")
                .toString();
    }

    private static long newProject(World w) {
        return id(w.admin().post("/projects/projects", project(w, true)));
    }

    /** The project whose files, participants, relations and genomic files the rows read and add to. */
    private static long sharedProject(World w) {
        return w.shared("projects.project", ModuleRows::newProject);
    }

    private static String projectPath(World w) {
        return "/projects/projects/" + sharedProject(w);
    }

    /** A PDF file of the shared project, as the administrator. */
    private static long newFile(World w) {
        Api admin = w.admin();
        String path = projectPath(w) + "/files?category=DOCUMENTS&name=" + w.unique("bola") + ".pdf";
        return id(admin.send(admin.request(path)
                .header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.ofString(PDF))));
    }

    private static long sharedFile(World w) {
        return w.shared("projects.file", ModuleRows::newFile);
    }

    /** A participant with a sample id of its own (sample ids are unique in a project). */
    private static String participant(World w) {
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("first_name", "Jane")
                .put("last_name", w.unique("Doe"))
                .put("gender", "FEMALE")
                .put("birth_date", "1980-05-17");
        body.putArray("sample_ids").add(w.unique("SAMPLE"));
        return body.toString();
    }

    private static long newParticipant(World w) {
        return id(w.admin().post(projectPath(w) + "/participants", participant(w)));
    }

    /** A participant of the shared project with its signed consent form (the consent itself stays PENDING). */
    private static long newParticipantWithDocument(World w) {
        long participant = newParticipant(w);
        World.ok(w.admin()
                .put(
                        projectPath(w) + "/participants/" + participant + "/consent/document?file_name=consent.pdf",
                        PDF.getBytes(StandardCharsets.US_ASCII),
                        "application/pdf"));
        return participant;
    }

    private static long sharedParticipant(World w) {
        return w.shared("projects.participant", ModuleRows::newParticipantWithDocument);
    }

    /** A relation between two new participants (a pair holds one relation of each type). */
    private static String relation(World w) {
        return Api.JSON
                .createObjectNode()
                .put("from_participant_id", newParticipant(w))
                .put("to_participant_id", newParticipant(w))
                .put("type", "SIBLING")
                .toString();
    }

    private static long newRelation(World w) {
        return id(w.admin().post(projectPath(w) + "/relations", relation(w)));
    }

    private static long sharedRelation(World w) {
        return w.shared("projects.relation", ModuleRows::newRelation);
    }

    /**
     * Institutions, investigators, projects and everything in a project live on the project's (or institution's)
     * perimeter node under H. A caller without any projects right on it gets 404; the creations that name their parent
     * in the body answer 400 on that field instead ({@link Expect#OBJECT_RIGHT_IN_BODY}).
     */
    static List<Row> projects() {
        String inst = "/projects/institutions";
        String inv = "/projects/investigators";
        String proj = "/projects/projects";
        String files = proj + "/{id}/files";
        String parts = proj + "/{projectId}/participants";
        String rels = proj + "/{projectId}/relations";
        return List.of(
                // institutions
                row("GET", inst, GLOBAL_RIGHT, (w, who) -> Call.of(inst)),
                row("POST", inst, OBJECT_RIGHT_IN_BODY, (w, who) -> Call.of(inst, institution(w))),
                row("GET", inst + "/{id}", OBJECT_RIGHT, (w, who) -> Call.of(inst + "/" + sharedInstitution(w))),
                row(
                        "PUT",
                        inst + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                inst + "/" + newInstitution(w),
                                Api.JSON
                                        .createObjectNode()
                                        .put("name", w.unique("Renamed institution"))
                                        .toString())),
                // investigators
                row("GET", inv, GLOBAL_RIGHT, (w, who) -> Call.of(inv)),
                row("POST", inv, OBJECT_RIGHT_IN_BODY, (w, who) -> Call.of(inv, investigator(w, sharedInstitution(w)))),
                row("GET", inv + "/{id}", OBJECT_RIGHT, (w, who) -> Call.of(inv + "/" + sharedInvestigator(w))),
                row(
                        "PUT",
                        inv + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(inv + "/" + newInvestigator(w), investigator(w, null))),
                row("DELETE", inv + "/{id}", OBJECT_RIGHT, (w, who) -> Call.of(inv + "/" + newInvestigator(w))),
                // projects
                row("GET", proj, GLOBAL_RIGHT, (w, who) -> Call.of(proj)),
                row("POST", proj, OBJECT_RIGHT_IN_BODY, (w, who) -> Call.of(proj, project(w, true))),
                row("GET", proj + "/{id}", OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w))),
                row(
                        "PUT",
                        proj + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(proj + "/" + newProject(w), project(w, false))),
                // project files
                row("GET", files, OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w) + "/files")),
                row(
                        "POST",
                        files,
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/files?category=DOCUMENTS&name=" + w.unique("bola") + ".pdf",
                                PDF,
                                "application/pdf")),
                row(
                        "GET",
                        files + "/{fileId}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/files/" + sharedFile(w))),
                row(
                        "GET",
                        files + "/{fileId}/content",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/files/" + sharedFile(w) + "/content")),
                row(
                        "GET",
                        files + "/{fileId}/link",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/files/" + sharedFile(w) + "/link")),
                row(
                        "DELETE",
                        files + "/{fileId}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/files/" + newFile(w))),
                // participants
                row("GET", parts, OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w) + "/participants")),
                row("POST", parts, OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w) + "/participants", participant(w))),
                row(
                        "GET",
                        parts + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/participants/" + sharedParticipant(w))),
                row(
                        "PUT",
                        parts + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/participants/" + newParticipant(w), participant(w))),
                row(
                        "DELETE",
                        parts + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/participants/" + newParticipant(w))),
                row(
                        "PUT",
                        parts + "/{id}/consent",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/participants/" + newParticipant(w) + "/consent",
                                "{\"status\":\"PENDING\"}")),
                row(
                        "PUT",
                        parts + "/{id}/consent/document",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/participants/" + newParticipant(w)
                                        + "/consent/document?file_name=consent.pdf",
                                PDF,
                                "application/pdf")),
                row(
                        "GET",
                        parts + "/{id}/consent/document",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/participants/" + sharedParticipant(w) + "/consent/document")),
                row(
                        "GET",
                        parts + "/{id}/consent/document/link",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/participants/" + sharedParticipant(w) + "/consent/document/link")),
                row(
                        "DELETE",
                        parts + "/{id}/consent/document",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/participants/" + newParticipantWithDocument(w)
                                + "/consent/document")),
                row(
                        "GET",
                        parts + "/export",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/participants/export")),
                row(
                        "POST",
                        parts + "/import",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                projectPath(w) + "/participants/import",
                                "first_name,last_name,gender,birth_date,sample_ids\nJane,Imported,FEMALE,1980-05-17,"
                                        + w.unique("SAMPLE") + "\n",
                                "text/csv")),
                // relations
                row("GET", rels, OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w) + "/relations")),
                row("POST", rels, OBJECT_RIGHT, (w, who) -> Call.of(projectPath(w) + "/relations", relation(w))),
                row(
                        "GET",
                        rels + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/relations/" + sharedRelation(w))),
                row(
                        "DELETE",
                        rels + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(projectPath(w) + "/relations/" + newRelation(w))));
    }

    // ---- org.karyo.omics.rest -------------------------------------------------------------------------------------

    /**
     * A sorted VCF of three records and one sample, small enough to be one part. Its sample belongs to no participant,
     * so no consent blocks its genotypes (htsget and the download need every sample's).
     */
    private static final String VCF = "##fileformat=VCFv4.2\n"
            + "##reference=GRCh38\n"
            + "##contig=<ID=chr1,length=10000000>\n"
            + "##contig=<ID=chr2,length=10000000>\n"
            + "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
            + "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
            + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tBOLA1\n"
            + "chr1\t1000\trs1\tA\tG\t50\tPASS\tDP=10\tGT\t0/1\n"
            + "chr1\t2000\trs2\tC\tT\t60\tPASS\tDP=20\tGT\t1/1\n"
            + "chr2\t3000\trs3\tG\tA\t70\tPASS\tDP=30\tGT\t0|1\n";

    /**
     * The bytes sent as a declared {@code .tbi}: they start as a tabix index does ({@code TBI\1}), which is all that
     * is checked of their content on arrival, with their size and SHA-256 (the matrix never completes that upload, so
     * they are never checked against the file).
     */
    private static final String INDEX = "TBI\u0001 declared index, checked by type, size and SHA-256 on arrival\n";

    private static final String QC = "metric,value\nti_tv,2.1\n";

    /** A new upload of {@link #VCF} to the shared project, declaring {@link #INDEX} when asked. */
    private static String upload(World w, boolean index) {
        byte[] data = VCF.getBytes(StandardCharsets.US_ASCII);
        ObjectNode body = Api.JSON
                .createObjectNode()
                .put("project", sharedProject(w))
                .put("kind", "VCF")
                .put("size", data.length)
                .put("sha256", Genomics.sha256(data))
                .put("idempotency_key", w.unique("bola"))
                .put("file_name", "bola.vcf");
        body.putObject("assembly").put("reference", "GRCH38").put("name", "GRCh38");
        if (index) {
            byte[] tbi = INDEX.getBytes(StandardCharsets.US_ASCII);
            body.putObject("index").put("type", "tbi").put("size", tbi.length).put("sha256", Genomics.sha256(tbi));
        }
        return body.toString();
    }

    /** Starts an upload as {@code api}'s user. */
    private static long newUpload(World w, Api api, boolean index) {
        return id(api.post("/omics/uploads", upload(w, index)));
    }

    /** Sends the upload's one part. */
    private static void sendPart(Api api, long upload) {
        World.ok(api.put(
                "/omics/uploads/" + upload + "/parts/1", VCF.getBytes(StandardCharsets.US_ASCII), OCTET_STREAM));
    }

    /**
     * Who starts the upload a caller sends parts of or completes: only the user who started an upload may, so the
     * callers who may upload to the project act on their own uploads, the others on the administrator's (which they
     * must not reach either).
     */
    private static Api uploader(World w, Who who) {
        return who == Who.ANCESTOR || who == Who.OWN_PERIMETER ? w.as(who) : w.admin();
    }

    /** A validated genomic file: its artifact, the job that validated it and the upload it came from. */
    private record Artifact(long id, long job, long upload) {}

    /** Uploads {@link #VCF} as the administrator and waits until its validation job made the artifact. */
    private static Artifact newArtifact(World w) {
        Api admin = w.admin();
        long upload = newUpload(w, admin, false);
        sendPart(admin, upload);
        JsonNode job;
        try {
            job = Genomics.complete(admin, upload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the matrix's VCF was validated", e);
        }
        if (!job.path("state").asText().equals("AVAILABLE")) {
            throw new IllegalStateException("the matrix's VCF was not accepted: " + job);
        }
        return new Artifact(job.path("artifact_id").asLong(), job.path("id").asLong(), upload);
    }

    /** The one artifact the read rows share, with a QC metrics file (read by {@code GET …/qc}). */
    private static Artifact sharedArtifact(World w) {
        return w.shared("omics.artifact", world -> {
            Artifact a = newArtifact(world);
            World.ok(world.admin()
                    .put(
                            "/omics/artifacts/" + a.id() + "/qc?file_name=qc.csv",
                            QC.getBytes(StandardCharsets.US_ASCII),
                            "text/csv"));
            return a;
        });
    }

    /**
     * Uploads, jobs and artifacts belong to the shared project: a caller without the omics right on its node gets
     * 404. Download and QC answer {@code 303} to a presigned URL; htsget answers its refusals in htsget's own shape,
     * with the same statuses.
     */
    static List<Row> omics() {
        String u = "/omics/uploads";
        String a = "/omics/artifacts";
        return List.of(
                // uploads
                row("POST", u, OBJECT_RIGHT, (w, who) -> Call.of(u, upload(w, false))),
                row("GET", u, GLOBAL_RIGHT, (w, who) -> Call.of(u)),
                row(
                        "GET",
                        u + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(u + "/" + sharedArtifact(w).upload())),
                row(
                        "PUT",
                        u + "/{id}/parts/{n}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                u + "/" + newUpload(w, uploader(w, who), false) + "/parts/1", VCF, OCTET_STREAM)),
                row(
                        "POST",
                        u + "/{id}/parts/{n}/presign",
                        OBJECT_RIGHT,
                        (w, who) ->
                                Call.of(u + "/" + newUpload(w, uploader(w, who), false) + "/parts/1/presign", "{}")),
                row(
                        "GET",
                        u + "/{id}/parts/{n}/url",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(u + "/" + newUpload(w, uploader(w, who), false) + "/parts/1/url")),
                row(
                        "PUT",
                        u + "/{id}/index",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                u + "/" + newUpload(w, uploader(w, who), true) + "/index", INDEX, OCTET_STREAM)),
                row("POST", u + "/{id}/complete", OBJECT_RIGHT, (w, who) -> {
                    Api api = uploader(w, who);
                    long upload = newUpload(w, api, false);
                    sendPart(api, upload);
                    return Call.of(u + "/" + upload + "/complete", "{}");
                }),
                // a manager of the project aborts anyone's upload: the administrator's here
                row("DELETE", u + "/{id}", OBJECT_RIGHT, (w, who) -> Call.of(u + "/" + newUpload(w, w.admin(), false))),
                // jobs
                row("GET", "/omics/jobs", GLOBAL_RIGHT, (w, who) -> Call.of("/omics/jobs")),
                row(
                        "GET",
                        "/omics/jobs/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of("/omics/jobs/" + sharedArtifact(w).job())),
                // artifacts
                row("GET", a, GLOBAL_RIGHT, (w, who) -> Call.of(a)),
                row(
                        "GET",
                        a + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(a + "/" + sharedArtifact(w).id())),
                // sets the assembly the artifact already has: the shared artifact reads the same afterwards
                row(
                        "PATCH",
                        a + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(
                                a + "/" + sharedArtifact(w).id(),
                                "{\"assembly\":{\"reference\":\"GRCH38\",\"name\":\"GRCh38\"}}")),
                row(
                        "DELETE",
                        a + "/{id}",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(a + "/" + newArtifact(w).id())),
                row(
                        "GET",
                        a + "/{id}/records",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(a + "/" + sharedArtifact(w).id() + "/records?region=chr1")),
                row(
                                "GET",
                                a + "/{id}/download",
                                OBJECT_RIGHT,
                                (w, who) -> Call.of(a + "/" + sharedArtifact(w).id() + "/download"))
                        .answering(303),
                // replaces the QC file with the same content
                row(
                        "PUT",
                        a + "/{id}/qc",
                        OBJECT_RIGHT,
                        (w, who) -> Call.of(a + "/" + sharedArtifact(w).id() + "/qc?file_name=qc.csv", QC, "text/csv")),
                row(
                                "GET",
                                a + "/{id}/qc",
                                OBJECT_RIGHT,
                                (w, who) -> Call.of(a + "/" + sharedArtifact(w).id() + "/qc"))
                        .answering(303),
                // htsget
                row(
                        "GET",
                        "/htsget/variants/{id}",
                        OBJECT_RIGHT,
                        (w, who) ->
                                Call.of("/htsget/variants/" + sharedArtifact(w).id() + "?format=VCF")));
    }

    // ---- org.karyo.storage.fs -------------------------------------------------------------------------------------

    /**
     * A presigned URL of the filesystem store that no key signed: unexpired, with a signature of the right shape (43
     * base64url characters, an HMAC-SHA256). No credential stands in for the signature.
     */
    private static String forged(World w) {
        long expires = Instant.now().plus(1, ChronoUnit.HOURS).getEpochSecond();
        return "/storage/presigned/objects/projects/bola-" + w.run + "/object.bin?expires=" + expires + "&signature="
                + "A".repeat(43);
    }

    static List<Row> storage() {
        String objects = "/storage/presigned/objects/{key}";
        return List.of(
                row("GET", objects, SIGNED, (w, who) -> Call.of(forged(w))),
                row("PUT", objects, SIGNED, (w, who) -> Call.of(forged(w), "matrix", OCTET_STREAM)));
    }

    // ---- org.karyo.jobs.rest --------------------------------------------------------------------------------------

    /** The task every platform has: the facility's own upkeep. */
    private static final String TASK = "jobs.prune";

    /**
     * A job of the administrator that has ended: a manual run of {@link #TASK}. Others see it only with
     * {@code jobs.manage}; cancelling it answers 409 to whoever may see it.
     */
    private static long finishedJob(World w) {
        return w.shared("jobs.finished", world -> {
            long id = World.ok(world.admin().post("/tasks/" + TASK + "/run", "{}"))
                    .json()
                    .path("id")
                    .asLong();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String state =
                        world.admin().get("/jobs/" + id).json().path("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                    return id;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the matrix's task run did not end: job " + id + " " + state);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        });
    }

    /**
     * Jobs are their owner's and visible to holders of {@code jobs.manage} (the test role); tasks need
     * {@code jobs.tasks.manage}. Cancelling an ended job is a 409 for whoever may see it.
     */
    static List<Row> jobs() {
        return List.of(
                row("GET", "/jobs", AUTHENTICATED, (w, who) -> Call.of("/jobs")),
                row("GET", "/jobs/{id}", OWNER_OR_RIGHT, (w, who) -> Call.of("/jobs/" + finishedJob(w))),
                row(
                                "POST",
                                "/jobs/{id}/cancel",
                                OWNER_OR_RIGHT,
                                (w, who) -> Call.of("/jobs/" + finishedJob(w) + "/cancel", "{}"))
                        .answering(409),
                row("GET", "/tasks", GLOBAL_RIGHT, (w, who) -> Call.of("/tasks")),
                row("GET", "/tasks/{name}", GLOBAL_RIGHT, (w, who) -> Call.of("/tasks/" + TASK)),
                row("POST", "/tasks/{name}/run", GLOBAL_RIGHT, (w, who) -> Call.of("/tasks/" + TASK + "/run", "{}")),
                row("GET", "/tasks/{name}/runs", GLOBAL_RIGHT, (w, who) -> Call.of("/tasks/" + TASK + "/runs")));
    }
}
