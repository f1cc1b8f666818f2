package org.karyo.auth.impl.internal.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.MfaService.MfaEnrolment;
import org.karyo.auth.impl.internal.AuthSettings;
import org.karyo.auth.impl.internal.Backoff;
import org.karyo.auth.impl.internal.MasterKey;
import org.karyo.auth.impl.internal.Users;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestClock;
import org.karyo.testing.TestDatabase;

/** The TOTP second factor against a real PostgreSQL migrated by the module's V1 and V2. */
class MfaServiceTest {

    /** The start of a 30 s step, plus 10 s. */
    private static final Instant START = Instant.ofEpochSecond(1_800_000_010L);

    private static final byte[] KEY = new byte[32];

    private static TestDatabase db;
    private static DataSource ds;
    private static UnitOfWork uow;

    private final TestClock clock = new TestClock(START);
    private RecordingAuditTrail audit;
    private Backoff backoff;
    private Users users;
    private MasterKey masterKey;
    private MfaServiceImpl service;
    private String alice;
    private Caller aliceCaller;
    private String admin;
    private Caller adminCaller;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("auth", MfaServiceImpl.class, "db/auth");
        ds = db.dataSource();
        uow = db.unitOfWork();
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 3);
        }
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void freshState() throws SQLException {
        sql("truncate karyo_auth.users, karyo_auth.login_failures cascade");
        audit = new RecordingAuditTrail(uow);
        backoff = new Backoff(ds, uow, audit, AuthSettings.defaults(), clock);
        users = new Users(ds);
        masterKey = new MasterKey(KEY);
        service = service("none", "Karyo", Map.of());
        alice = MfaFixtures.insertUser(ds, "alice", "PERSON", true);
        aliceCaller = MfaFixtures.caller(alice);
        admin = MfaFixtures.insertUser(ds, "root", "PERSON", true);
        adminCaller = MfaFixtures.caller(admin, "accesses.full_admin");
    }

    private MfaServiceImpl service(String required, String issuer, Map<String, String> env) {
        return new MfaServiceImpl(
                ds,
                uow,
                audit,
                masterKey,
                backoff,
                users,
                MfaFixtures.config(required, issuer),
                EnvOverrides.of(env),
                clock);
    }

    // ---- enrolment ----------------------------------------------------------------------------------------------

    @Test
    void enrolReturnsAnOtpauthUriAndStoresTheSecretSealedAndUnconfirmed() throws Exception {
        MfaEnrolment e = service.enrol(aliceCaller);

        assertThat(e.secret()).matches("[A-Z2-7]{32}");
        assertThat(Base32.decode(e.secret())).hasSize(20);
        assertThat(e.otpauthUri())
                .isEqualTo("otpauth://totp/Karyo:alice?secret=" + e.secret()
                        + "&issuer=Karyo&algorithm=SHA1&digits=6&period=30");
        assertThat(service.enrolled(alice)).isFalse();

        byte[] stored = storedSecret(alice);
        byte[] raw = Base32.decode(e.secret());
        assertThat(stored).isNotEqualTo(raw);
        assertThat(indexOf(stored, raw)).isNegative();
        assertThat(masterKey.open(stored, "totp:" + alice)).isEqualTo(raw);
        assertThatThrownBy(() -> masterKey.open(stored, "totp:" + admin)).isInstanceOf(IllegalStateException.class);

        assertThat(audit.actions()).containsExactly("auth.mfa.enrol");
        assertThat(audit.last().actorId()).isEqualTo(alice);
        assertThat(audit.last().event().objectType()).isEqualTo("user");
        assertThat(audit.last().event().objectId()).isEqualTo(alice);
        assertThat(audit.last().inUnitOfWork()).isTrue();
    }

    @Test
    void theIssuerAndUsernameAreUrlEncoded() throws SQLException {
        String bob = MfaFixtures.insertUser(ds, "bob.o'neil", "PERSON", true);
        MfaEnrolment e = service("none", "Karyo Lab & Co", Map.of()).enrol(MfaFixtures.caller(bob));
        assertThat(e.otpauthUri())
                .startsWith("otpauth://totp/Karyo%20Lab%20%26%20Co:bob.o%27neil?secret=")
                .contains("&issuer=Karyo%20Lab%20%26%20Co&");
    }

    @Test
    void reEnrollingBeforeConfirmationReplacesThePendingSecret() {
        MfaEnrolment first = service.enrol(aliceCaller);
        MfaEnrolment second = service.enrol(aliceCaller);
        assertThat(second.secret()).isNotEqualTo(first.secret());

        assertThatThrownBy(() -> service.confirm(aliceCaller, code(first, 0)))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.INVALID));
        assertThat(service.confirm(aliceCaller, code(second, 0))).hasSize(10);
    }

    @Test
    void enrollingAgainWhileAFactorIsConfirmedIsAConflict() {
        enrolAndConfirm();
        assertThatThrownBy(() -> service.enrol(aliceCaller)).isInstanceOfSatisfying(KaryoException.class, x -> {
            assertThat(x.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(x.type()).isEqualTo("mfa-enrolled");
        });
        assertThat(service.enrolled(alice)).isTrue();
    }

    @Test
    void serviceAccountsImpersonationAndAnonymousCannotEnrol() throws SQLException {
        String etl = MfaFixtures.insertUser(ds, "etl", "SERVICE", true);
        assertThatThrownBy(() -> service.enrol(MfaFixtures.caller(etl)))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> service.enrol(Caller.ANONYMOUS))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.UNAUTHENTICATED));
        Caller impersonated = new Caller() {
            @Override
            public String id() {
                return alice;
            }

            @Override
            public String getName() {
                return alice;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return true;
            }

            @Override
            public Optional<String> impersonatedBy() {
                return Optional.of(admin);
            }
        };
        assertThatThrownBy(() -> service.enrol(impersonated))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThat(audit.entries()).isEmpty();
    }

    // ---- confirmation -------------------------------------------------------------------------------------------

    @Test
    void confirmWithACurrentCodeEnablesTheFactorAndReturnsTenRecoveryCodesStoredHashed() throws Exception {
        MfaEnrolment e = service.enrol(aliceCaller);

        List<String> codes = service.confirm(aliceCaller, code(e, 0));

        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        assertThat(codes).allSatisfy(c -> assertThat(c).matches("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}"));
        assertThat(service.enrolled(alice)).isTrue();
        List<byte[]> hashes = storedRecoveryHashes(alice);
        assertThat(hashes).hasSize(10);
        for (String c : codes) {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest(c.replace("-", "").getBytes(StandardCharsets.US_ASCII));
            assertThat(hashes).anySatisfy(h -> assertThat(h).isEqualTo(sha));
        }

        assertThat(audit.actions()).containsExactly("auth.mfa.enrol", "auth.mfa.confirm");
        assertThat(audit.last().inUnitOfWork()).isTrue();
        assertNoSecretsInAudit(List.of(e.secret()), codes);
    }

    @Test
    void confirmWithAWrongCodeKeepsTheEnrolmentPendingAndIsAudited() {
        MfaEnrolment e = service.enrol(aliceCaller);
        String wrong = otherCode(code(e, 0));

        assertThatThrownBy(() -> service.confirm(aliceCaller, wrong))
                .isInstanceOfSatisfying(KaryoException.class, x -> {
                    assertThat(x.kind()).isEqualTo(Kind.INVALID);
                    assertThat(x.errors()).extracting(f -> f.field()).containsExactly("code");
                });
        assertThat(service.enrolled(alice)).isFalse();
        assertThat(audit.last().event().action()).isEqualTo("auth.mfa.failure");
        assertThat(audit.last().event().outcome()).isEqualTo(AuditEvent.Outcome.FAILURE);
        assertThat(audit.last().event().details()).containsEntry("during", "confirm");
        assertThat(service.confirm(aliceCaller, code(e, 0))).hasSize(10);
    }

    @Test
    void confirmWithoutAPendingEnrolmentIsAConflict() {
        assertThatThrownBy(() -> service.confirm(aliceCaller, "123456"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.CONFLICT));
    }

    // ---- verification -------------------------------------------------------------------------------------------

    @Test
    void enrolConfirmVerify() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofSeconds(30));

        assertThatCode(() -> service.verify(alice, code(e, 0))).doesNotThrowAnyException();
    }

    @Test
    void theSameCodeIsNeverAcceptedTwice() {
        MfaEnrolment e = enrolAndConfirm();
        // the confirmation code itself is spent
        assertMfaInvalid(() -> service.verify(alice, code(e, 0)));

        clock.advance(Duration.ofSeconds(30));
        String next = code(e, 0);
        service.verify(alice, next);
        assertMfaInvalid(() -> service.verify(alice, next));
        // an earlier step than the last accepted one is refused even inside the window
        assertMfaInvalid(() -> service.verify(alice, code(e, -1)));
    }

    @Test
    void codesOfTheNeighbouringStepsAreAcceptedButNotTwoStepsAway() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofMinutes(10));

        assertMfaInvalid(() -> service.verify(alice, code(e, -2)));
        assertMfaInvalid(() -> service.verify(alice, code(e, 2)));
        service.verify(alice, code(e, -1));
        service.verify(alice, code(e, 1));
        // +1 was accepted: the current step is now at or before the last accepted one
        assertMfaInvalid(() -> service.verify(alice, code(e, 0)));
    }

    @Test
    void codesMayBeTypedWithBlanks() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofSeconds(30));
        String c = code(e, 0);
        service.verify(alice, " " + c.substring(0, 3) + " " + c.substring(3) + " ");
    }

    @Test
    void aRecoveryCodeWorksOnceAndIsAudited() throws SQLException {
        enrolAndConfirm();
        List<String> codes = recoveryCodesOfLastConfirm;

        service.verify(alice, codes.get(3).toUpperCase(Locale.ROOT));

        assertThat(audit.last().event().action()).isEqualTo("auth.mfa.recovery");
        assertThat(audit.last().event().details()).containsEntry("remaining", "9");
        assertThat(count("select count(*) from karyo_auth.mfa_recovery_codes where used_at is not null"))
                .isEqualTo(1);
        assertMfaInvalid(() -> service.verify(alice, codes.get(3)));
        service.verify(alice, codes.get(4).replace("-", ""));
        assertNoSecretsInAudit(List.of(), codes);
    }

    @Test
    void aUserWithoutAConfirmedFactorFailsVerification() {
        assertMfaInvalid(() -> service.verify(alice, "123456"));
        MfaEnrolment e = service.enrol(aliceCaller);
        assertMfaInvalid(() -> service.verify(alice, code(e, 0)));
        assertMfaInvalid(() -> service.verify("not-a-uuid", "123456"));
    }

    @Test
    void failuresBackOffAndAreAuditedWithoutTheCode() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofMinutes(5));
        String good = code(e, 0);
        String bad = otherCode(good);
        int free = AuthSettings.defaults().backoffUserFree();

        for (int i = 0; i <= free; i++) {
            assertMfaInvalid(() -> service.verify(alice, bad));
        }
        // blocked now: even the right code is refused until the delay is over
        assertThatThrownBy(() -> service.verify(alice, good)).isInstanceOfSatisfying(KaryoException.class, x -> {
            assertThat(x.kind()).isEqualTo(Kind.TOO_MANY_REQUESTS);
            assertThat(x.retryAfter()).isPositive();
        });
        List<AuditEvent> failures = audit.entries().stream()
                .map(RecordingAuditTrail.Entry::event)
                .filter(ev -> ev.action().equals("auth.mfa.failure"))
                .toList();
        assertThat(failures).hasSize(free + 1);
        assertThat(failures).allSatisfy(ev -> {
            assertThat(ev.objectId()).isEqualTo(alice);
            assertThat(ev.details().values()).doesNotContain(bad);
        });
        assertThat(audit.entries().stream().filter(x -> x.event().action().equals("auth.mfa.failure")))
                .allSatisfy(x -> {
                    assertThat(x.actorId()).isEqualTo(alice);
                    assertThat(x.inUnitOfWork()).isFalse();
                });

        clock.advance(Duration.ofSeconds(2));
        service.verify(alice, code(e, 0));
        // success resets the count: the free failures are available again
        clock.advance(Duration.ofSeconds(30));
        assertMfaInvalid(() -> service.verify(alice, bad));
        service.verify(alice, code(e, 0));
    }

    // ---- disable and reset --------------------------------------------------------------------------------------

    @Test
    void disableNeedsACurrentCode() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> service.disable(aliceCaller, otherCode(code(e, 0))))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.INVALID));
        assertThat(service.enrolled(alice)).isTrue();
        assertThat(audit.last().event().action()).isEqualTo("auth.mfa.failure");

        service.disable(aliceCaller, code(e, 0));
        assertThat(service.enrolled(alice)).isFalse();
        assertThat(audit.last().event().action()).isEqualTo("auth.mfa.disable");
        assertThat(audit.last().inUnitOfWork()).isTrue();
    }

    @Test
    void disableAcceptsARecoveryCodeAndRemovesTheRemainingOnes() throws SQLException {
        enrolAndConfirm();
        service.disable(aliceCaller, recoveryCodesOfLastConfirm.get(0));

        assertThat(service.enrolled(alice)).isFalse();
        assertThat(count("select count(*) from karyo_auth.mfa_recovery_codes")).isZero();
        assertThat(count("select count(*) from karyo_auth.mfa_factors")).isZero();
        assertThatThrownBy(() -> service.disable(aliceCaller, "123456"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.CONFLICT));
    }

    @Test
    void resetNeedsFullAdmin() throws SQLException {
        enrolAndConfirm();
        Caller manager = MfaFixtures.caller(admin, "accesses.manage_users");

        assertThatThrownBy(() -> service.reset(manager, "alice"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThatThrownBy(() -> service.reset(aliceCaller, "alice"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.FORBIDDEN));
        assertThat(service.enrolled(alice)).isTrue();

        service.reset(adminCaller, "alice");

        assertThat(service.enrolled(alice)).isFalse();
        assertThat(count("select count(*) from karyo_auth.mfa_recovery_codes")).isZero();
        assertThat(audit.last().event().action()).isEqualTo("auth.mfa.reset");
        assertThat(audit.last().actorId()).isEqualTo(admin);
        assertThat(audit.last().event().objectId()).isEqualTo(alice);
        assertThat(audit.last().event().details()).containsEntry("had_factor", "true");
        assertThat(audit.last().inUnitOfWork()).isTrue();

        assertThatThrownBy(() -> service.reset(adminCaller, "nobody"))
                .isInstanceOfSatisfying(
                        KaryoException.class, x -> assertThat(x.kind()).isEqualTo(Kind.NOT_FOUND));
        // after a reset the user can enrol again
        assertThat(service.enrol(aliceCaller).secret()).isNotBlank();
    }

    @Test
    void resetClearsTheBackOff() {
        MfaEnrolment e = enrolAndConfirm();
        clock.advance(Duration.ofMinutes(1));
        String bad = otherCode(code(e, 0));
        for (int i = 0; i <= AuthSettings.defaults().backoffUserFree(); i++) {
            assertMfaInvalid(() -> service.verify(alice, bad));
        }
        service.reset(adminCaller, "alice");
        MfaEnrolment again = service.enrol(aliceCaller);
        assertThat(service.confirm(aliceCaller, code(again, 0))).hasSize(10);
    }

    // ---- policy -------------------------------------------------------------------------------------------------

    @Test
    void requiredFollowsThePolicy() {
        assertThat(service("none", "Karyo", Map.of()).required(admin)).isFalse();
        assertThat(service("all", "Karyo", Map.of()).required(alice)).isTrue();

        MfaServiceImpl admins = service("admins", "Karyo", Map.of());
        // no resolver (karyo-accesses not installed): nobody counts as an administrator
        assertThat(admins.required(admin)).isFalse();
        admins.setRightsResolver(MfaFixtures.resolver(Set.of(admin)));
        assertThat(admins.required(admin)).isTrue();
        assertThat(admins.required(alice)).isFalse();
        admins.setRightsResolver(null);
        assertThat(admins.required(admin)).isFalse();
    }

    @Test
    void theEnvironmentOverridesThePolicyAndBadValuesFailActivation() {
        assertThat(service("none", "Karyo", Map.of("KARYO_MFA_REQUIRED", "ALL")).required(alice))
                .isTrue();
        assertThat(service("none", "Karyo", Map.of("KARYO_MFA_ISSUER", "Lab"))
                        .enrol(aliceCaller)
                        .otpauthUri())
                .startsWith("otpauth://totp/Lab:alice?");
        assertThatThrownBy(() -> service("some", "Karyo", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mfa.required");
        assertThatThrownBy(() -> service("none", "Karyo", Map.of("KARYO_MFA_REQUIRED", "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KARYO_MFA_REQUIRED");
        assertThatThrownBy(() -> service("none", " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mfa.issuer");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private List<String> recoveryCodesOfLastConfirm = List.of();

    /** Enrols alice and confirms with the current code, at {@link #START}. */
    private MfaEnrolment enrolAndConfirm() {
        MfaEnrolment e = service.enrol(aliceCaller);
        recoveryCodesOfLastConfirm = service.confirm(aliceCaller, code(e, 0));
        return e;
    }

    /** The code of the current step plus {@code offset}. */
    private String code(MfaEnrolment e, int offset) {
        byte[] key = Base32.decode(e.secret());
        long step = Totp.DEFAULT.step(clock.instant().getEpochSecond()) + offset;
        return Totp.DEFAULT.code(key, step);
    }

    private static String otherCode(String code) {
        char last = code.charAt(5);
        return code.substring(0, 5) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static void assertMfaInvalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KaryoException.class, x -> {
            assertThat(x.kind()).isEqualTo(Kind.UNAUTHENTICATED);
            assertThat(x.type()).isEqualTo("mfa-invalid");
        });
    }

    private void assertNoSecretsInAudit(List<String> secrets, List<String> codes) {
        List<String> forbidden = new ArrayList<>(secrets);
        for (String c : codes) {
            forbidden.add(c);
            forbidden.add(c.replace("-", ""));
        }
        for (RecordingAuditTrail.Entry entry : audit.entries()) {
            String text = entry.event().toString();
            for (String f : forbidden) {
                assertThat(text).doesNotContainIgnoringCase(f);
            }
        }
    }

    private static byte[] storedSecret(String userId) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select secret from karyo_auth.mfa_factors where user_id = ?")) {
            ps.setObject(1, UUID.fromString(userId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static List<byte[]> storedRecoveryHashes(String userId) throws SQLException {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select code_hash from karyo_auth.mfa_recovery_codes where user_id = ?")) {
            ps.setObject(1, UUID.fromString(userId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        String h = HexFormat.of().formatHex(haystack);
        String n = HexFormat.of().formatHex(needle);
        int i = h.indexOf(n);
        while (i >= 0 && i % 2 != 0) {
            i = h.indexOf(n, i + 1);
        }
        return i;
    }

    private static long count(String query) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
