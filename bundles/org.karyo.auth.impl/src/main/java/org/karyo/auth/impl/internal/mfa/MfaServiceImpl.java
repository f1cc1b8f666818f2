package org.karyo.auth.impl.internal.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.RightsResolver;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.MfaService;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.impl.internal.Backoff;
import org.karyo.auth.impl.internal.MasterKey;
import org.karyo.auth.impl.internal.UserRow;
import org.karyo.auth.impl.internal.Users;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TOTP second factor (RFC 6238: HmacSHA1, 6 digits, 30 s) with single-use recovery codes, on plain JDBC in the
 * {@code karyo_auth} schema.
 *
 * <ul>
 *   <li>The secret (160 random bits) is stored sealed with the {@link MasterKey} (context {@code totp:<userId>}).
 *       Enrolment writes it unconfirmed; only {@link #confirm} makes it effective. A user whose factor is confirmed
 *       must {@link #disable} it (with a code) before enrolling again, so a stolen session cannot replace it.
 *   <li>A code is accepted for the current time step ±1, and never for a step at or before the last accepted one: the
 *       row is locked while it is checked, so the same code is never accepted twice, even by concurrent logins.
 *   <li>Recovery codes are stored as SHA-256 hashes and marked used atomically.
 *   <li>Failures count in the {@link Backoff} under {@code mfa:<userId>}, checked before every attempt.
 * </ul>
 *
 * <p>Configuration (PID {@value #PID}): {@code mfa.required} ({@code none}, {@code admins}, {@code all}; environment
 * {@code KARYO_MFA_REQUIRED}) and {@code mfa.issuer} (environment {@code KARYO_MFA_ISSUER}).
 */
@Component(
        service = {MfaService.class, SecondFactor.class},
        configurationPid = MfaServiceImpl.PID)
@Designate(ocd = MfaServiceImpl.Config.class)
public final class MfaServiceImpl implements MfaService, SecondFactor {

    static final String PID = "org.karyo.auth.mfa";
    static final String ENV_REQUIRED = "KARYO_MFA_REQUIRED";
    static final String ENV_ISSUER = "KARYO_MFA_ISSUER";
    private static final Logger LOG = LoggerFactory.getLogger(MfaServiceImpl.class);
    private static final int SECRET_BYTES = 20;
    private static final String USER = "user";
    private static final String WHAT = "second factor";

    /** Configuration of the second factor (PID {@value #PID}). */
    @ObjectClassDefinition(name = "Karyo second factor", description = "TOTP (RFC 6238) second factor at login")
    public @interface Config {
        @AttributeDefinition(
                name = "Required for",
                description = "Who must use a second factor: none (only users who enrolled), admins (full "
                        + "administrators) or all. Environment override: KARYO_MFA_REQUIRED",
                options = {
                    @Option(label = "Nobody", value = "none"),
                    @Option(label = "Full administrators", value = "admins"),
                    @Option(label = "Everybody", value = "all")
                })
        String mfa_required() default "none";

        @AttributeDefinition(
                name = "Issuer",
                description = "The name authenticator apps show next to the account. Environment override: "
                        + "KARYO_MFA_ISSUER")
        String mfa_issuer() default "Karyo";
    }

    private final Sql sql;
    private final Writes writes;
    private final AuditTrail audit;
    private final MasterKey masterKey;
    private final Backoff backoff;
    private final Users users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Totp totp = Totp.DEFAULT;
    private final MfaPolicy policy;
    private final String issuer;
    private final AtomicBoolean warnedNoResolver = new AtomicBoolean();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RightsResolver rightsResolver;

    @Activate
    public MfaServiceImpl(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference MasterKey masterKey,
            @Reference Backoff backoff,
            @Reference Users users,
            Config config) {
        this(dataSource, uow, audit, masterKey, backoff, users, config, EnvOverrides.system(), Clock.systemUTC());
        LOG.info(
                "Second factor active (mfa.required={}, mfa.issuer={})",
                policy.name().toLowerCase(Locale.ROOT),
                issuer);
    }

    MfaServiceImpl(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            MasterKey masterKey,
            Backoff backoff,
            Users users,
            Config config,
            EnvOverrides env,
            Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.writes = Writes.statements(Objects.requireNonNull(uow, "uow"), sql, audit);
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
        String required = env.get(ENV_REQUIRED, config.mfa_required());
        try {
            this.policy = MfaPolicy.parse(required);
        } catch (IllegalArgumentException e) {
            String where = env.isSet(ENV_REQUIRED) ? "mfa.required (from " + ENV_REQUIRED + ")" : "mfa.required";
            throw new IllegalArgumentException(PID + ": " + where + ": " + e.getMessage(), e);
        }
        String iss = env.get(ENV_ISSUER, config.mfa_issuer());
        if (iss == null || iss.isBlank() || iss.contains(":")) {
            throw new IllegalArgumentException(PID + ": mfa.issuer must be a non-blank name without ':'");
        }
        this.issuer = iss.trim();
    }

    /** For tests: the resolver a DS dynamic reference would set. */
    void setRightsResolver(RightsResolver resolver) {
        this.rightsResolver = resolver;
    }

    // ---- MfaService ---------------------------------------------------------------------------------------------

    @Override
    public MfaEnrolment enrol(Caller caller) {
        UserRow user = self(caller);
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        try {
            byte[] sealed = masterKey.seal(secret, context(user.id()));
            writes.run(WHAT, tx -> {
                Optional<Factor> existing = lock(tx, user.id());
                if (existing.isPresent() && existing.get().confirmed()) {
                    throw new KaryoException(
                            Kind.CONFLICT,
                            "mfa-enrolled",
                            "a second factor is already set: disable it before enrolling a new one",
                            null,
                            null,
                            null);
                }
                tx.update(
                        """
                        INSERT INTO karyo_auth.mfa_factors
                            (user_id, secret, algorithm, digits, period, confirmed_at, last_used_step, created_at)
                        VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)
                        ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret,
                            algorithm = EXCLUDED.algorithm, digits = EXCLUDED.digits, period = EXCLUDED.period,
                            confirmed_at = NULL, last_used_step = NULL, created_at = EXCLUDED.created_at
                        """,
                        uid(user.id()),
                        sealed,
                        totp.algorithm().name(),
                        totp.digits(),
                        totp.period(),
                        now());
                tx.update("DELETE FROM karyo_auth.mfa_recovery_codes WHERE user_id = ?", uid(user.id()));
                audit.record(caller, AuditEvent.success("auth.mfa.enrol", USER, user.id()));
            });
            String base32 = Base32.encode(secret);
            return new MfaEnrolment(otpauthUri(user.username(), base32), base32);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    @Override
    public List<String> confirm(Caller caller, String code) {
        UserRow user = self(caller);
        String typed = normalise(code);
        String key = backoffKey(user.id());
        backoff.check(key);
        List<String> codes = RecoveryCodes.generate(random);
        boolean accepted = writes.write(WHAT, tx -> {
            Factor factor = lock(tx, user.id())
                    .filter(f -> !f.confirmed())
                    .orElseThrow(() -> new KaryoException(
                            Kind.CONFLICT,
                            "mfa-not-enrolling",
                            "no enrolment is in progress: enrol first",
                            null,
                            null,
                            null));
            OptionalStep step = acceptTotp(user.id(), factor, typed);
            if (step.empty()) {
                return false;
            }
            tx.update(
                    "UPDATE karyo_auth.mfa_factors SET confirmed_at = ?, last_used_step = ? WHERE user_id = ?",
                    now(),
                    step.value(),
                    uid(user.id()));
            tx.update("DELETE FROM karyo_auth.mfa_recovery_codes WHERE user_id = ?", uid(user.id()));
            for (String c : codes) {
                tx.update(
                        "INSERT INTO karyo_auth.mfa_recovery_codes (user_id, code_hash) VALUES (?, ?)",
                        uid(user.id()),
                        RecoveryCodes.hash(c));
            }
            audit.record(
                    caller,
                    AuditEvent.success("auth.mfa.confirm", USER, user.id()).with("recovery_codes", codes.size()));
            return true;
        });
        if (!accepted) {
            failed(caller, user.id(), "confirm");
            throw KaryoException.invalid("code", "is not a current one-time code");
        }
        backoff.success(key);
        return codes;
    }

    @Override
    public void disable(Caller caller, String code) {
        UserRow user = self(caller);
        String typed = normalise(code);
        String key = backoffKey(user.id());
        backoff.check(key);
        boolean accepted = writes.write(WHAT, tx -> {
            Optional<Factor> factor = lock(tx, user.id()).filter(Factor::confirmed);
            if (factor.isEmpty()) {
                throw new KaryoException(
                        Kind.CONFLICT, "mfa-not-enrolled", "no second factor is set", null, null, null);
            }
            if (!acceptTotp(user.id(), factor.get(), typed).empty() || useRecoveryCode(tx, user.id(), typed)) {
                tx.update("DELETE FROM karyo_auth.mfa_recovery_codes WHERE user_id = ?", uid(user.id()));
                tx.update("DELETE FROM karyo_auth.mfa_factors WHERE user_id = ?", uid(user.id()));
                audit.record(caller, AuditEvent.success("auth.mfa.disable", USER, user.id()));
                return true;
            }
            return false;
        });
        if (!accepted) {
            failed(caller, user.id(), "disable");
            throw KaryoException.invalid("code", "is neither a current one-time code nor an unused recovery code");
        }
        backoff.success(key);
    }

    @Override
    public void reset(Caller caller, String username) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.authenticated() || !caller.hasRight(AccessRights.FULL_ADMIN)) {
            throw KaryoException.forbidden("resetting a second factor needs " + AccessRights.FULL_ADMIN);
        }
        UserRow user = (username == null ? Optional.<UserRow>empty() : users.byUsername(username))
                .orElseThrow(() -> KaryoException.notFound(USER, username));
        writes.run(WHAT, tx -> {
            tx.update("DELETE FROM karyo_auth.mfa_recovery_codes WHERE user_id = ?", uid(user.id()));
            int removed = tx.update("DELETE FROM karyo_auth.mfa_factors WHERE user_id = ?", uid(user.id()));
            audit.record(
                    caller,
                    AuditEvent.success("auth.mfa.reset", USER, user.id()).with("had_factor", removed > 0));
        });
        backoff.success(backoffKey(user.id()));
    }

    // ---- SecondFactor -------------------------------------------------------------------------------------------

    @Override
    public boolean enrolled(String userId) {
        return sql.exists(Select.of("1", "karyo_auth.mfa_factors")
                .eq("user_id", uid(userId))
                .where("confirmed_at IS NOT NULL"));
    }

    @Override
    public void verify(String userId, String code) {
        Objects.requireNonNull(userId, "userId");
        String key = backoffKey(userId);
        backoff.check(key);
        String typed = normalise(code);
        Result result = writes.write(WHAT, tx -> {
            Optional<Factor> factor = lock(tx, userId).filter(Factor::confirmed);
            if (factor.isEmpty()) {
                return Result.REFUSED;
            }
            OptionalStep step = acceptTotp(userId, factor.get(), typed);
            if (!step.empty()) {
                tx.update(
                        "UPDATE karyo_auth.mfa_factors SET last_used_step = ? WHERE user_id = ?",
                        step.value(),
                        uid(userId));
                return Result.TOTP;
            }
            if (useRecoveryCode(tx, userId, typed)) {
                users.byId(userId)
                        .ifPresent(u -> audit.record(
                                Users.asCaller(u),
                                AuditEvent.success("auth.mfa.recovery", USER, userId)
                                        .with("remaining", unusedRecoveryCodes(tx, userId))));
                return Result.RECOVERY;
            }
            return Result.REFUSED;
        });
        if (result == Result.REFUSED) {
            Caller who = users.byId(userId).map(Users::asCaller).orElse(Caller.ANONYMOUS);
            failed(who, userId, "verify");
            throw new KaryoException(
                    Kind.UNAUTHENTICATED, "mfa-invalid", "the one-time code is not valid", null, null, null);
        }
        backoff.success(key);
    }

    @Override
    public boolean required(String userId) {
        return switch (policy) {
            case NONE -> false;
            case ALL -> true;
            case ADMINS -> {
                RightsResolver resolver = rightsResolver;
                if (resolver == null) {
                    if (warnedNoResolver.compareAndSet(false, true)) {
                        LOG.warn("mfa.required=admins but no RightsResolver is available (is karyo-accesses "
                                + "installed?): nobody is treated as an administrator until it is");
                    }
                    yield false;
                }
                yield resolver.rightsOf(userId).fullAdmin();
            }
        };
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private enum Result {
        TOTP,
        RECOVERY,
        REFUSED
    }

    /** The stored factor of a user, locked for this unit of work. */
    private record Factor(byte[] sealed, Totp totp, boolean confirmed, Long lastUsedStep) {}

    /** A time step or nothing, without boxing surprises. */
    private record OptionalStep(long value, boolean empty) {
        static final OptionalStep NONE = new OptionalStep(0, true);

        static OptionalStep of(long step) {
            return new OptionalStep(step, false);
        }
    }

    /** The caller's own user row; impersonating administrators may not manage someone else's second factor. */
    private UserRow self(Caller caller) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.authenticated()) {
            throw KaryoException.unauthenticated("authentication required");
        }
        if (caller.impersonatedBy().isPresent()) {
            throw KaryoException.forbidden("a second factor cannot be managed while impersonating");
        }
        UserRow user = users.byId(caller.id()).orElseThrow(() -> KaryoException.notFound(USER, caller.id()));
        if (!user.active()) {
            throw KaryoException.unauthenticated("the user is disabled");
        }
        if (user.kind() == UserKind.SERVICE) {
            throw KaryoException.forbidden("service accounts authenticate with API tokens, not a second factor");
        }
        return user;
    }

    private void failed(Caller who, String userId, String during) {
        backoff.failure(backoffKey(userId));
        audit.record(who, AuditEvent.failure("auth.mfa.failure", USER, userId).with("during", during));
    }

    /** The step whose code {@code typed} is (now ±1, after the last accepted step), if any. */
    private OptionalStep acceptTotp(String userId, Factor factor, String typed) {
        Totp t = factor.totp();
        if (!t.looksLikeCode(typed)) {
            return OptionalStep.NONE;
        }
        byte[] secret = masterKey.open(factor.sealed(), context(userId));
        try {
            long current = t.step(clock.instant().getEpochSecond());
            for (long step = current - 1; step <= current + 1; step++) {
                if (factor.lastUsedStep() != null && step <= factor.lastUsedStep()) {
                    continue;
                }
                if (t.matches(secret, step, typed)) {
                    return OptionalStep.of(step);
                }
            }
            return OptionalStep.NONE;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private boolean useRecoveryCode(Writes.Tx tx, String userId, String typed) {
        if (!RecoveryCodes.looksLikeCode(typed)) {
            return false;
        }
        return tx.update(
                        "UPDATE karyo_auth.mfa_recovery_codes SET used_at = ? "
                                + "WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                        now(),
                        uid(userId),
                        RecoveryCodes.hash(typed))
                == 1;
    }

    private int unusedRecoveryCodes(Writes.Tx tx, String userId) {
        return (int) tx.sql()
                .count(Select.of("1", "karyo_auth.mfa_recovery_codes")
                        .eq("user_id", uid(userId))
                        .where("used_at IS NULL"));
    }

    /** The user's factor, locked until the write's transaction ends. */
    private Optional<Factor> lock(Writes.Tx tx, String userId) {
        return tx.sql()
                .one(
                        """
                        SELECT secret, algorithm, digits, period, confirmed_at IS NOT NULL, last_used_step
                        FROM karyo_auth.mfa_factors WHERE user_id = ? FOR UPDATE
                        """,
                        rs -> {
                            Totp t = new Totp(Totp.Algorithm.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4));
                            long last = rs.getLong(6);
                            Long lastUsed = rs.wasNull() ? null : last;
                            return new Factor(rs.getBytes(1), t, rs.getBoolean(5), lastUsed);
                        },
                        uid(userId));
    }

    private String otpauthUri(String username, String base32) {
        String label = encode(issuer) + ":" + encode(username);
        return "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + encode(issuer) + "&algorithm="
                + totp.algorithm().name() + "&digits=" + totp.digits() + "&period=" + totp.period();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String normalise(String code) {
        if (code == null) {
            return "";
        }
        return RecoveryCodes.normalise(code.strip());
    }

    /** A user id as the uuid it is stored as; a malformed id matches no row (the nil UUID is never a user). */
    private static UUID uid(String userId) {
        try {
            return UUID.fromString(userId);
        } catch (IllegalArgumentException e) {
            return new UUID(0, 0);
        }
    }

    private static String context(String userId) {
        return "totp:" + userId;
    }

    private static String backoffKey(String userId) {
        return "mfa:" + userId;
    }

    private Instant now() {
        return clock.instant();
    }
}
