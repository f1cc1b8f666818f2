package org.karyo.accesses.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.ProfileService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.jdbc.Jdbc;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link ProfileService}: profiles, listed for holders of {@code accesses.manage_users}. */
@Component(service = ProfileService.class)
public final class ProfileServiceImpl implements ProfileService {

    /** Cohort360's source of profiles made by hand (as opposed to synchronised ones). */
    static final String MANUAL = "Manual";

    private static final Map<String, String> ORDERING = Map.of(
            "id", "id",
            "username", "username",
            "user_id", "user_id",
            "source", "source",
            "is_active", "is_active",
            "created_at", "created_at");

    private final Jdbc jdbc;
    private final RightsResolverImpl resolver;

    @Activate
    public ProfileServiceImpl(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=accesses)") SchemaReady schema,
            @Reference RightsResolverImpl resolver) {
        this(dataSource, resolver);
    }

    ProfileServiceImpl(DataSource dataSource, RightsResolverImpl resolver) {
        this.jdbc = new Jdbc(dataSource, "accesses");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    static Profile profile(ResultSet rs) throws SQLException {
        return new Profile(
                rs.getLong("id"),
                rs.getString("user_id"),
                rs.getString("username"),
                rs.getString("source"),
                rs.getBoolean("is_active"),
                Jdbc.instant(rs, "created_at"));
    }

    @Override
    public Page<Profile> list(Caller caller, Optional<String> userId, Optional<String> search, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        if (!rights.has(AccessRights.MANAGE_USERS)) {
            throw KaryoException.forbidden("Listing profiles needs " + AccessRights.MANAGE_USERS);
        }
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        userId.filter(s -> !s.isBlank()).ifPresent(u -> {
            where.append(" AND user_id = ?");
            params.add(u.trim());
        });
        search.filter(s -> !s.isBlank()).ifPresent(s -> {
            where.append(" AND username ILIKE ?");
            params.add("%" + PerimeterServiceImpl.like(s.trim()) + "%");
        });
        String order = Paging.orderBy(page, ORDERING, "id", "id");
        int limit = Paging.limit(page);
        int offset = Paging.offset(page);
        long[] total = {-1};
        List<Profile> rows = jdbc.list(
                "SELECT id, user_id, username, source, is_active, created_at, count(*) OVER () AS total"
                        + " FROM karyo_accesses.profiles" + where + order + " LIMIT " + limit + " OFFSET " + offset,
                rs -> {
                    total[0] = rs.getLong("total");
                    return profile(rs);
                },
                params.toArray());
        long count = total[0] >= 0
                ? total[0]
                : offset == 0
                        ? 0
                        : jdbc.count("SELECT count(*) FROM karyo_accesses.profiles" + where, params.toArray());
        return new Page<>(count, limit, offset, rows);
    }

    /** A user's active manual profile, made when it has none. Inside a unit of work. */
    static ManualProfile manualProfile(Jdbc jdbc, String userId, String username) {
        Optional<Long> existing = jdbc.one(
                "SELECT id FROM karyo_accesses.profiles WHERE user_id = ? AND source = ? AND is_active ORDER BY id"
                        + " LIMIT 1",
                rs -> rs.getLong(1),
                userId,
                MANUAL);
        if (existing.isPresent()) {
            return new ManualProfile(existing.get(), false);
        }
        long id = jdbc.insert(
                "INSERT INTO karyo_accesses.profiles (user_id, username, source, is_active) VALUES (?, ?, ?, true)"
                        + " RETURNING id",
                userId,
                username,
                MANUAL);
        return new ManualProfile(id, true);
    }

    /** A profile found or made. */
    record ManualProfile(long id, boolean created) {}
}
