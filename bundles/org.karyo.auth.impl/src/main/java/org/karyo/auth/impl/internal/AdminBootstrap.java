package org.karyo.auth.impl.internal;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.EnvOverrides;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.UserKind;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first administrator when {@code karyo_auth.users} is empty, from {@value #ENV_USERNAME} (default
 * {@code admin}) and {@value #ENV_PASSWORD}. The access module grants it the full-admin role by username.
 *
 * <p>In the dev profile ({@code KARYO_PROFILE=dev}) a missing password defaults to {@code admin} (with a warning).
 * Outside it, a missing password, a known default (admin, karaf, changeme, password …) or one that fails the password
 * policy is refused: nothing is created and an ERROR says how to fix it.
 */
@Component(service = AdminBootstrap.class, immediate = true)
public class AdminBootstrap {
    static final String ENV_USERNAME = "KARYO_ADMIN_USERNAME";
    static final String ENV_PASSWORD = "KARYO_ADMIN_PASSWORD";
    static final String ENV_PROFILE = "KARYO_PROFILE";
    /** The caller of writes that no person asked for. */
    static final Caller SYSTEM = Caller.SYSTEM;

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Sql sql;
    private final Writes writes;
    private final AuthSettings settings;
    private final Clock clock;

    @Activate
    public AdminBootstrap(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, settings, Clock.systemUTC());
        run(EnvOverrides.system());
    }

    /** For tests: call {@link #run}. */
    AdminBootstrap(DataSource dataSource, UnitOfWork uow, AuditTrail audit, AuthSettings settings, Clock clock) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), "auth");
        this.writes = UserStore.writes(Objects.requireNonNull(uow, "uow"), sql, Objects.requireNonNull(audit, "audit"));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates the administrator if there is no user yet and the environment allows it.
     *
     * @return the new administrator's id, or empty when nothing was created
     */
    public Optional<String> run(EnvOverrides env) {
        boolean dev = "dev".equalsIgnoreCase(env.get(ENV_PROFILE, ""));
        String username = env.get(ENV_USERNAME, "admin");
        String password = env.get(ENV_PASSWORD, null);
        if (!settings.usernamePattern().matcher(username).matches()) {
            LOG.error(
                    "{} does not match username.pattern {}: no administrator was created. Fix {} and restart.",
                    ENV_USERNAME,
                    settings.usernamePattern().pattern(),
                    ENV_USERNAME);
            return Optional.empty();
        }
        if (password == null) {
            if (!dev) {
                if (empty()) {
                    LOG.error(
                            "{} is not set: no administrator was created and Karyo has no users. Set {} to a strong"
                                    + " password ({}) and restart, or start with KARYO_PROFILE=dev for development.",
                            ENV_PASSWORD,
                            ENV_PASSWORD,
                            policyText());
                }
                return Optional.empty();
            }
            password = "admin";
            LOG.warn(
                    "{} is not set: the dev profile uses the password 'admin' for the first administrator",
                    ENV_PASSWORD);
        }
        char[] pw = password.toCharArray();
        if (!dev) {
            List<String> problems = PasswordPolicy.of(settings).problems(pw, username);
            boolean known = PasswordPolicy.isKnownDefault(pw);
            if (known || !problems.isEmpty()) {
                if (empty()) {
                    LOG.error(
                            "{} is refused ({}): no administrator was created and Karyo has no users. Set {} to a"
                                    + " strong password ({}) and restart.",
                            ENV_PASSWORD,
                            known ? "a known default or common password" : String.join("; ", problems),
                            ENV_PASSWORD,
                            policyText());
                }
                return Optional.empty();
            }
        }
        String hash = PasswordHasher.of(settings).hash(pw);
        return writes.write("user", tx -> {
            // raw JDBC: a transaction-scoped advisory lock, so that two nodes starting at once create one administrator
            tx.sql().raw(c -> {
                try (PreparedStatement lock =
                        c.prepareStatement("select pg_advisory_xact_lock(hashtext('karyo_auth.bootstrap'))")) {
                    return lock.execute();
                }
            });
            if (!empty()) {
                return Optional.<String>empty();
            }
            UserRow row = UserStore.insert(
                    tx, username, "", "", null, UserKind.PERSON, "local", hash, SYSTEM.id(), Persistence.now(clock));
            tx.audit(
                    SYSTEM,
                    AuditEvent.success("auth.user.create", "user", row.id())
                            .with("kind", UserKind.PERSON.name())
                            .with("source", row.source())
                            .with("bootstrap", true));
            LOG.info("Created the first administrator {} from {}", row.id(), ENV_USERNAME);
            return Optional.of(row.id());
        });
    }

    private boolean empty() {
        return !sql.exists(Select.of("1", "karyo_auth.users"));
    }

    private String policyText() {
        return "at least " + settings.passwordMinLength() + " characters, " + settings.passwordMinClasses()
                + " of lower case, upper case, digits and other characters, not containing the username, not a"
                + " common password";
    }
}
