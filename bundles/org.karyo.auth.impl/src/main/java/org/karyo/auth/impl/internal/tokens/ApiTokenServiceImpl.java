package org.karyo.auth.impl.internal.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.EnvOverrides;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightContributor;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.impl.internal.BearerRefusals;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service-account API tokens (Cohort360's executor, ETL and rollout users), on plain JDBC in {@code karyo_auth}.
 *
 * <p>A secret is {@code kyt_<8-character prefix>_<43 base64url characters = 32 random bytes>}. Only its SHA-256 is
 * stored (a unique index makes the lookup one index probe); it is shown once, by {@link #create}. A token is limited to
 * a non-empty set of rights (the access module intersects them with the account's own), expires at most
 * {@code token.max.days} ahead and can be revoked. Creating, revoking and listing need {@code accesses.full_admin}.
 *
 * <p>{@link #authenticate} keeps the tokens it found in memory for at most {@value #CACHE_SECONDS} s (revocation
 * removes them at once), asks the users cache whether the account is still an active service account, and writes
 * {@code last_used_at} at most once a minute per token, so that a request usually costs no database round trip.
 *
 * <p>Configuration (PID {@value #PID}): {@code token.max.days} (environment {@code KARYO_TOKEN_MAX_DAYS}) and
 * {@code service.maintenance.exempt} (environment {@code KARYO_SERVICE_MAINTENANCE_EXEMPT}).
 */
@Component(
        service = {ApiTokenService.class, ApiTokenAuthenticator.class},
        configurationPid = ApiTokenServiceImpl.PID)
@Designate(ocd = ApiTokenServiceImpl.Config.class)
public final class ApiTokenServiceImpl implements ApiTokenService, ApiTokenAuthenticator {

    static final String PID = "org.karyo.auth.tokens";
    static final String ENV_MAX_DAYS = "KARYO_TOKEN_MAX_DAYS";
    static final String ENV_EXEMPT = "KARYO_SERVICE_MAINTENANCE_EXEMPT";
    static final String FULL_ADMIN = AccessRights.FULL_ADMIN;
    static final long CACHE_SECONDS = 30;
    static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);
    private static final Duration CACHE_TTL = Duration.ofSeconds(CACHE_SECONDS);
    private static final int MAX_CACHED = 10_000;
    private static final int MAX_SECRET_LENGTH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenServiceImpl.class);
    private static final String WHAT = "api_token";
    /** The largest page of {@code GET /api/auth/tokens}. */
    static final int MAX_PAGE = 500;

    private static final Pattern RIGHT_KEY = Pattern.compile("[a-z0-9_.]{1,64}");
    private static final String PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String COLUMNS =
            "id::text, user_id::text, name, prefix, rights, created_at, expires_at, revoked_at, last_used_at";

    /** Configuration of service-account API tokens (PID {@value #PID}). */
    @ObjectClassDefinition(name = "Karyo API tokens", description = "Service-account API tokens (karyo-auth)")
    public @interface Config {
        @AttributeDefinition(
                name = "Longest lifetime",
                description = "How many days ahead a new token may expire at most (1..3650). Environment override: "
                        + "KARYO_TOKEN_MAX_DAYS",
                min = "1",
                max = "3650")
        int token_max_days() default 365;

        @AttributeDefinition(
                name = "Exempt from maintenance",
                description = "Comma-separated usernames of service accounts that maintenance phases do not apply "
                        + "to. Environment override: KARYO_SERVICE_MAINTENANCE_EXEMPT")
        String service_maintenance_exempt() default "";
    }

    private final Sql sql;
    private final Writes writes;
    private final Users users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final int maxDays;
    private final Set<String> maintenanceExempt;

    /** Tokens found by {@link #authenticate}, by the hex SHA-256 of their secret. */
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every revocation, so that a lookup that raced with one is not cached. */
    private final AtomicLong revocations = new AtomicLong();
    /** When {@code last_used_at} was last written (or read), by token id. */
    private final ConcurrentMap<String, Instant> lastUsedWritten = new ConcurrentHashMap<>();
    /** The rights the installed modules declare (the {@link RightContributor} whiteboard), by contributor. */
    private final Map<RightContributor, Set<String>> declaredRights = new ConcurrentHashMap<>();

    @Activate
    public ApiTokenServiceImpl(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference Users users,
            Config config) {
        this(dataSource, uow, audit, users, config, EnvOverrides.system(), Clock.systemUTC());
        LOG.info(
                "API tokens active (token.max.days={}, {} service account(s) exempt from maintenance)",
                maxDays,
                maintenanceExempt.size());
    }

    ApiTokenServiceImpl(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            Users users,
            Config config,
            EnvOverrides env,
            Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        this.writes =
                Writes.statements(Objects.requireNonNull(uow, "uow"), sql, Objects.requireNonNull(audit, "audit"));
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
        int days;
        try {
            days = env.getInt(ENV_MAX_DAYS, config.token_max_days());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": token.max.days: " + e.getMessage(), e);
        }
        if (days < 1 || days > 3650) {
            throw new IllegalArgumentException(PID + ": token.max.days"
                    + (env.isSet(ENV_MAX_DAYS) ? " (from " + ENV_MAX_DAYS + ")" : "")
                    + ": must be between 1 and 3650, not " + days);
        }
        this.maxDays = days;
        this.maintenanceExempt = names(env.get(ENV_EXEMPT, config.service_maintenance_exempt()));
    }

    /** A module's rights arrive: a token may be limited to them. */
    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRightContributor(RightContributor contributor) {
        Set<String> keys = new TreeSet<>();
        contributor.rights().forEach(r -> keys.add(r.key()));
        declaredRights.put(contributor, Set.copyOf(keys));
    }

    void removeRightContributor(RightContributor contributor) {
        declaredRights.remove(contributor);
    }

    /** Whether an installed module declares this right. */
    private boolean declared(String key) {
        for (Set<String> keys : declaredRights.values()) {
            if (keys.contains(key)) {
                return true;
            }
        }
        return false;
    }

    // ---- ApiTokenService ----------------------------------------------------------------------------------------

    @Override
    public IssuedToken create(Caller caller, String username, String name, Set<String> rights, Instant expiresAt) {
        requireFullAdmin(caller, "creating an API token");
        Instant now = now();
        List<FieldError> errors = new ArrayList<>();
        Optional<UserRow> user = username == null || username.isBlank() ? Optional.empty() : users.byUsername(username);
        if (username == null || username.isBlank()) {
            errors.add(new FieldError("username", "is required"));
        } else if (user.isEmpty()) {
            errors.add(new FieldError("username", "no such user"));
        } else if (user.get().kind() != UserKind.SERVICE) {
            errors.add(new FieldError("username", "must be a service account"));
        }
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > 200) {
            errors.add(new FieldError("name", "is required, at most 200 characters"));
        }
        Set<String> keys = new TreeSet<>();
        if (rights == null || rights.isEmpty()) {
            errors.add(new FieldError("rights", "must name at least one right"));
        } else {
            Set<String> unknown = new TreeSet<>();
            for (String r : rights) {
                if (r == null || !RIGHT_KEY.matcher(r).matches()) {
                    errors.add(new FieldError("rights", "'" + r + "' is not a right key"));
                    unknown.clear();
                    break;
                }
                if (!declared(r)) {
                    unknown.add(r);
                }
                keys.add(r);
            }
            if (!unknown.isEmpty()) {
                // as roles refuse them: a right no installed module declares would grant nothing
                errors.add(new FieldError("rights", "unknown rights: " + String.join(", ", unknown)));
            }
        }
        Instant expires = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        if (expires == null) {
            errors.add(new FieldError("expires_at", "is required"));
        } else if (!expires.isAfter(now)) {
            errors.add(new FieldError("expires_at", "must be in the future"));
        } else if (expires.isAfter(now.plus(Duration.ofDays(maxDays)))) {
            errors.add(new FieldError("expires_at", "must be at most " + maxDays + " days ahead"));
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        UserRow account = user.orElseThrow();
        String id = UUID.randomUUID().toString();
        String prefix = prefix();
        String secret = secret(prefix);
        ApiToken token = new ApiToken(
                id,
                account.username(),
                label,
                Set.copyOf(keys),
                prefix,
                now,
                expires,
                Optional.empty(),
                Optional.empty());
        writes.run(WHAT, tx -> {
            tx.update(
                    """
                    INSERT INTO karyo_auth.api_tokens
                        (id, user_id, name, prefix, secret_hash, rights, created_at, created_by, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    UUID.fromString(id),
                    UUID.fromString(account.id()),
                    label,
                    prefix,
                    sha256(secret),
                    keys.toArray(String[]::new),
                    now,
                    caller.id(),
                    expires);
            tx.audit(
                    caller,
                    AuditEvent.success("auth.token.create", WHAT, id)
                            .with("user", account.id())
                            .with("rights", keys.size())
                            .with("expires_at", expires));
        });
        return new IssuedToken(token, secret);
    }

    @Override
    public void revoke(Caller caller, String tokenId) {
        requireFullAdmin(caller, "revoking an API token");
        UUID id = uuid(tokenId).orElseThrow(() -> KaryoException.notFound("API token", tokenId));
        writes.run(WHAT, tx -> {
            record Held(String userId, boolean revoked) {}
            Held held = tx.sql()
                    .one(
                            "SELECT user_id::text, revoked_at IS NOT NULL FROM karyo_auth.api_tokens"
                                    + " WHERE id = ? FOR UPDATE",
                            rs -> new Held(rs.getString(1), rs.getBoolean(2)),
                            id)
                    .orElseThrow(() -> KaryoException.notFound("API token", tokenId));
            if (held.revoked()) {
                return; // already revoked: nothing changes
            }
            tx.update("UPDATE karyo_auth.api_tokens SET revoked_at = ? WHERE id = ?", now(), id);
            tx.audit(caller, AuditEvent.success("auth.token.revoke", WHAT, id).with("user", held.userId()));
            forget(id.toString());
            tx.afterCommit(() -> forget(id.toString()));
        });
    }

    @Override
    public List<ApiToken> list(Caller caller, String usernameOrNull) {
        requireFullAdmin(caller, "listing API tokens");
        Map<String, String> usernames = new HashMap<>();
        List<Row> rows = sql.list(select(usernameOrNull, usernames), ApiTokenServiceImpl::row);
        return named(rows, usernames);
    }

    @Override
    public Page<ApiToken> list(Caller caller, String usernameOrNull, PageRequest page) {
        requireFullAdmin(caller, "listing API tokens");
        Map<String, String> usernames = new HashMap<>();
        Page<Row> rows = sql.page(select(usernameOrNull, usernames).page(page, MAX_PAGE), ApiTokenServiceImpl::row);
        return new Page<>(rows.count(), rows.limit(), rows.offset(), named(rows.results(), usernames));
    }

    /** The tokens, of one user if named (NOT_FOUND when that user does not exist), newest first. */
    private Select select(String usernameOrNull, Map<String, String> usernames) {
        Select select = Select.of(COLUMNS, "karyo_auth.api_tokens").orderBy("created_at DESC, id");
        if (usernameOrNull == null) {
            return select;
        }
        UserRow user =
                users.byUsername(usernameOrNull).orElseThrow(() -> KaryoException.notFound("user", usernameOrNull));
        usernames.put(user.id(), user.username());
        return select.eq("user_id", UUID.fromString(user.id()));
    }

    private List<ApiToken> named(List<Row> rows, Map<String, String> usernames) {
        List<ApiToken> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String username = usernames.computeIfAbsent(
                    r.userId(), uid -> users.byId(uid).map(UserRow::username).orElse(uid));
            out.add(r.toApi(username));
        }
        return List.copyOf(out);
    }

    // ---- ApiTokenAuthenticator ----------------------------------------------------------------------------------

    @Override
    public boolean recognises(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    @Override
    public Identity authenticate(String bearer) {
        if (!recognises(bearer) || bearer.length() > MAX_SECRET_LENGTH) {
            throw refused();
        }
        Instant now = clock.instant();
        String hash = HexFormat.of().formatHex(sha256(bearer));
        Cached cached = cache.get(hash);
        if (cached == null || !now.isBefore(cached.loadedAt().plus(CACHE_TTL))) {
            cached = load(hash, now);
        }
        if (!cached.expiresAt().isAfter(now)) {
            throw refused();
        }
        Optional<UserRow> user = users.cachedById(cached.userId());
        if (user.isEmpty() || !user.get().active() || user.get().kind() != UserKind.SERVICE) {
            throw refused();
        }
        touch(cached.id(), now);
        UserRow u = user.get();
        return new Identity(
                u.id(),
                u.username(),
                Identity.Method.API_TOKEN,
                Optional.empty(),
                "api-token:" + cached.id(),
                Optional.of(cached.rights()),
                maintenanceExempt.contains(u.username()),
                false,
                cached.expiresAt());
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    /** A token as {@link #authenticate} remembers it. */
    private record Cached(String id, String userId, Set<String> rights, Instant expiresAt, Instant loadedAt) {}

    /** A stored token. */
    private record Row(
            String id,
            String userId,
            String name,
            String prefix,
            Set<String> rights,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt) {
        ApiToken toApi(String username) {
            return new ApiToken(
                    id,
                    username,
                    name,
                    rights,
                    prefix,
                    createdAt,
                    expiresAt,
                    Optional.ofNullable(revokedAt),
                    Optional.ofNullable(lastUsedAt));
        }
    }

    private Cached load(String hash, Instant now) {
        long generation = revocations.get();
        Row row = sql.one(
                        Select.of(COLUMNS, "karyo_auth.api_tokens")
                                .eq("secret_hash", (Object) HexFormat.of().parseHex(hash)),
                        ApiTokenServiceImpl::row)
                .orElse(null);
        if (row == null || row.revokedAt() != null) {
            cache.remove(hash);
            throw refused();
        }
        Cached fresh = new Cached(row.id(), row.userId(), row.rights(), row.expiresAt(), now);
        if (row.lastUsedAt() != null) {
            lastUsedWritten.merge(row.id(), row.lastUsedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        if (revocations.get() == generation) {
            cache.put(hash, fresh);
            if (revocations.get() != generation) {
                cache.remove(hash);
            }
        }
        return fresh;
    }

    /** Records a use: at most one write per token and {@link #LAST_USED_EVERY}. */
    private void touch(String tokenId, Instant now) {
        boolean[] write = {false};
        lastUsedWritten.compute(tokenId, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(LAST_USED_EVERY))) {
                write[0] = true;
                return now;
            }
            return last;
        });
        if (!write[0]) {
            return;
        }
        try {
            writes.run(
                    WHAT,
                    tx -> tx.update(
                            "UPDATE karyo_auth.api_tokens SET last_used_at = ? WHERE id = ?"
                                    + " AND (last_used_at IS NULL OR last_used_at < ?)",
                            now,
                            UUID.fromString(tokenId),
                            now));
        } catch (RuntimeException e) {
            // bookkeeping only: the request goes on; the next use after a minute tries again
            lastUsedWritten.remove(tokenId);
            LOG.warn("Could not record the use of API token {}: {}", tokenId, e.getMessage());
        }
    }

    private void forget(String tokenId) {
        revocations.incrementAndGet();
        cache.values().removeIf(c -> c.id().equals(tokenId));
        lastUsedWritten.remove(tokenId);
    }

    private static Row row(ResultSet rs) throws SQLException {
        Array array = rs.getArray(5);
        Set<String> rights = new LinkedHashSet<>(Arrays.asList((String[]) array.getArray()));
        return new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Set.copyOf(rights),
                instant(rs.getTimestamp(6)),
                instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void requireFullAdmin(Caller caller, String what) {
        Objects.requireNonNull(caller, "caller");
        if (!caller.authenticated() || !caller.hasRight(FULL_ADMIN)) {
            throw KaryoException.forbidden(what + " needs " + FULL_ADMIN);
        }
    }

    /** The same answer for every kind of bad API token (unknown, revoked, expired), revealing nothing. */
    private static KaryoException refused() {
        return BearerRefusals.invalid();
    }

    private String prefix() {
        StringBuilder p = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            p.append(PREFIX_ALPHABET.charAt(random.nextInt(PREFIX_ALPHABET.length())));
        }
        return p.toString();
    }

    private String secret(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static Optional<UUID> uuid(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Set<String> names(String raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            for (String s : raw.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return Set.copyOf(out);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
