package org.karyo.auth.impl.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.AuthenticationProvider;
import org.karyo.auth.api.ExternalUser;
import org.karyo.auth.api.NewUser;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserCheck;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.api.UserPatch;
import org.karyo.auth.api.UserQuery;
import org.karyo.auth.api.UserService;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link UserService} on PostgreSQL (plain JDBC). Reads and writes need {@code accesses.manage_users}; each write runs
 * in one unit of work, is audited ({@code auth.user.create}, {@code auth.user.update}, {@code auth.user.disable},
 * {@code auth.user.enable}; object type {@code user}, object id the user id, changed field names only) and invalidates
 * the user cache that token verification reads. Disabling a user or setting a new password also revokes the user's
 * sessions.
 */
@Component(service = UserService.class)
public class UserServiceImpl implements UserService {
    static final String MANAGE_USERS = "accesses.manage_users";
    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    private static final Logger LOG = LoggerFactory.getLogger(UserServiceImpl.class);
    private static final List<Sort> DEFAULT_ORDER = List.of(new Sort("username", false));

    private final Sql sql;
    private final Writes writes;
    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final Users users;
    private final Sessions sessions;
    private final AuthSettings settings;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;
    private final Rankings<AuthenticationProvider> providers = new Rankings<>();

    @Activate
    public UserServiceImpl(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference Users users,
            @Reference Sessions sessions,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, users, sessions, settings, Clock.systemUTC());
    }

    /** For tests. */
    UserServiceImpl(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            Users users,
            Sessions sessions,
            AuthSettings settings,
            Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.writes = UserStore.writes(uow, sql, audit);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hasher = PasswordHasher.of(settings);
        this.policy = PasswordPolicy.of(settings);
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

    @Override
    public Page<User> list(Caller caller, UserQuery query, PageRequest page) {
        require(caller);
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(page, "page");
        PageRequest ordered =
                page.ordering().isEmpty() ? new PageRequest(page.limit(), page.offset(), DEFAULT_ORDER) : page;
        // the REST resource bounds the page; the service takes any positive limit
        return sql.page(
                UserStore.list(query).page(ordered, Integer.MAX_VALUE, UserStore.ORDERABLE, "u.id"),
                rs -> Users.row(rs).toUser(rs.getBoolean(13)));
    }

    @Override
    public User get(Caller caller, String username) {
        require(caller);
        return find(username).orElseThrow(() -> KaryoException.notFound("user", username));
    }

    @Override
    public User create(Caller caller, NewUser n) {
        require(caller);
        Objects.requireNonNull(n, "user");
        Validator v = new Validator();
        checkUsername(v, n.username());
        v.required(n.kind(), "kind");
        v.maxLength(n.firstname(), "firstname", MAX_NAME).maxLength(n.lastname(), "lastname", MAX_NAME);
        String email = n.email() == null
                ? null
                : n.email().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        checkEmail(v, email);
        char[] password = n.password() == null ? null : n.password().orElse(null);
        if (password != null) {
            if (n.kind() == UserKind.SERVICE) {
                v.check(false, "password", "a service account has no password; it authenticates with API tokens");
            } else {
                policy.problems(password, n.username()).forEach(p -> v.check(false, "password", p));
            }
        }
        v.throwIfInvalid();
        String hash = password == null ? null : hasher.hash(password);
        UserRow created = writes.write("user", tx -> {
            if (email != null && UserStore.emailTaken(tx.sql(), email, null)) {
                throw KaryoException.conflict("another user already has this e-mail address");
            }
            UserRow row = UserStore.insert(
                    tx,
                    n.username(),
                    trim(n.firstname()),
                    trim(n.lastname()),
                    email,
                    n.kind(),
                    "local",
                    hash,
                    caller.id(),
                    Persistence.now(clock));
            tx.audit(
                    caller,
                    AuditEvent.success("auth.user.create", "user", row.id())
                            .with("kind", row.kind().name())
                            .with("source", row.source())
                            .with("local_credential", hash != null));
            return row;
        });
        users.invalidate(created.id(), uow);
        LOG.debug("User {} created by {}", created.id(), caller.id());
        return created.toUser(false);
    }

    @Override
    public User update(Caller caller, String username, UserPatch patch) {
        require(caller);
        Objects.requireNonNull(patch, "patch");
        Validator v = new Validator();
        patch.firstname().ifPresent(f -> v.maxLength(f, "firstname", MAX_NAME));
        patch.lastname().ifPresent(l -> v.maxLength(l, "lastname", MAX_NAME));
        Optional<Optional<String>> email =
                patch.email().map(e -> e.map(String::trim).filter(s -> !s.isEmpty()));
        email.flatMap(e -> e).ifPresent(e -> checkEmail(v, e));
        patch.password().ifPresent(p -> policy.problems(p, username).forEach(m -> v.check(false, "password", m)));
        v.throwIfInvalid();
        String hash = patch.password().map(hasher::hash).orElse(null);
        UserRow updated = writes.write("user", tx -> {
            UserRow old = UserStore.lock(tx, username).orElseThrow(() -> KaryoException.notFound("user", username));
            if (hash != null && old.kind() == UserKind.SERVICE) {
                throw KaryoException.invalid(
                        "password", "a service account has no password; it authenticates with API tokens");
            }
            List<String> changed = new ArrayList<>();
            String first = patch.firstname().map(UserServiceImpl::trim).orElse(old.firstname());
            String last = patch.lastname().map(UserServiceImpl::trim).orElse(old.lastname());
            String mail = email.isPresent() ? email.get().orElse(null) : old.email();
            boolean active = patch.active().orElse(old.active());
            if (!first.equals(old.firstname())) {
                changed.add("firstname");
            }
            if (!last.equals(old.lastname())) {
                changed.add("lastname");
            }
            if (!Objects.equals(mail, old.email())) {
                if (mail != null && UserStore.emailTaken(tx.sql(), mail, old.id())) {
                    throw KaryoException.conflict("another user already has this e-mail address");
                }
                changed.add("email");
            }
            if (active != old.active()) {
                changed.add("active");
            }
            if (hash != null) {
                changed.add("password");
            }
            if (changed.isEmpty()) {
                return old;
            }
            tx.update(
                    "update karyo_auth.users set firstname = ?, lastname = ?, email = ?, active = ?,"
                            + " password_hash = coalesce(?, password_hash), updated_at = ?, updated_by = ?,"
                            + " version = version + 1 where id = ?",
                    first,
                    last,
                    mail,
                    active,
                    hash,
                    Persistence.now(clock),
                    caller.id(),
                    UUID.fromString(old.id()));
            String action = "auth.user.update";
            if (old.active() && !active) {
                action = "auth.user.disable";
            } else if (!old.active() && active) {
                action = "auth.user.enable";
            }
            if (!active || hash != null) {
                sessions.revokeUser(old.id(), active ? "password-changed" : "disabled");
            }
            tx.audit(caller, AuditEvent.success(action, "user", old.id()).with("fields", String.join(",", changed)));
            users.invalidate(old.id(), uow);
            return new UserRow(
                    old.id(),
                    old.username(),
                    first,
                    last,
                    mail,
                    old.kind(),
                    active,
                    old.source(),
                    hash != null ? hash : old.passwordHash(),
                    old.createdAt(),
                    old.lastLogin(),
                    old.version() + 1);
        });
        LOG.debug("User {} updated by {}", updated.id(), caller.id());
        return toUser(updated);
    }

    @Override
    public UserCheck check(Caller caller, String username) {
        require(caller);
        Validator v = new Validator();
        checkUsername(v, username);
        v.throwIfInvalid();
        Optional<UserRow> local = users.byUsername(username);
        if (local.isPresent()) {
            UserRow u = local.get();
            return new UserCheck(
                    username,
                    true,
                    true,
                    Optional.empty(),
                    Optional.of(u.firstname()),
                    Optional.of(u.lastname()),
                    Optional.ofNullable(u.email()));
        }
        for (AuthenticationProvider p : providers.services()) {
            Optional<ExternalUser> found;
            try {
                found = p.lookup(username);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Authentication provider {} failed a user check: {}",
                        p.name(),
                        e.getClass().getName());
                continue;
            }
            if (found != null && found.isPresent()) {
                ExternalUser x = found.get();
                return new UserCheck(
                        username, true, false, Optional.of(p.name()), x.firstname(), x.lastname(), x.email());
            }
        }
        // neither local nor known to a provider: a 404, as for any other user route
        throw KaryoException.notFound("user", username);
    }

    @Override
    public Optional<User> find(String username) {
        return users.byUsername(username).map(this::toUser);
    }

    @Override
    public Optional<User> byId(String id) {
        return users.byId(id).map(this::toUser);
    }

    private User toUser(UserRow row) {
        return row.toUser(UserStore.mfaEnrolled(sql, row.id()));
    }

    private void checkUsername(Validator v, String username) {
        if (username == null || username.isEmpty()) {
            v.check(false, "username", "is required");
        } else {
            v.check(
                    settings.usernamePattern().matcher(username).matches(),
                    "username",
                    "must match " + settings.usernamePattern().pattern());
        }
    }

    private void checkEmail(Validator v, String email) {
        if (email != null) {
            v.maxLength(email, "email", MAX_EMAIL);
            v.check(settings.emailPattern().matcher(email).matches(), "email", "is not a valid e-mail address");
        }
    }

    private static void require(Caller caller) {
        if (caller == null || !caller.authenticated()) {
            throw KaryoException.unauthenticated("authentication is required");
        }
        if (!caller.hasRight(MANAGE_USERS)) {
            throw KaryoException.forbidden("managing users needs the right " + MANAGE_USERS);
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
