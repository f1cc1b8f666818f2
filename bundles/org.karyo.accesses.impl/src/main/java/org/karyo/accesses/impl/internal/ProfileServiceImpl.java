package org.karyo.accesses.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.ProfileService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
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

    private static final Select PROFILES =
            Select.of("id, user_id, username, source, is_active, created_at", "karyo_accesses.profiles");

    private final Sql sql;
    private final RightsResolverImpl resolver;

    @Activate
    public ProfileServiceImpl(@Reference AccessesStore store, @Reference RightsResolverImpl resolver) {
        this.sql = store.sql();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    static Profile profile(ResultSet rs) throws SQLException {
        return new Profile(
                rs.getLong("id"),
                rs.getString("user_id"),
                rs.getString("username"),
                rs.getString("source"),
                rs.getBoolean("is_active"),
                Sql.instant(rs, "created_at"));
    }

    @Override
    public Page<Profile> list(Caller caller, Optional<String> userId, Optional<String> search, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        if (!rights.has(AccessRights.MANAGE_USERS)) {
            throw KaryoException.forbidden("Listing profiles needs " + AccessRights.MANAGE_USERS);
        }
        PageRequest p = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, List.of()) : page;
        return sql.page(
                PROFILES.eq("user_id", userId.filter(s -> !s.isBlank()).map(String::trim))
                        .search(search.orElse(null), "username")
                        .page(p, AccessesStore.MAX_LIMIT, ORDERING, "id"),
                ProfileServiceImpl::profile);
    }

    /** A user's active manual profile, made when it has none. Inside a unit of work. */
    static ManualProfile manualProfile(Writes.Tx tx, String userId, String username) {
        Optional<Long> existing = tx.sql()
                .one(
                        "SELECT id FROM karyo_accesses.profiles WHERE user_id = ? AND source = ? AND is_active ORDER BY id"
                                + " LIMIT 1",
                        rs -> rs.getLong(1),
                        userId,
                        MANUAL);
        if (existing.isPresent()) {
            return new ManualProfile(existing.get(), false);
        }
        long id = tx.insert(
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
