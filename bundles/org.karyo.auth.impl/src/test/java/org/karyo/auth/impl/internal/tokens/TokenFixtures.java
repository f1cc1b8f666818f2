package org.karyo.auth.impl.internal.tokens;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.testing.TestCallers;

/** Small hand-written fakes and helpers for the API token tests. */
final class TokenFixtures {
    private TokenFixtures() {}

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

    /** A module that declares these rights. */
    static RightContributor rights(String module, String... keys) {
        List<RightDefinition> list = new ArrayList<>();
        for (String k : keys) {
            list.add(RightDefinition.global(k, module, "Test", k));
        }
        return new RightContributor() {
            @Override
            public String module() {
                return module;
            }

            @Override
            public List<RightDefinition> rights() {
                return list;
            }
        };
    }

    /** The tokens' configuration, as ConfigAdmin would build it. */
    static ApiTokenServiceImpl.Config config(int maxDays, String exempt) {
        return new ApiTokenServiceImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiTokenServiceImpl.Config.class;
            }

            @Override
            public int token_max_days() {
                return maxDays;
            }

            @Override
            public String service_maintenance_exempt() {
                return exempt;
            }
        };
    }
}
