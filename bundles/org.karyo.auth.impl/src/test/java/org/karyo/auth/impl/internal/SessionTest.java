package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.TokenPair;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserPatch;
import org.karyo.testing.RecordingAuditTrail;

/** Refresh-token rotation, replay detection, logout and signing-key rotation. */
class SessionTest {
    private Fixture f;
    private User alice;

    @BeforeEach
    void setUp() {
        f = new Fixture();
        alice = f.person("alice");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void refreshRotatesWithinTheSameSession() {
        LoginResult login = f.login("alice", Fixture.PASSWORD);
        String sid = f.bearer(login.accessToken()).orElseThrow().sessionId().orElseThrow();
        f.clock.advance(Duration.ofMinutes(10));
        TokenPair next = f.auth.refresh(login.refreshToken(), Fixture.CLIENT);
        assertThat(next.refreshToken()).isNotEqualTo(login.refreshToken());
        assertThat(next.accessTokenExpiresAt()).isEqualTo(f.clock.instant().plusSeconds(900));
        Identity id = f.bearer(next.accessToken()).orElseThrow();
        assertThat(id.sessionId()).contains(sid);
        assertThat(id.userId()).isEqualTo(alice.id());
        assertThat(f.audit.last().event().action()).isEqualTo("auth.refresh.success");
        assertThat(f.audit.last().event().objectId()).isEqualTo(sid);
        TokenPair third = f.auth.refresh(next.refreshToken(), Fixture.CLIENT);
        assertThat(f.bearer(third.accessToken()).orElseThrow().sessionId()).contains(sid);
        assertThat(storedTokens()).allSatisfy(t -> assertThat(t).doesNotContain(login.refreshToken()));
    }

    @Test
    void reusingARotatedTokenRevokesTheWholeFamilyAndItsAccessTokens() {
        LoginResult login = f.login("alice", Fixture.PASSWORD);
        TokenPair next = f.auth.refresh(login.refreshToken(), Fixture.CLIENT);
        LoginResult otherSession = f.login("alice", Fixture.PASSWORD);

        KaryoException replay = Fixture.failure(() -> f.auth.refresh(login.refreshToken(), Fixture.CLIENT));
        assertThat(replay.kind()).isEqualTo(Kind.INVALID);
        assertThat(replay.extensions()).containsEntry("error", "invalid_grant");
        RecordingAuditTrail.Entry e = f.audit.last();
        assertThat(e.event().action()).isEqualTo("auth.refresh.reuse");
        assertThat(e.event().details()).containsEntry("user", alice.id());

        assertThat(Fixture.kind(() -> f.auth.refresh(next.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(Fixture.kind(() -> f.bearer(next.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(Fixture.kind(() -> f.bearer(login.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(f.bearer(otherSession.accessToken())).isPresent();
        assertThat(f.auth.refresh(otherSession.refreshToken(), Fixture.CLIENT).accessToken())
                .isNotBlank();

        // the revocation survives a restart
        Sessions restarted = new Sessions(f.db.dataSource(), f.db.unitOfWork(), f.audit, f.settings, f.clock);
        assertThat(restarted.isRevoked(e.event().objectId())).isTrue();
    }

    @Test
    void expiredUnknownOrDisabledUsersTokensAreRefused() {
        LoginResult login = f.login("alice", Fixture.PASSWORD);
        assertThat(Fixture.kind(() -> f.auth.refresh("made-up", Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "unknown");
        assertThat(Fixture.kind(() -> f.auth.refresh("", Fixture.CLIENT))).isEqualTo(Kind.INVALID);
        f.clock.advance(Duration.ofHours(24));
        assertThat(Fixture.kind(() -> f.auth.refresh(login.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "expired");

        LoginResult again = f.login("alice", Fixture.PASSWORD);
        f.db.unitOfWork().run(() -> {
            try (var ps =
                    f.db.unitOfWork().connection().prepareStatement("update karyo_auth.users set active = false")) {
                ps.executeUpdate();
            } catch (java.sql.SQLException ex) {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(Fixture.kind(() -> f.auth.refresh(again.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(f.audit.last().event().details()).containsEntry("reason", "disabled");
    }

    /** Issue 10 §3: a malformed, expired or reused refresh token is RFC 6749 §5.2's 400 invalid_grant. */
    @Test
    void badRefreshTokensAreInvalidGrant() {
        LoginResult login = f.login("alice", Fixture.PASSWORD);
        f.auth.refresh(login.refreshToken(), Fixture.CLIENT);
        KaryoException reused = Fixture.failure(() -> f.auth.refresh(login.refreshToken(), Fixture.CLIENT));
        KaryoException malformed = Fixture.failure(() -> f.auth.refresh("not a token at all", Fixture.CLIENT));
        KaryoException oversized = Fixture.failure(() -> f.auth.refresh("x".repeat(600), Fixture.CLIENT));
        LoginResult later = f.login("alice", Fixture.PASSWORD);
        f.clock.advance(Duration.ofDays(30));
        KaryoException expired = Fixture.failure(() -> f.auth.refresh(later.refreshToken(), Fixture.CLIENT));
        for (KaryoException e : java.util.List.of(reused, malformed, oversized, expired)) {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.type()).isEqualTo("invalid-grant");
            assertThat(e.extensions()).containsEntry("error", "invalid_grant");
        }
    }

    @Test
    void logoutRevokesTheCallersSessionOnly() {
        LoginResult mine = f.login("alice", Fixture.PASSWORD);
        LoginResult other = f.login("alice", Fixture.PASSWORD);
        Identity id = f.bearer(mine.accessToken()).orElseThrow();
        Caller caller = Users.asCaller(f.users.byId(alice.id()).orElseThrow());
        f.auth.logout(caller, Optional.empty());
        assertThat(f.audit.last().event().action()).isEqualTo("auth.logout");
        assertThat(f.audit.last().event().objectId()).isEqualTo(id.sessionId().orElseThrow());
        assertThat(Fixture.kind(() -> f.bearer(mine.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(Fixture.kind(() -> f.auth.refresh(mine.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(f.bearer(other.accessToken())).isPresent();

        // a refresh token given at logout is revoked too when it is the caller's
        f.auth.logout(caller, Optional.of(other.refreshToken()));
        assertThat(Fixture.kind(() -> f.auth.refresh(other.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
        assertThat(Fixture.kind(() -> f.bearer(other.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void logoutIgnoresSomeoneElsesRefreshToken() {
        f.person("bob");
        LoginResult bobs = f.login("bob", Fixture.PASSWORD);
        Caller alices = Users.asCaller(f.users.byId(alice.id()).orElseThrow());
        f.authenticator.authenticate(null, null);
        f.auth.logout(alices, Optional.of(bobs.refreshToken()));
        assertThat(f.audit.last().event().details()).containsEntry("sessions", "0");
        assertThat(f.auth.refresh(bobs.refreshToken(), Fixture.CLIENT).accessToken())
                .isNotBlank();
        assertThat(Fixture.kind(() -> f.auth.logout(Caller.ANONYMOUS, Optional.empty())))
                .isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void aNewPasswordEndsTheUsersSessions() {
        LoginResult login = f.login("alice", Fixture.PASSWORD);
        f.userService.update(
                f.admin,
                "alice",
                new UserPatch(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("Another-Secret-77".toCharArray())));
        assertThat(Fixture.kind(() -> f.bearer(login.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(Fixture.kind(() -> f.auth.refresh(login.refreshToken(), Fixture.CLIENT)))
                .isEqualTo(Kind.INVALID);
    }

    @Test
    void keyRotationKeepsOldTokensValidUntilTheyExpireAndPublishesBothKeys() {
        LoginResult before = f.login("alice", Fixture.PASSWORD);
        String oldKid = f.keys.current().kid();
        f.keys.rotate();
        String newKid = f.keys.current().kid();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(kids()).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(f.bearer(before.accessToken())).isPresent();
        LoginResult after = f.login("alice", Fixture.PASSWORD);
        assertThat(header(after.accessToken())).isEqualTo(newKid);

        f.clock.advance(Duration.ofSeconds(900 + 31));
        assertThat(kids()).containsExactly(newKid);
        f.tokens.forgetVerified();
        assertThat(Fixture.kind(() -> f.bearer(before.accessToken()))).isEqualTo(Kind.UNAUTHENTICATED);
    }

    @Test
    void keysRotateOnTheConfiguredScheduleAndSurviveARestartSealed() throws Exception {
        String first = f.keys.current().kid();
        SigningKeys restarted =
                new SigningKeys(f.db.dataSource(), f.db.unitOfWork(), f.audit, f.masterKey, f.settings, f.clock);
        assertThat(restarted.current().kid()).isEqualTo(first);
        f.clock.advance(Duration.ofDays(29));
        restarted.maintain();
        assertThat(restarted.current().kid()).isEqualTo(first);
        f.clock.advance(Duration.ofDays(1));
        restarted.maintain();
        assertThat(restarted.current().kid()).isNotEqualTo(first);
        SigningKeys atStart =
                new SigningKeys(f.db.dataSource(), f.db.unitOfWork(), f.audit, f.masterKey, f.settings, f.clock);
        assertThat(atStart.current().kid()).isEqualTo(restarted.current().kid());

        try (Connection c = f.db.dataSource().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select private_key, public_jwk from karyo_auth.signing_keys")) {
            while (rs.next()) {
                assertThat(rs.getBytes(1)[0]).isEqualTo((byte) 1);
                assertThat(rs.getString(2)).doesNotContain("\"d\"");
            }
        }
        MasterKey wrong = new MasterKey(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        assertThat(Fixture.failure2(() ->
                        new SigningKeys(f.db.dataSource(), f.db.unitOfWork(), f.audit, wrong, f.settings, f.clock)))
                .hasMessageContaining("KARYO_MASTER_KEY");
    }

    @Test
    void jwksIsAPublicRs256KeySet() {
        Map<String, Object> jwks = f.auth.jwks();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0))
                .containsEntry("kty", "RSA")
                .containsEntry("alg", "RS256")
                .containsEntry("use", "sig");
        assertThat(keys.get(0)).containsKeys("n", "e", "kid").doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
    }

    @SuppressWarnings("unchecked")
    private List<String> kids() {
        return ((List<Map<String, Object>>) f.auth.jwks().get("keys"))
                .stream().map(k -> (String) k.get("kid")).toList();
    }

    private static String header(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> storedTokens() {
        try (Connection c = f.db.dataSource().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select encode(token_hash, 'escape') from karyo_auth.refresh_tokens")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
