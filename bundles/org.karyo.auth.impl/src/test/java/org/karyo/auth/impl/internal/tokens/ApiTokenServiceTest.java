package org.karyo.auth.impl.internal.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightContributor;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService.IssuedToken;
import org.karyo.auth.api.Identity;
import org.karyo.auth.impl.internal.Users;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestClock;
import org.karyo.testing.TestDatabase;

/** Service-account API tokens against a real PostgreSQL migrated by the module's V1 and V2. */
class ApiTokenServiceTest {

    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final String SECRET_SHAPE = "kyt_[a-z0-9]{8}_[A-Za-z0-9_-]{43}";

    private static TestDatabase db;
    private static DataSource ds;
    private static UnitOfWork uow;

    private final TestClock clock = new TestClock(START);
    private RecordingAuditTrail audit;
    private Users users;
    private ApiTokenServiceImpl service;
    private String etl;
    private String alice;
    private Caller admin;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("auth", ApiTokenServiceImpl.class, "db/auth");
        ds = db.dataSource();
        uow = db.unitOfWork();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void freshState() throws SQLException {
        sql("truncate karyo_auth.users cascade");
        audit = new RecordingAuditTrail(uow);
        users = new Users(ds);
        service = service(365, "", Map.of());
        etl = TokenFixtures.insertUser(ds, "etl", "SERVICE", true);
        alice = TokenFixtures.insertUser(ds, "alice", "PERSON", true);
        admin = TokenFixtures.caller(TokenFixtures.insertUser(ds, "root", "PERSON", true), "accesses.full_admin");
    }

    private ApiTokenServiceImpl service(int maxDays, String exempt, Map<String, String> env) {
        ApiTokenServiceImpl s = new ApiTokenServiceImpl(
                ds, uow, audit, users, TokenFixtures.config(maxDays, exempt), EnvOverrides.of(env), clock);
        s.addRightContributor(TokenFixtures.rights("accesses", "accesses.read_patient_pseudonymized"));
        s.addRightContributor(TokenFixtures.rights("cohort", "cohort.read"));
        s.addRightContributor(TokenFixtures.rights("a", "a.b"));
        return s;
    }

    /** Issue 10 §3: a right no installed module declares is refused, naming it, as roles refuse it. */
    @Test
    void unknownRightsAreRefusedByName() {
        assertThatThrownBy(
                        () -> service.create(admin, "etl", "x", Set.of("cohort.read", "projects.projet.read"), days(1)))
                .isInstanceOfSatisfying(KaryoException.class, x -> {
                    assertThat(x.kind()).isEqualTo(Kind.INVALID);
                    assertThat(x.errors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo("rights");
                        assertThat(f.message()).contains("projects.projet.read");
                    });
                });
        RightContributor projects = TokenFixtures.rights("projects", "projects.projet.read");
        service.addRightContributor(projects);
        assertThat(service.create(admin, "etl", "x", Set.of("projects.projet.read"), days(1))
                        .token()
                        .rights())
                .containsExactly("projects.projet.read");
        service.removeRightContributor(projects);
        assertThatThrownBy(() -> service.create(admin, "etl", "y", Set.of("projects.projet.read"), days(1)))
                .isInstanceOf(KaryoException.class);
    }

    /** Issue 10 §3: the token list is paged like other lists, newest first, with the count of all. */
    @Test
    void theListIsPagedNewestFirst() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create("etl").token().id());
            clock.advance(Duration.ofSeconds(1));
        }
        Page<ApiToken> page = service.list(admin, "etl", new PageRequest(2, 1, List.of()));
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.results()).extracting(ApiToken::id).containsExactly(ids.get(3), ids.get(2));
        assertThat(service.list(admin, null, new PageRequest(10, 4, List.of())).results())
                .extracting(ApiToken::id)
                .containsExactly(ids.get(0));
        assertInvalid(() -> service.list(admin, null, new PageRequest(501, 0, List.of())), "limit");
    }

    private IssuedToken create(String username) {
        return service.create(
                admin, username, "nightly ETL", Set.of("accesses.read_patient_pseudonymized", "cohort.read"), days(30));
    }

    private static Instant days(int n) {
        return START.plus(Duration.ofDays(n));
    }

    // ---- create and authenticate --------------------------------------------------------------------------------

    @Test
    void createReturnsTheSecretOnceAndItAuthenticatesAsTheServiceAccount() {
        IssuedToken issued = create("etl");

        assertThat(issued.secret())
                .matches(SECRET_SHAPE)
                .startsWith("kyt_" + issued.token().prefix() + "_");
        ApiToken t = issued.token();
        assertThat(t.username()).isEqualTo("etl");
        assertThat(t.name()).isEqualTo("nightly ETL");
        assertThat(t.rights()).containsExactlyInAnyOrder("accesses.read_patient_pseudonymized", "cohort.read");
        assertThat(t.createdAt()).isEqualTo(START);
        assertThat(t.expiresAt()).isEqualTo(days(30));
        assertThat(t.revokedAt()).isEmpty();
        assertThat(t.lastUsedAt()).isEmpty();

        assertThat(service.recognises(issued.secret())).isTrue();
        Identity id = service.authenticate(issued.secret());
        assertThat(id)
                .isEqualTo(new Identity(
                        etl,
                        "etl",
                        Identity.Method.API_TOKEN,
                        Optional.empty(),
                        "api-token:" + t.id(),
                        Optional.of(Set.of("accesses.read_patient_pseudonymized", "cohort.read")),
                        false,
                        false,
                        days(30)));

        assertThat(audit.actions()).containsExactly("auth.token.create");
        RecordingAuditTrail.Entry e = audit.last();
        assertThat(e.actorId()).isEqualTo(admin.id());
        assertThat(e.inUnitOfWork()).isTrue();
        assertThat(e.event().objectType()).isEqualTo("api_token");
        assertThat(e.event().objectId()).isEqualTo(t.id());
        assertThat(e.event().details()).containsEntry("user", etl).containsEntry("rights", "2");
        assertThat(e.event().toString()).doesNotContain(issued.secret()).doesNotContain(secretPart(issued));
    }

    @Test
    void theDatabaseHoldsOnlyTheHashOfTheSecret() throws Exception {
        IssuedToken issued = create("etl");

        String row = text("select t::text from karyo_auth.api_tokens t");
        assertThat(row).doesNotContain(issued.secret()).doesNotContain(secretPart(issued));
        String hex = text("select encode(secret_hash, 'hex') from karyo_auth.api_tokens");
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(issued.secret().getBytes(StandardCharsets.UTF_8));
        assertThat(hex).isEqualTo(HexFormat.of().formatHex(sha));
        assertThat(text("select prefix from karyo_auth.api_tokens"))
                .isEqualTo(issued.token().prefix());
    }

    @Test
    void twoTokensNeverShareASecret() {
        IssuedToken a = create("etl");
        IssuedToken b = create("etl");
        assertThat(a.secret()).isNotEqualTo(b.secret());
        assertThat(a.token().id()).isNotEqualTo(b.token().id());
        assertThat(service.authenticate(b.secret()).clientId())
                .isEqualTo("api-token:" + b.token().id());
    }

    // ---- who and what may be created ----------------------------------------------------------------------------

    @Test
    void onlyServiceAccountsGetTokens() {
        assertInvalid(() -> create("alice"), "username");
        assertInvalid(() -> create("nobody"), "username");
        assertInvalid(() -> create(null), "username");
        assertThat(audit.entries()).isEmpty();
    }

    @Test
    void everyTokenOperationNeedsFullAdmin() {
        IssuedToken issued = create("etl");
        Caller manager = TokenFixtures.caller(alice, "accesses.manage_users");

        assertForbidden(() -> service.create(manager, "etl", "x", Set.of("cohort.read"), days(1)));
        assertForbidden(() -> service.revoke(manager, issued.token().id()));
        assertForbidden(() -> service.list(manager, null));
        assertForbidden(() -> service.list(Caller.ANONYMOUS, "etl"));
        assertThat(audit.actions()).containsExactly("auth.token.create");
    }

    @Test
    void expiryRightsAndNameAreValidated() {
        assertInvalid(() -> service.create(admin, "etl", "x", Set.of("cohort.read"), null), "expires_at");
        assertInvalid(() -> service.create(admin, "etl", "x", Set.of("cohort.read"), START), "expires_at");
        assertInvalid(
                () -> service.create(
                        admin, "etl", "x", Set.of("cohort.read"), days(365).plusSeconds(1)),
                "expires_at");
        assertInvalid(() -> service.create(admin, "etl", "x", Set.of(), days(1)), "rights");
        assertInvalid(() -> service.create(admin, "etl", "x", null, days(1)), "rights");
        assertInvalid(() -> service.create(admin, "etl", "x", Set.of("Not a right"), days(1)), "rights");
        assertInvalid(() -> service.create(admin, "etl", " ", Set.of("cohort.read"), days(1)), "name");
        assertInvalid(() -> service.create(admin, "etl", "n".repeat(201), Set.of("cohort.read"), days(1)), "name");

        assertThat(service.create(admin, "etl", "x", Set.of("cohort.read"), days(365))
                        .token()
                        .expiresAt())
                .isEqualTo(days(365));
        assertThatThrownBy(() -> service(7, "", Map.of()).create(admin, "etl", "x", Set.of("a.b"), days(8)))
                .isInstanceOfSatisfying(KaryoException.class, x -> assertThat(x.errors())
                        .extracting(f -> f.message())
                        .containsExactly("must be at most 7 days ahead"));
    }

    @Test
    void allInvalidFieldsAreReportedTogether() {
        assertThatThrownBy(() -> service.create(admin, "alice", "", Set.of(), null))
                .isInstanceOfSatisfying(KaryoException.class, x -> assertThat(x.errors())
                        .extracting(f -> f.field())
                        .containsExactly("username", "name", "rights", "expires_at"));
    }

    // ---- authentication failures --------------------------------------------------------------------------------

    @Test
    void unknownMalformedAndForeignBearersAreRefused() {
        IssuedToken issued = create("etl");
        String tampered = issued.secret().substring(0, issued.secret().length() - 1)
                + (issued.secret().endsWith("A") ? "B" : "A");

        assertThat(service.recognises("eyJhbGciOi.x.y")).isFalse();
        assertThat(service.recognises(null)).isFalse();
        assertUnauthenticated(() -> service.authenticate("eyJhbGciOi.x.y"));
        assertUnauthenticated(() -> service.authenticate(tampered));
        assertUnauthenticated(() -> service.authenticate("kyt_"));
        assertUnauthenticated(() -> service.authenticate("kyt_" + "x".repeat(500)));
    }

    @Test
    void anExpiredTokenIsRefusedEvenWhenCached() {
        IssuedToken issued = service.create(admin, "etl", "short", Set.of("cohort.read"), START.plusSeconds(20));
        service.authenticate(issued.secret());

        clock.advance(Duration.ofSeconds(20));

        assertUnauthenticated(() -> service.authenticate(issued.secret()));
    }

    @Test
    void revocationTakesEffectAtOnceAndIsAudited() {
        IssuedToken issued = create("etl");
        service.authenticate(issued.secret()); // now cached

        service.revoke(admin, issued.token().id());

        assertUnauthenticated(() -> service.authenticate(issued.secret()));
        assertThat(audit.actions()).containsExactly("auth.token.create", "auth.token.revoke");
        assertThat(audit.last().event().objectId()).isEqualTo(issued.token().id());
        assertThat(audit.last().event().details()).containsEntry("user", etl);
        assertThat(audit.last().inUnitOfWork()).isTrue();
        assertThat(service.list(admin, "etl").get(0).revokedAt()).contains(START);

        service.revoke(admin, issued.token().id()); // again: nothing changes
        assertThat(audit.entries()).hasSize(2);
        assertThatThrownBy(() -> service.revoke(admin, UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> service.revoke(admin, "nope"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void aDisabledServiceAccountIsRefused() throws SQLException {
        IssuedToken issued = create("etl");
        service.authenticate(issued.secret());

        sql("update karyo_auth.users set active = false where username = 'etl'");
        users.invalidate(etl, uow); // what every user write does

        assertUnauthenticated(() -> service.authenticate(issued.secret()));
    }

    @Test
    void positiveLookupsAreCachedForAtMostThirtySeconds() throws SQLException {
        IssuedToken issued = create("etl");
        service.authenticate(issued.secret());
        sql("delete from karyo_auth.api_tokens"); // behind the service's back

        clock.advance(Duration.ofSeconds(29));
        assertThat(service.authenticate(issued.secret()).userId()).isEqualTo(etl);

        clock.advance(Duration.ofSeconds(1));
        assertUnauthenticated(() -> service.authenticate(issued.secret()));
    }

    @Test
    void lastUsedIsWrittenAtMostOnceAMinute() throws SQLException {
        IssuedToken issued = create("etl");

        service.authenticate(issued.secret());
        assertThat(lastUsed()).isEqualTo(START);

        clock.advance(Duration.ofSeconds(59));
        service.authenticate(issued.secret());
        assertThat(lastUsed()).isEqualTo(START);

        clock.advance(Duration.ofSeconds(1));
        service.authenticate(issued.secret());
        assertThat(lastUsed()).isEqualTo(START.plusSeconds(60));

        // a restarted service learns the last use from the database and does not write again within the minute
        ApiTokenServiceImpl restarted = service(365, "", Map.of());
        clock.advance(Duration.ofSeconds(30));
        restarted.authenticate(issued.secret());
        assertThat(lastUsed()).isEqualTo(START.plusSeconds(60));
        clock.advance(Duration.ofSeconds(31));
        restarted.authenticate(issued.secret());
        assertThat(lastUsed()).isEqualTo(START.plusSeconds(121));
        assertThat(service.list(admin, null).get(0).lastUsedAt()).contains(START.plusSeconds(121));
    }

    // ---- list and configuration ---------------------------------------------------------------------------------

    @Test
    void listShowsTokensNewestFirstWithoutSecrets() throws SQLException {
        String rollout = TokenFixtures.insertUser(ds, "rollout", "SERVICE", true);
        IssuedToken first = create("etl");
        clock.advance(Duration.ofMinutes(1));
        IssuedToken second = service.create(admin, "rollout", "deploy", Set.of("cohort.read"), days(2));

        assertThat(service.list(admin, null)).containsExactly(second.token(), first.token());
        assertThat(service.list(admin, "etl")).containsExactly(first.token());
        assertThat(service.list(admin, "rollout")).singleElement().satisfies(t -> {
            assertThat(t.username()).isEqualTo("rollout");
            assertThat(t.toString()).doesNotContain(secretPart(second));
        });
        assertThat(service.list(admin, "alice")).isEmpty();
        assertThat(rollout).isNotBlank();
        assertThatThrownBy(() -> service.list(admin, "nobody"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void maintenanceExemptionComesFromConfigurationOrTheEnvironment() {
        IssuedToken issued = create("etl");

        assertThat(service(365, "rollout, etl", Map.of())
                        .authenticate(issued.secret())
                        .maintenanceExempt())
                .isTrue();
        assertThat(service(365, "rollout", Map.of())
                        .authenticate(issued.secret())
                        .maintenanceExempt())
                .isFalse();
        assertThat(service(365, "", Map.of("KARYO_SERVICE_MAINTENANCE_EXEMPT", "etl"))
                        .authenticate(issued.secret())
                        .maintenanceExempt())
                .isTrue();
    }

    @Test
    void theLongestLifetimeIsConfigurable() {
        assertThat(service(365, "", Map.of("KARYO_TOKEN_MAX_DAYS", "400"))
                        .create(admin, "etl", "x", Set.of("cohort.read"), days(400))
                        .token()
                        .expiresAt())
                .isEqualTo(days(400));
        assertThatThrownBy(() -> service(0, "", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token.max.days");
        assertThatThrownBy(() -> service(365, "", Map.of("KARYO_TOKEN_MAX_DAYS", "forever")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KARYO_TOKEN_MAX_DAYS");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String secretPart(IssuedToken issued) {
        // after "kyt_<8-character prefix>_" (the random part itself may contain '_')
        String random = issued.secret().substring("kyt_".length() + 8 + 1);
        assertThat(random).hasSize(43);
        return random;
    }

    private static Instant lastUsed() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select last_used_at from karyo_auth.api_tokens");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? null : t.toInstant();
        }
    }

    private static void assertInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KaryoException.class, x -> {
            assertThat(x.kind()).isEqualTo(Kind.INVALID);
            assertThat(x.errors()).extracting(f -> f.field()).containsExactly(field);
        });
    }

    private static void assertForbidden(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KaryoException.class, x -> assertThat(x.kind())
                .isEqualTo(Kind.FORBIDDEN));
    }

    /** Refused, with the one answer every bad bearer gets (nothing says whether it was unknown, expired...). */
    private static void assertUnauthenticated(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KaryoException.class, x -> {
            assertThat(x.kind()).isEqualTo(Kind.UNAUTHENTICATED);
            assertThat(x.getMessage()).isEqualTo("The access token is invalid");
            assertThat(x.extensions()).containsEntry("error", "invalid_token");
        });
    }

    private static String text(String query) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
