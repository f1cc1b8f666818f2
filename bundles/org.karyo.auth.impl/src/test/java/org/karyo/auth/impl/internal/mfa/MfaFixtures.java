package org.karyo.auth.impl.internal.mfa;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.karyo.accesses.api.RightsResolver;
import org.karyo.accesses.api.UserRights;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.testing.TestCallers;

/** Small hand-written fakes and helpers for the second-factor tests. */
final class MfaFixtures {
    private MfaFixtures() {}

    /** A rights resolver that makes full administrators of the given user ids. */
    static RightsResolver resolver(Set<String> admins) {
        return new RightsResolver() {
            @Override
            public UserRights rightsOf(String userId) {
                return rights(userId, admins.contains(userId));
            }

            @Override
            public UserRights compute(String userId) {
                return rightsOf(userId);
            }
        };
    }

    private static UserRights rights(String userId, boolean admin) {
        return new UserRights() {
            @Override
            public String userId() {
                return userId;
            }

            @Override
            public boolean fullAdmin() {
                return admin;
            }

            @Override
            public boolean has(String right) {
                return admin;
            }

            @Override
            public boolean hasOn(String right, long perimeterId) {
                return admin;
            }

            @Override
            public Scope scope(String right) {
                return admin ? Scope.all() : Scope.none();
            }

            @Override
            public Set<String> rights() {
                return admin ? Set.of("accesses.full_admin") : Set.of();
            }
        };
    }

    /** An authenticated caller that is this user and holds the given rights. */
    static Caller caller(String id, String... rights) {
        return TestCallers.withRights(id, rights);
    }

    /** Inserts a user row and returns its id. */
    static String insertUser(DataSource ds, String username, String kind, boolean active) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into karyo_auth.users"
                        + " (id, username, kind, active, created_at, updated_at) values (?, ?, ?, ?, ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            ps.setObject(1, UUID.fromString(id));
            ps.setString(2, username);
            ps.setString(3, kind);
            ps.setBoolean(4, active);
            ps.setTimestamp(5, now);
            ps.setTimestamp(6, now);
            ps.executeUpdate();
        }
        return id;
    }

    /** The second factor's configuration, as ConfigAdmin would build it. */
    static MfaServiceImpl.Config config(String required, String issuer) {
        return new MfaServiceImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MfaServiceImpl.Config.class;
            }

            @Override
            public String mfa_required() {
                return required;
            }

            @Override
            public String mfa_issuer() {
                return issuer;
            }
        };
    }
}
