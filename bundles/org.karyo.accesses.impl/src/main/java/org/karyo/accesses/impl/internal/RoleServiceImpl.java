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
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
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

    private static final Select ROLES =
            Select.of(COLUMNS, "karyo_accesses.roles r").where("r.deleted_at IS NULL");
    private static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("name", false));

    private final Sql sql;
    private final Writes writes;
    private final RightsResolverImpl resolver;
    private final UserService users;
    private final AccessesSettings settings;

    @Activate
    public RoleServiceImpl(
            @Reference AccessesStore store,
            @Reference RightsResolverImpl resolver,
            @Reference UserService users,
            @Reference AccessesSettings settings) {
        this.sql = store.sql();
        this.writes = store.writes();
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
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public Page<Role> list(Caller caller, Optional<String> name, Set<String> withRights, PageRequest page) {
        resolver.rightsFor(caller);
        Set<String> wanted = withRights == null ? Set.of() : new LinkedHashSet<>(withRights);
        PageRequest p = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, List.of()) : page;
        if (p.ordering().isEmpty()) {
            p = new PageRequest(p.limit(), p.offset(), DEFAULT_ORDERING);
        }
        return sql.page(
                ROLES.search(name.orElse(null), "r.name")
                        .whereIf(
                                !wanted.isEmpty(),
                                "(SELECT count(*) FROM karyo_accesses.role_rights rr WHERE rr.role_id = r.id"
                                        + " AND rr.right_key = ANY(?)) = ?",
                                wanted.toArray(String[]::new),
                                wanted.size())
                        .page(p, AccessesStore.MAX_LIMIT, ORDERING, "r.id"),
                RoleServiceImpl::role);
    }

    @Override
    public Role get(Caller caller, long id) {
        resolver.rightsFor(caller);
        return byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    Optional<Role> byId(long id) {
        return sql.one(ROLES.eq("r.id", id), RoleServiceImpl::role);
    }

    private List<Role> all() {
        return sql.list(ROLES.orderBy("r.name, r.id"), RoleServiceImpl::role);
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
            return AccessesStore.slice(List.of(), page);
        }
        Instant now = settings.clock().instant();
        record Row(String userId, String username, long perimeterId, String perimeterName) {}
        List<Row> rows = sql.list(
                Select.of(
                                "DISTINCT pr.user_id, pr.username, p.id AS perimeter_id, p.name AS perimeter_name",
                                "karyo_accesses.accesses a"
                                        + " JOIN karyo_accesses.profiles pr ON pr.id = a.profile_id AND pr.is_active"
                                        + " JOIN karyo_accesses.perimeters p ON p.id = a.perimeter_id"
                                        + " AND p.deleted_at IS NULL")
                        .where("a.deleted_at IS NULL")
                        .eq("a.role_id", roleId)
                        .where("a.start_datetime <= ? AND a.end_datetime > ?", now, now)
                        .whereIf(visible != null, "a.perimeter_id = ANY(?)", (Object) visible),
                rs -> new Row(
                        rs.getString("user_id"),
                        rs.getString("username"),
                        rs.getLong("perimeter_id"),
                        rs.getString("perimeter_name")));
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
        return AccessesStore.slice(holders.stream().map(Map.Entry::getKey).toList(), page);
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

    private void checkNameFree(Writes.Tx tx, String name, long exceptId) {
        if (tx.sql().exists(ROLES.eq("r.name", name).where("r.id <> ?", exceptId))) {
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
        return writes.write(WHAT, tx -> {
            Counters.lock(tx);
            checkNameFree(tx, n, -1);
            long id = tx.insert("INSERT INTO karyo_accesses.roles (name) VALUES (?) RETURNING id", n);
            insertRights(tx, id, keys);
            tx.audit(caller, rightsDetail(AuditEvent.success("accesses.role.create", WHAT, id), keys));
            tx.afterCommit(resolver::catalogChanged);
            return byId(id).orElseThrow();
        });
    }

    private static void insertRights(Writes.Tx tx, long roleId, Set<String> keys) {
        if (!keys.isEmpty()) {
            tx.update(
                    "INSERT INTO karyo_accesses.role_rights (role_id, right_key) SELECT ?, unnest(?::varchar[])",
                    roleId,
                    keys.toArray(String[]::new));
        }
    }

    @Override
    public Role update(Caller caller, long id, Optional<String> name, Optional<Set<String>> rights) {
        requireFullAdmin(caller);
        name.ifPresent(n -> checkName(n).throwIfInvalid());
        return writes.write(WHAT, tx -> {
            Counters.lock(tx);
            Role current = byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
            String newName = name.map(String::trim).orElse(current.name());
            Set<String> newRights = rights.<Set<String>>map(TreeSet::new).orElse(current.rights());
            checkRights(newRights);
            checkNameFree(tx, newName, id);
            tx.update("UPDATE karyo_accesses.roles SET name = ?, updated_at = now() WHERE id = ?", newName, id);
            if (rights.isPresent() && !newRights.equals(current.rights())) {
                tx.update("DELETE FROM karyo_accesses.role_rights WHERE role_id = ?", id);
                insertRights(tx, id, newRights);
                Counters.recount(tx, settings.clock().instant());
            }
            AuditEvent event = AuditEvent.success("accesses.role.update", WHAT, id);
            if (name.isPresent()) {
                event = event.with("name_changed", !newName.equals(current.name()));
            }
            if (rights.isPresent()) {
                event = rightsDetail(event, newRights);
            }
            tx.audit(caller, event);
            tx.afterCommit(resolver::catalogChanged);
            return byId(id).orElseThrow();
        });
    }

    @Override
    public void delete(Caller caller, long id) {
        requireFullAdmin(caller);
        writes.run(WHAT, tx -> {
            Counters.lock(tx);
            Role role = byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
            if (role.has(AccessRights.FULL_ADMIN)) {
                throw KaryoException.forbidden("The full administrator role cannot be deleted");
            }
            if (tx.sql()
                    .exists(Select.of("a.id", "karyo_accesses.accesses a")
                            .eq("a.role_id", id)
                            .where("a.deleted_at IS NULL"))) {
                throw KaryoException.forbidden("This role is attached to accesses and cannot be deleted");
            }
            tx.update("UPDATE karyo_accesses.roles SET deleted_at = now(), updated_at = now() WHERE id = ?", id);
            tx.audit(caller, AuditEvent.success("accesses.role.delete", WHAT, id));
            tx.afterCommit(resolver::catalogChanged);
        });
    }

    /** The role's rights as an audit detail: the keys while they fit, else only their number. */
    private static AuditEvent rightsDetail(AuditEvent event, java.util.Collection<String> rights) {
        String joined = String.join(",", rights);
        return joined.length() <= 1000 ? event.with("rights", joined) : event.with("rights_count", rights.size());
    }
}
