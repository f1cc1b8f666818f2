package org.karyo.accesses.impl.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.jdbc.Jdbc;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link RoleService}: roles are sets of right keys ({@code role_rights} rows). Reads need an authenticated caller;
 * writes need a full administrator and pass Cohort360's consistency rules ({@link Rules#checkRole}).
 */
@Component(service = RoleService.class)
public final class RoleServiceImpl implements RoleService {

    private static final String WHAT = "role";
    private static final String COLUMNS = "r.id, r.name, r.created_at, r.updated_at,"
            + " ARRAY(SELECT rr.right_key FROM karyo_accesses.role_rights rr WHERE rr.role_id = r.id) AS rights";
    private static final Map<String, String> ORDERING =
            Map.of("id", "r.id", "name", "r.name", "created_at", "r.created_at", "updated_at", "r.updated_at");

    private final Jdbc jdbc;
    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final RightsResolverImpl resolver;
    private final UserService users;
    private final AccessesSettings settings;

    @Activate
    public RoleServiceImpl(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=accesses)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference RightsResolverImpl resolver,
            @Reference UserService users,
            @Reference AccessesSettings settings) {
        this(dataSource, uow, audit, resolver, users, settings);
    }

    RoleServiceImpl(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            RightsResolverImpl resolver,
            UserService users,
            AccessesSettings settings) {
        this.jdbc = new Jdbc(dataSource, "accesses");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.users = Objects.requireNonNull(users, "users");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    static Role role(ResultSet rs) throws SQLException {
        SortedSet<String> rights = new TreeSet<>();
        Array a = rs.getArray("rights");
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                rights.add((String) o);
            }
        }
        return new Role(
                rs.getLong("id"),
                rs.getString("name"),
                Collections.unmodifiableSortedSet(rights),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public Page<Role> list(Caller caller, Optional<String> name, Set<String> withRights, PageRequest page) {
        resolver.rightsFor(caller);
        StringBuilder where = new StringBuilder(" WHERE r.deleted_at IS NULL");
        List<Object> params = new ArrayList<>();
        name.filter(s -> !s.isBlank()).ifPresent(n -> {
            where.append(" AND r.name ILIKE ?");
            params.add("%" + PerimeterServiceImpl.like(n.trim()) + "%");
        });
        Set<String> wanted = withRights == null ? Set.of() : new LinkedHashSet<>(withRights);
        if (!wanted.isEmpty()) {
            where.append(" AND (SELECT count(*) FROM karyo_accesses.role_rights rr WHERE rr.role_id = r.id"
                    + " AND rr.right_key = ANY(?)) = ?");
            params.add(wanted.toArray(String[]::new));
            params.add(wanted.size());
        }
        String order = Paging.orderBy(page, ORDERING, "r.name", "r.id");
        int limit = Paging.limit(page);
        int offset = Paging.offset(page);
        long[] total = {-1};
        List<Role> rows = jdbc.list(
                "SELECT " + COLUMNS + ", count(*) OVER () AS total FROM karyo_accesses.roles r" + where + order
                        + " LIMIT " + limit + " OFFSET " + offset,
                rs -> {
                    total[0] = rs.getLong("total");
                    return role(rs);
                },
                params.toArray());
        long count = total[0] >= 0
                ? total[0]
                : offset == 0 ? 0 : jdbc.count("SELECT count(*) FROM karyo_accesses.roles r" + where, params.toArray());
        return new Page<>(count, limit, offset, rows);
    }

    @Override
    public Role get(Caller caller, long id) {
        resolver.rightsFor(caller);
        return byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    Optional<Role> byId(long id) {
        return jdbc.one(
                "SELECT " + COLUMNS + " FROM karyo_accesses.roles r WHERE r.id = ? AND r.deleted_at IS NULL",
                RoleServiceImpl::role,
                id);
    }

    private List<Role> all() {
        return jdbc.list(
                "SELECT " + COLUMNS + " FROM karyo_accesses.roles r WHERE r.deleted_at IS NULL ORDER BY r.name, r.id",
                RoleServiceImpl::role);
    }

    @Override
    public List<Role> assignable(Caller caller, long perimeterId) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        if (!Rules.visible(Rules.visibleIds(rights, tree), tree, perimeterId)) {
            throw KaryoException.notFound("perimeter", perimeterId);
        }
        Catalog catalog = resolver.catalog();
        return all().stream()
                .filter(r -> Rules.canManage(rights, tree, catalog, r.rights(), perimeterId))
                .toList();
    }

    @Override
    public Page<RoleHolder> holders(Caller caller, long roleId, Optional<String> name, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        if (byId(roleId).isEmpty()) {
            throw KaryoException.notFound(WHAT, roleId);
        }
        long[] visible = Rules.visibleIds(rights, resolver.tree());
        if (visible != null && visible.length == 0) {
            return new Page<>(0, Paging.limit(page), Paging.offset(page), List.of());
        }
        Instant now = settings.clock().instant();
        record Row(String userId, String username, long perimeterId, String perimeterName) {}
        List<Object> params = new ArrayList<>(List.of(roleId, now, now));
        String scope = "";
        if (visible != null) {
            scope = " AND a.perimeter_id = ANY(?)";
            params.add(visible);
        }
        List<Row> rows = jdbc.list(
                """
                SELECT DISTINCT pr.user_id, pr.username, p.id AS perimeter_id, p.name AS perimeter_name
                  FROM karyo_accesses.accesses a
                  JOIN karyo_accesses.profiles pr ON pr.id = a.profile_id AND pr.is_active
                  JOIN karyo_accesses.perimeters p ON p.id = a.perimeter_id AND p.deleted_at IS NULL
                 WHERE a.deleted_at IS NULL AND a.role_id = ? AND a.start_datetime <= ? AND a.end_datetime > ?"""
                        + scope,
                rs -> new Row(
                        rs.getString("user_id"),
                        rs.getString("username"),
                        rs.getLong("perimeter_id"),
                        rs.getString("perimeter_name")),
                params.toArray());
        Map<String, Optional<User>> known = new HashMap<>();
        String needle = name.map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("");
        List<Map.Entry<RoleHolder, String>> holders = new ArrayList<>();
        for (Row r : rows) {
            Optional<User> user = known.computeIfAbsent(r.userId(), users::byId);
            String first = user.map(User::firstname).orElse("");
            String last = user.map(User::lastname).orElse("");
            if (!needle.isEmpty()
                    && !(r.username().toLowerCase(Locale.ROOT).contains(needle)
                            || first.toLowerCase(Locale.ROOT).contains(needle)
                            || last.toLowerCase(Locale.ROOT).contains(needle))) {
                continue;
            }
            String display = user.map(User::displayName).orElse(r.username());
            holders.add(Map.entry(
                    new RoleHolder(r.userId(), r.username(), display, r.perimeterId(), r.perimeterName()),
                    (last + "\u0000" + first + "\u0000" + r.username()).toLowerCase(Locale.ROOT)));
        }
        holders.sort(Map.Entry.<RoleHolder, String>comparingByValue()
                .thenComparing(e -> e.getKey().perimeterId(), Comparator.naturalOrder()));
        return Paging.slice(holders.stream().map(Map.Entry::getKey).toList(), page);
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    private void requireFullAdmin(Caller caller) {
        if (!resolver.rightsFor(caller).fullAdmin()) {
            throw KaryoException.forbidden("Only a full administrator manages roles");
        }
    }

    private static Validator checkName(String name) {
        return new Validator().text(name, "name", 255);
    }

    private void checkRights(Set<String> rights) {
        List<FieldError> errors = Rules.checkRole(rights, resolver.catalog());
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
    }

    private void checkNameFree(String name, long exceptId) {
        if (jdbc.count(
                        "SELECT count(*) FROM karyo_accesses.roles WHERE name = ? AND deleted_at IS NULL AND id <> ?",
                        name,
                        exceptId)
                > 0) {
            throw KaryoException.invalid("name", "is already used by another role");
        }
    }

    @Override
    public Role create(Caller caller, String name, Set<String> rights) {
        requireFullAdmin(caller);
        checkName(name).required(rights, "rights").throwIfInvalid();
        Set<String> keys = new TreeSet<>(rights);
        checkRights(keys);
        String n = name.trim();
        return uow.required(() -> {
            Counters.lock(jdbc);
            checkNameFree(n, -1);
            long id = jdbc.insert("INSERT INTO karyo_accesses.roles (name) VALUES (?) RETURNING id", n);
            insertRights(id, keys);
            audit.record(caller, rightsDetail(AuditEvent.success("accesses.role.create", WHAT, id), keys));
            uow.afterCommit(resolver::catalogChanged);
            return byId(id).orElseThrow();
        });
    }

    private void insertRights(long roleId, Set<String> keys) {
        if (!keys.isEmpty()) {
            jdbc.update(
                    "INSERT INTO karyo_accesses.role_rights (role_id, right_key) SELECT ?, unnest(?::varchar[])",
                    roleId,
                    keys.toArray(String[]::new));
        }
    }

    @Override
    public Role update(Caller caller, long id, Optional<String> name, Optional<Set<String>> rights) {
        requireFullAdmin(caller);
        name.ifPresent(n -> checkName(n).throwIfInvalid());
        return uow.required(() -> {
            Counters.lock(jdbc);
            Role current = byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
            String newName = name.map(String::trim).orElse(current.name());
            Set<String> newRights = rights.<Set<String>>map(TreeSet::new).orElse(current.rights());
            checkRights(newRights);
            checkNameFree(newName, id);
            jdbc.update("UPDATE karyo_accesses.roles SET name = ?, updated_at = now() WHERE id = ?", newName, id);
            if (rights.isPresent() && !newRights.equals(current.rights())) {
                jdbc.update("DELETE FROM karyo_accesses.role_rights WHERE role_id = ?", id);
                insertRights(id, newRights);
                Counters.recount(jdbc, settings.clock().instant());
            }
            AuditEvent event = AuditEvent.success("accesses.role.update", WHAT, id);
            if (name.isPresent()) {
                event = event.with("name_changed", !newName.equals(current.name()));
            }
            if (rights.isPresent()) {
                event = rightsDetail(event, newRights);
            }
            audit.record(caller, event);
            uow.afterCommit(resolver::catalogChanged);
            return byId(id).orElseThrow();
        });
    }

    @Override
    public void delete(Caller caller, long id) {
        requireFullAdmin(caller);
        uow.run(() -> {
            Counters.lock(jdbc);
            Role role = byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
            if (role.has(AccessRights.FULL_ADMIN)) {
                throw KaryoException.forbidden("The full administrator role cannot be deleted");
            }
            if (jdbc.count("SELECT count(*) FROM karyo_accesses.accesses WHERE role_id = ? AND deleted_at IS NULL", id)
                    > 0) {
                throw KaryoException.forbidden("This role is attached to accesses and cannot be deleted");
            }
            jdbc.update("UPDATE karyo_accesses.roles SET deleted_at = now(), updated_at = now() WHERE id = ?", id);
            audit.record(caller, AuditEvent.success("accesses.role.delete", WHAT, id));
            uow.afterCommit(resolver::catalogChanged);
        });
    }

    /** The role's rights as an audit detail: the keys while they fit, else only their number. */
    private static AuditEvent rightsDetail(AuditEvent event, java.util.Collection<String> rights) {
        String joined = String.join(",", rights);
        return joined.length() <= 1000 ? event.with("rights", joined) : event.with("rights_count", rights.size());
    }
}
