package org.karyo.auth.impl.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.AuthService;
import org.karyo.auth.api.AuthenticationProvider;
import org.karyo.auth.api.AuthenticationProvider.Verdict;
import org.karyo.auth.api.ClientInfo;
import org.karyo.auth.api.ExternalIdentity;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.IdentityProvider;
import org.karyo.auth.api.LoginRequest;
import org.karyo.auth.api.LoginResult;
import org.karyo.auth.api.TokenPair;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.impl.internal.mfa.SecondFactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login, refresh and logout.
 *
 * <p>Password login: back-off is checked for the client address ({@code ip:<address>}) and the user
 * ({@code user:<id>}, or a hashed pseudo key for unknown usernames); the user must exist, be active and be a person;
 * {@link AuthenticationProvider}s are asked in ranking order (ACCEPTED or REJECTED decides, ABSTAIN asks the next),
 * then the local Argon2id hash; then the second factor. Every failure is the same 401 and is audited
 * ({@code auth.login.failure} with a reason code); a success is audited ({@code auth.login.success}), updates
 * {@code last_login} and rehashes a local password whose Argon2 parameters changed. Failures count for back-off;
 * successes clear the user's count but never the address's (one valid account must not reset a guessing client).
 *
 * <p>OIDC login: the named {@link IdentityProvider} exchanges the code; the user is found by username, or created if
 * the provider auto-provisions. The provider is responsible for its own second factor.
 */
@Component(service = AuthService.class)
public class AuthServiceImpl implements AuthService {
    static final String FAILED = "Invalid username or password";
    static final String DEFAULT_CLIENT = "karyo";
    private static final Logger LOG = LoggerFactory.getLogger(AuthServiceImpl.class);

    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final Users users;
    private final Backoff backoff;
    private final SecondFactor secondFactor;
    private final AccessTokens tokens;
    private final SigningKeys keys;
    private final Sessions sessions;
    private final Provisioning provisioning;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Rankings<AuthenticationProvider> providers = new Rankings<>();
    private final Map<String, IdentityProvider> identityProviders = new ConcurrentHashMap<>();

    @Activate
    public AuthServiceImpl(
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference Users users,
            @Reference Backoff backoff,
            @Reference SecondFactor secondFactor,
            @Reference AccessTokens tokens,
            @Reference SigningKeys keys,
            @Reference Sessions sessions,
            @Reference Provisioning provisioning,
            @Reference AuthSettings settings) {
        this(
                uow,
                audit,
                users,
                backoff,
                secondFactor,
                tokens,
                keys,
                sessions,
                provisioning,
                settings,
                Clock.systemUTC());
    }

    /** For tests. */
    public AuthServiceImpl(
            UnitOfWork uow,
            AuditTrail audit,
            Users users,
            Backoff backoff,
            SecondFactor secondFactor,
            AccessTokens tokens,
            SigningKeys keys,
            Sessions sessions,
            Provisioning provisioning,
            AuthSettings settings,
            Clock clock) {
        this.uow = Objects.requireNonNull(uow, "uow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.users = Objects.requireNonNull(users, "users");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.secondFactor = Objects.requireNonNull(secondFactor, "secondFactor");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
        this.hasher = PasswordHasher.of(settings);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(AuthenticationProvider provider, Map<String, Object> properties) {
        providers.add(provider, properties);
    }

    void removeProvider(AuthenticationProvider provider) {
        providers.remove(provider);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIdentityProvider(IdentityProvider provider) {
        identityProviders.put(provider.name(), provider);
    }

    void removeIdentityProvider(IdentityProvider provider) {
        identityProviders.remove(provider.name(), provider);
    }

    @Override
    public LoginResult login(LoginRequest request, ClientInfo client) {
        Objects.requireNonNull(request, "request");
        String address = client == null ? null : blankToNull(client.address());
        String clientId = client == null || blankToNull(client.clientId()) == null ? DEFAULT_CLIENT : client.clientId();
        String provider = text(request.provider());
        List<FieldError> errors = new ArrayList<>();
        if (provider != null) {
            rejectPresent(errors, present(request.username()), "username");
            rejectPresent(errors, present(request.password()), "password");
            rejectPresent(errors, present(request.otp()), "otp");
            requirePresent(errors, text(request.authCode()), "auth_code");
            requirePresent(errors, text(request.redirectUri()), "redirect_uri");
            requirePresent(errors, text(request.codeVerifier()), "code_verifier");
        } else {
            onlyWithProvider(errors, present(request.authCode()), "auth_code");
            onlyWithProvider(errors, present(request.redirectUri()), "redirect_uri");
            onlyWithProvider(errors, present(request.codeVerifier()), "code_verifier");
            requirePresent(errors, text(request.username()), "username");
            requirePresent(
                    errors,
                    request.password() == null
                            ? null
                            : request.password().filter(p -> p.length > 0).orElse(null),
                    "password");
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        String ipKey = address == null ? null : "ip:" + address;
        if (provider != null) {
            return oidcLogin(provider, request, ipKey, clientId);
        }
        return passwordLogin(text(request.username()), request.password().get(), text(request.otp()), ipKey, clientId);
    }

    private LoginResult passwordLogin(String username, char[] password, String otp, String ipKey, String clientId) {
        Optional<UserRow> found = users.byUsername(username);
        String userId = found.map(UserRow::id).orElse(null);
        String userKey = found.map(u -> "user:" + u.id()).orElseGet(() -> "user:?" + pseudo(username));
        try {
            if (ipKey != null) {
                backoff.check(ipKey);
            }
            backoff.check(userKey);
        } catch (KaryoException e) {
            auditFailure(userId, "password", "backoff", null);
            throw e;
        }
        String reason = null;
        String via = "local";
        boolean localVerified = false;
        UserRow user = found.orElse(null);
        if (user == null) {
            hasher.verifyDummy(password);
            reason = "unknown-user";
        } else if (!user.active()) {
            hasher.verifyDummy(password);
            reason = "disabled";
        } else if (user.kind() != UserKind.PERSON) {
            hasher.verifyDummy(password);
            reason = "not-a-person";
        } else {
            Verdict verdict = Verdict.ABSTAIN;
            for (AuthenticationProvider p : providers.services()) {
                try {
                    verdict = p.authenticate(username, password.clone());
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Authentication provider {} failed ({}); asking the next one",
                            p.name(),
                            e.getClass().getName());
                    verdict = Verdict.ABSTAIN;
                }
                if (verdict == null) {
                    verdict = Verdict.ABSTAIN;
                }
                if (verdict != Verdict.ABSTAIN) {
                    via = "provider:" + p.name();
                    break;
                }
            }
            if (verdict == Verdict.REJECTED) {
                reason = "bad-password";
            } else if (verdict == Verdict.ABSTAIN) {
                if (user.passwordHash() == null) {
                    hasher.verifyDummy(password);
                    reason = "no-password";
                } else if (hasher.verify(password, user.passwordHash())) {
                    localVerified = true;
                } else {
                    reason = "bad-password";
                }
            }
        }
        if (reason != null) {
            fail(userKey, ipKey);
            auditFailure(userId, "password", reason, via.equals("local") ? null : via);
            throw KaryoException.unauthenticated(FAILED);
        }
        String scope = AccessTokens.SCOPE_API;
        boolean enrolled = secondFactor.enrolled(user.id());
        if (enrolled) {
            if (otp == null) {
                auditFailure(userId, "password", "mfa-required", null);
                throw new KaryoException(
                        Kind.UNAUTHENTICATED,
                        "mfa-required",
                        "A one-time code from the second factor is required",
                        null,
                        null,
                        null);
            }
            try {
                secondFactor.verify(user.id(), otp);
            } catch (KaryoException e) {
                if (e.kind() == Kind.UNAUTHENTICATED && ipKey != null) {
                    backoff.failure(ipKey);
                }
                auditFailure(userId, "password", e.kind() == Kind.UNAUTHENTICATED ? "mfa" : "mfa-backoff", null);
                throw e;
            }
        } else if (secondFactor.required(user.id())) {
            scope = AccessTokens.SCOPE_MFA_ENROLMENT;
        }
        backoff.success(userKey);
        return succeed(user, localVerified ? password : null, "password", via, scope, clientId, enrolled, enrolled);
    }

    private LoginResult oidcLogin(String name, LoginRequest request, String ipKey, String clientId) {
        IdentityProvider provider = identityProviders.get(name);
        if (provider == null) {
            throw KaryoException.invalid("provider", "is not a configured identity provider");
        }
        if (ipKey != null) {
            try {
                backoff.check(ipKey);
            } catch (KaryoException e) {
                auditFailure(null, "oidc", "backoff", "oidc:" + name);
                throw e;
            }
        }
        ExternalIdentity identity;
        try {
            identity = provider.exchange(
                    text(request.authCode()), text(request.redirectUri()), text(request.codeVerifier()));
        } catch (KaryoException e) {
            if (e.kind() != Kind.UNAUTHENTICATED) {
                throw e;
            }
            fail(null, ipKey);
            auditFailure(null, "oidc", "oidc-exchange", "oidc:" + name);
            throw KaryoException.unauthenticated("Authentication failed");
        }
        String username = identity.user() == null ? null : identity.user().username();
        Optional<UserRow> found = username == null ? Optional.empty() : users.byUsername(username);
        UserRow user;
        if (found.isPresent()) {
            user = found.get();
        } else if (provider.autoProvision() && username != null) {
            user = provisioning.provision(provider, identity);
        } else {
            fail(null, ipKey);
            auditFailure(null, "oidc", "unknown-user", "oidc:" + name);
            throw KaryoException.unauthenticated("Authentication failed");
        }
        if (!user.active() || user.kind() != UserKind.PERSON) {
            fail(null, ipKey);
            auditFailure(user.id(), "oidc", user.active() ? "not-a-person" : "disabled", "oidc:" + name);
            throw KaryoException.unauthenticated("Authentication failed");
        }
        return succeed(
                user,
                null,
                "oidc",
                "oidc:" + name,
                AccessTokens.SCOPE_API,
                clientId,
                secondFactor.enrolled(user.id()),
                false);
    }

    private LoginResult succeed(
            UserRow user,
            char[] verifiedPassword,
            String method,
            String via,
            String scope,
            String clientId,
            boolean enrolled,
            boolean mfa) {
        Instant now = clock.instant();
        String rehash = verifiedPassword != null && hasher.needsRehash(user.passwordHash())
                ? hasher.hash(verifiedPassword)
                : null;
        Sessions.Started started = uow.required(() -> {
            Connection c = uow.connection();
            try (PreparedStatement ps = c.prepareStatement("update karyo_auth.users set last_login = ?,"
                    + " password_hash = coalesce(?, password_hash) where id = ?::uuid")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, rehash);
                ps.setString(3, user.id());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("Recording a login failed", e);
            }
            Sessions.Started s = sessions.start(user.id(), clientId, scope);
            AuditEvent event = AuditEvent.success("auth.login.success", "user", user.id())
                    .with("method", method)
                    .with("via", via)
                    .with("sid", s.sid())
                    .with("scope", scope)
                    .with("mfa", mfa);
            if (rehash != null) {
                event = event.with("rehashed", true);
            }
            audit.record(Users.asCaller(user), event);
            return s;
        });
        if (rehash != null) {
            users.invalidate(user.id(), null);
        }
        AccessTokens.Issued access = tokens.issue(user.id(), started.sid(), clientId, scope);
        return new LoginResult(
                user.toUser(enrolled),
                Optional.ofNullable(user.lastLogin()),
                access.token(),
                started.refreshToken(),
                access.expiresAt(),
                AccessTokens.SCOPE_MFA_ENROLMENT.equals(scope));
    }

    /**
     * RFC 6749 §5.2 (Cohort360's contract): a malformed, unknown, expired, revoked or reused refresh token is a 400
     * whose body names {@code error: invalid_grant}; nothing says which.
     */
    static KaryoException invalidGrant() {
        return new KaryoException(
                Kind.INVALID,
                "invalid-grant",
                "The refresh token is invalid, expired or already used",
                null,
                Map.of("error", "invalid_grant"),
                null);
    }

    @Override
    public TokenPair refresh(String refreshToken, ClientInfo client) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 512) {
            throw invalidGrant();
        }
        record Result(Sessions.Use use, String next, String scope, String failure) {}
        Result r = uow.required(() -> {
            Sessions.Use use = sessions.use(refreshToken.trim());
            switch (use.outcome()) {
                case REUSED -> {
                    audit.record(
                            Caller.ANONYMOUS,
                            AuditEvent.failure("auth.refresh.reuse", "session", use.sid())
                                    .with("user", use.userId()));
                    return new Result(use, null, null, null);
                }
                case OK -> {
                    // below
                }
                default -> {
                    return new Result(use, null, null, use.outcome().name().toLowerCase(Locale.ROOT));
                }
            }
            Optional<UserRow> user = users.byId(use.userId());
            if (user.isEmpty() || !user.get().active()) {
                sessions.revokeFamily(use.sid(), use.userId(), "disabled");
                return new Result(use, null, null, "disabled");
            }
            String scope = use.scope();
            if (AccessTokens.SCOPE_MFA_ENROLMENT.equals(scope) && secondFactor.enrolled(use.userId())) {
                scope = AccessTokens.SCOPE_API;
            }
            String next = sessions.next(use.sid(), use.userId(), use.clientId(), scope);
            audit.record(
                    Users.asCaller(user.get()),
                    AuditEvent.success("auth.refresh.success", "session", use.sid())
                            .with("scope", scope));
            return new Result(use, next, scope, null);
        });
        if (r.next() == null) {
            if (r.failure() != null) {
                AuditEvent e = AuditEvent.failure(
                                "auth.refresh.failure", "session", r.use().sid())
                        .with("reason", r.failure());
                if (r.use().userId() != null) {
                    e = e.with("user", r.use().userId());
                }
                audit.record(Caller.ANONYMOUS, e);
            }
            throw invalidGrant();
        }
        AccessTokens.Issued access =
                tokens.issue(r.use().userId(), r.use().sid(), r.use().clientId(), r.scope());
        return new TokenPair(access.token(), r.next(), access.expiresAt());
    }

    @Override
    public void logout(Caller caller, Optional<String> refreshToken) {
        if (caller == null || !caller.authenticated()) {
            throw KaryoException.unauthenticated("authentication is required");
        }
        Set<String> sids = new LinkedHashSet<>();
        Identity current = CurrentIdentity.get();
        if (current != null && current.userId().equals(caller.id())) {
            current.sessionId().ifPresent(sids::add);
        }
        if (refreshToken != null) {
            refreshToken
                    .filter(t -> !t.isBlank() && t.length() <= 512)
                    .flatMap(t -> sessions.owner(t.trim()))
                    .filter(o -> o.userId().equals(caller.id()))
                    .ifPresent(o -> sids.add(o.sid()));
        }
        uow.run(() -> {
            for (String sid : sids) {
                sessions.revokeFamily(sid, caller.id(), "logout");
                audit.record(caller, AuditEvent.success("auth.logout", "session", sid));
            }
            if (sids.isEmpty()) {
                audit.record(
                        caller,
                        AuditEvent.success("auth.logout", "user", caller.id()).with("sessions", 0));
            }
        });
    }

    @Override
    public Map<String, Object> jwks() {
        return keys.jwks();
    }

    private void fail(String userKey, String ipKey) {
        if (userKey != null) {
            backoff.failure(userKey);
        }
        if (ipKey != null) {
            backoff.failure(ipKey);
        }
    }

    private void auditFailure(String userId, String method, String reason, String via) {
        AuditEvent e = AuditEvent.failure("auth.login.failure", userId == null ? null : "user", userId)
                .with("method", method)
                .with("reason", reason);
        if (via != null) {
            e = e.with("via", via);
        }
        audit.record(Caller.ANONYMOUS, e);
    }

    /** The back-off pseudo key of an unknown username: its hash, so that no username is stored. */
    static String pseudo(String username) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Optional<String> o) {
        return o == null ? null : o.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static boolean present(Optional<?> o) {
        return o != null && o.isPresent();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void rejectPresent(List<FieldError> errors, boolean present, String field) {
        if (present) {
            errors.add(new FieldError(field, "cannot be combined with provider"));
        }
    }

    private static void onlyWithProvider(List<FieldError> errors, boolean present, String field) {
        if (present) {
            errors.add(new FieldError(field, "is allowed only with provider"));
        }
    }

    private static void requirePresent(List<FieldError> errors, Object value, String field) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        }
    }
}
