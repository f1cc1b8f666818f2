package org.karyo.auth.impl.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.ExternalIdentity;
import org.karyo.auth.api.ExternalUser;
import org.karyo.auth.api.IdentityProvider;
import org.karyo.auth.api.UserKind;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates users on their first OIDC login or bearer call when their provider allows it: an active person with source
 * {@code oidc:<provider>}, no password and no access (the access module grants nothing to a new user). Audited as
 * {@code auth.user.create} by the new user itself.
 */
@Component(service = Provisioning.class)
public class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);

    private final Writes writes;
    private final Users users;
    private final AuthSettings settings;
    private final Clock clock;

    @Activate
    public Provisioning(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=auth)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference Users users,
            @Reference AuthSettings settings) {
        this(dataSource, uow, audit, users, settings, Clock.systemUTC());
    }

    /** For tests. */
    Provisioning(
            DataSource dataSource, UnitOfWork uow, AuditTrail audit, Users users, AuthSettings settings, Clock clock) {
        this.writes = UserStore.writes(uow, new Sql(dataSource, "auth"), audit);
        this.users = Objects.requireNonNull(users, "users");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The user for an external identity, created if needed.
     *
     * @throws KaryoException UNAUTHENTICATED when the reported username does not fit the username pattern
     */
    public UserRow provision(IdentityProvider provider, ExternalIdentity identity) {
        ExternalUser x = identity.user();
        String username = x.username();
        if (username == null || !settings.usernamePattern().matcher(username).matches()) {
            LOG.info("Identity provider {} reported a username that does not fit username.pattern", provider.name());
            throw KaryoException.unauthenticated("Authentication failed");
        }
        String email = x.email()
                .map(String::trim)
                .filter(e -> settings.emailPattern().matcher(e).matches())
                .orElse(null);
        try {
            return writes.write("user", tx -> {
                String mail = email;
                if (mail != null && UserStore.emailTaken(tx.sql(), mail, null)) {
                    mail = null;
                }
                UserRow row = UserStore.insert(
                        tx,
                        username,
                        x.firstname().map(String::trim).map(s -> cut(s)).orElse(""),
                        x.lastname().map(String::trim).map(s -> cut(s)).orElse(""),
                        mail,
                        UserKind.PERSON,
                        "oidc:" + provider.name(),
                        null,
                        "oidc:" + provider.name(),
                        Persistence.now(clock));
                tx.audit(
                        Users.asCaller(row),
                        AuditEvent.success("auth.user.create", "user", row.id())
                                .with("kind", UserKind.PERSON.name())
                                .with("source", row.source())
                                .with("provisioned", true));
                LOG.info("User {} provisioned from identity provider {}", row.id(), provider.name());
                return row;
            });
        } catch (KaryoException e) {
            // created meanwhile by a concurrent request
            Optional<UserRow> existing = users.byUsername(username);
            if (existing.isPresent()) {
                return existing.get();
            }
            throw e;
        }
    }

    private static String cut(String s) {
        return s.length() <= UserServiceImpl.MAX_NAME ? s : s.substring(0, UserServiceImpl.MAX_NAME);
    }
}
