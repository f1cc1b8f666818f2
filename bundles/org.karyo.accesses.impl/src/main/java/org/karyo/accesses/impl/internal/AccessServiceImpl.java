package org.karyo.accesses.impl.internal;

import static org.karyo.accesses.api.AccessRights.EXPORT_CSV_XLSX_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_OPPOSED_PATIENTS;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_UNLIMITED;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.NewAccess;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Statement;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessService} with Cohort360's rules: who may manage whose access ({@link Rules#canManage}, which also
 * gives each row's {@code editable}), default and past-date rules, date-only patches, close, delete before start, and
 * the caller's own views. Lists are filtered in SQL to the nodes where the caller manages accesses. Every write takes
 * the module's write lock, is audited, recounts the user counters and drops the rights cache after commit.
 */
@Component(service = AccessService.class)
public final class AccessServiceImpl implements AccessService {

    private static final Logger LOG = LoggerFactory.getLogger(AccessServiceImpl.class);
    private static final String WHAT = "access";
    private static final Duration PAST_TOLERANCE = Duration.ofSeconds(10);

    /** The live accesses, with their user, role and perimeter names. */
    static final Select ACCESSES = Select.of(
                    "a.id, a.profile_id, pr.user_id, pr.username, a.role_id, r.name AS role_name, a.perimeter_id,"
                            + " p.name AS perimeter_name, a.start_datetime, a.end_datetime, a.source, a.created_by,"
                            + " a.updated_by, a.created_at, a.updated_at",
                    "karyo_accesses.accesses a"
                            + " JOIN karyo_accesses.profiles pr ON pr.id = a.profile_id"
                            + " JOIN karyo_accesses.roles r ON r.id = a.role_id"
                            + " LEFT JOIN karyo_accesses.perimeters p ON p.id = a.perimeter_id AND p.deleted_at IS NULL")
            .where("a.deleted_at IS NULL");

    /**
     * The live accesses' ids, from the accesses table alone: a list pages and counts on it (the indexes of
     * {@code accesses} serve the filters, and the count reads no other table), then reads the page's rows by id.
     */
    private static final Select ACCESS_IDS =
            Select.of("a.id", "karyo_accesses.accesses a").where("a.deleted_at IS NULL");

    /** The orderings that need the joined names (the page's ids then come from the joined rows). */
    private static final Set<String> ORDERED_BY_NAMES = Set.of("role_name", "perimeter_name", "username");

    private final Sql sql;
    private final Writes writes;
    private final RightsResolverImpl resolver;
    private final UserService users;
    private final AccessesSettings settings;

    /** Pages of the list read recently: an administration screen pages, sorts and reloads the same few. */
    private final PageCache<Page<Row>> pages;

    private static final int PAGES_CACHED = 256;

    @Activate
    public AccessServiceImpl(
            @Reference AccessesStore store,
            @Reference RightsResolverImpl resolver,
            @Reference UserService users,
            @Reference AccessesSettings settings) {
        this.sql = store.sql();
        this.writes = store.writes();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.users = Objects.requireNonNull(users, "users");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pages = new PageCache<>(PAGES_CACHED, settings.cacheTtl().toMillis(), () -> settings.clock()
                .millis());
    }

    /** A stored access, before the caller-dependent {@code editable}. */
    private record Row(
            long id,
            long profileId,
            String userId,
            String username,
            long roleId,
            String roleName,
            Long perimeterId,
            String perimeterName,
            Instant start,
            Instant end,
            String source,
            String createdBy,
            String updatedBy,
            Instant createdAt,
            Instant updatedAt) {

        Access toAccess(Instant now, boolean editable) {
            return new Access(
                    id,
                    profileId,
                    userId,
                    username,
                    roleId,
                    roleName,
                    Optional.ofNullable(perimeterId),
                    Optional.ofNullable(perimeterId == null ? null : perimeterName),
                    start,
                    end,
                    source,
                    !start.isAfter(now) && now.isBefore(end),
                    editable,
                    Optional.ofNullable(createdBy),
                    Optional.ofNullable(updatedBy),
                    createdAt,
                    updatedAt);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getLong("profile_id"),
                rs.getString("user_id"),
                rs.getString("username"),
                rs.getLong("role_id"),
                rs.getString("role_name"),
                Sql.nullableLong(rs, "perimeter_id"),
                rs.getString("perimeter_name"),
                Sql.instant(rs, "start_datetime"),
                Sql.instant(rs, "end_datetime"),
                rs.getString("source"),
                rs.getString("created_by"),
                rs.getString("updated_by"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    private Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The caller-dependent view of a row. */
    private final class Viewer {
        final UserRightsImpl rights;
        final Tree tree = resolver.tree();
        final Catalog catalog = resolver.catalog();
        final Instant now = now();

        Viewer(UserRightsImpl rights) {
            this.rights = rights;
        }

        /** Whether the caller manages (role, perimeter), memoised for the rows of one request. */
        private final Map<List<Long>, Boolean> manages = new HashMap<>();

        boolean canManage(long roleId, Long perimeterId) {
            return manages.computeIfAbsent(Arrays.asList(roleId, perimeterId), k -> decide(roleId, perimeterId));
        }

        private boolean decide(long roleId, Long perimeterId) {
            Set<String> roleRights =
                    catalog.role(roleId).map(Catalog.RoleInfo::rights).orElse(Set.of());
            return Rules.canManage(rights, tree, catalog, roleRights, perimeterId);
        }

        Access view(Row r) {
            return r.toAccess(now, canManage(r.roleId(), r.perimeterId()));
        }
    }

    // ---- object access --------------------------------------------------------------------------------------------

    private Optional<Row> load(long id, boolean lock) {
        Select one = ACCESSES.eq("a.id", id);
        if (lock) {
            // a row lock (FOR UPDATE OF a), held until the write commits: the statement of the same query
            Statement st = one.statement();
            return sql.one(new Statement(st.sql() + " FOR UPDATE OF a", st.params()), AccessServiceImpl::row);
        }
        return sql.one(one, AccessServiceImpl::row);
    }

    /** An access the caller may manage; NOT_FOUND otherwise, so that others' accesses stay unknown. */
    private Row manageable(Viewer viewer, long id, boolean lock) {
        Row r = load(id, lock).orElseThrow(() -> KaryoException.notFound(WHAT, id));
        if (!viewer.canManage(r.roleId(), r.perimeterId())) {
            throw KaryoException.notFound(WHAT, id);
        }
        return r;
    }

    @Override
    public Access get(Caller caller, long id) {
        Viewer viewer = new Viewer(resolver.rightsFor(caller));
        return viewer.view(manageable(viewer, id, false));
    }

    // ---- list -----------------------------------------------------------------------------------------------------

    private static final Map<String, String> ORDERING = Map.ofEntries(
            Map.entry("id", "a.id"),
            Map.entry("start_datetime", "a.start_datetime"),
            Map.entry("end_datetime", "a.end_datetime"),
            Map.entry("created_by", "a.created_by"),
            Map.entry("updated_by", "a.updated_by"),
            Map.entry("created_at", "a.created_at"),
            Map.entry("role_name", "r.name"),
            Map.entry("perimeter_name", "p.name"),
            Map.entry("username", "pr.username"));

    /** Cohort360's default: the latest start first. */
    private static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("start_datetime", true));

    @Override
    public Page<Access> list(Caller caller, AccessQuery query, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        AccessQuery q = query == null ? AccessQuery.ALL : query;
        Scope scope = Rules.managementScope(rights);
        if (scope.isEmpty()) {
            throw KaryoException.forbidden("Listing accesses needs an access-management right");
        }
        Viewer viewer = new Viewer(rights);
        Instant now = viewer.now;
        PageRequest p = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, List.of()) : page;
        if (p.ordering().isEmpty()) {
            p = new PageRequest(p.limit(), p.offset(), DEFAULT_ORDERING);
        }
        boolean byNames = p.ordering().stream().anyMatch(o -> ORDERED_BY_NAMES.contains(o.field()));
        Select select = byNames ? ACCESSES.withColumns("a.id") : ACCESS_IDS;
        Optional<Boolean> valid = q.valid();
        if (q.perimeterId().isPresent()) {
            select = onPerimeter(select, rights, viewer.tree, scope, q);
            if (valid.isEmpty()) {
                valid = Optional.of(true); // Cohort360: accesses on a perimeter are its valid ones
            }
        } else {
            select = select.scope("a.perimeter_id", scope);
        }
        select = select.eq("a.role_id", q.roleId())
                .eq("a.profile_id", q.profileId())
                .whereIf(
                        q.userId().filter(s -> !s.isBlank()).isPresent(),
                        "a.profile_id IN (SELECT u.id FROM karyo_accesses.profiles u WHERE u.user_id = ?)",
                        q.userId().orElse(null))
                .eq("a.source", q.source().filter(s -> !s.isBlank()));
        if (valid.isPresent()) {
            select = select.where(
                    (valid.get() ? "" : "NOT ") + "(a.start_datetime <= ? AND a.end_datetime > ?)", now, now);
        }
        Map<String, String> ordering = new HashMap<>(ORDERING);
        // the instant is the server's own, written as a constant: an ORDER BY expression has no parameters
        ordering.put(
                "is_valid",
                "(a.start_datetime <= TIMESTAMPTZ '" + now + "' AND a.end_datetime > TIMESTAMPTZ '" + now + "')");
        Select paged = select.page(p, AccessesStore.MAX_LIMIT, ordering, "a.id");
        // a page that depends on the instant (validity as filter or order) is not kept: the next read differs
        boolean timeless = valid.isEmpty()
                && p.ordering().stream().noneMatch(o -> o.field().equals("is_valid"));
        Statement st = paged.statement();
        String key =
                timeless ? st.sql() + '\u0000' + Arrays.deepToString(st.params().toArray()) : null;
        long generation = resolver.generation();
        Page<Row> rows = key == null ? null : pages.get(key, generation);
        if (rows == null) {
            rows = sql.pageByIds(paged, "a.id", ACCESSES, AccessServiceImpl::row);
            if (key != null) {
                pages.put(key, generation, rows);
            }
        }
        return new Page<>(
                rows.count(),
                rows.limit(),
                rows.offset(),
                rows.results().stream().map(viewer::view).toList());
    }

    /**
     * The accesses on the query's perimeter (and its subtree, with {@code include_children}) that the caller manages,
     * and with {@code include_parents} the read-only accesses on its ancestors whose role holds an inherited right.
     */
    private static Select onPerimeter(Select select, UserRightsImpl rights, Tree tree, Scope scope, AccessQuery q) {
        long pid = q.perimeterId().orElseThrow();
        int node = tree.index(pid);
        if (node < 0 || !Rules.visible(Rules.visibleIds(rights, tree), tree, pid)) {
            throw KaryoException.notFound("perimeter", pid);
        }
        boolean[] marks = new boolean[tree.size()];
        if (q.includeChildren()) {
            tree.markSubtree(node, marks);
        }
        marks[node] = true;
        List<Object> params = new ArrayList<>();
        StringBuilder condition = new StringBuilder("(");
        if (!scope.isAll()) {
            condition.append("a.perimeter_id = ANY(?) AND ");
            params.add(scope.boxedPerimeterIds());
        }
        condition.append("a.perimeter_id = ANY(?))");
        params.add(tree.idsOf(marks));
        if (q.includeParents() && scope.contains(pid)) {
            condition.append(
                    """
                     OR (a.perimeter_id = ANY(?) AND EXISTS (
                            SELECT 1 FROM karyo_accesses.role_rights rr
                              JOIN karyo_accesses.rights x ON x.key = rr.right_key
                             WHERE rr.role_id = a.role_id AND x.active AND x.scope = 'INHERITED'))""");
            params.add(tree.ancestorIds(node));
        }
        return select.where(condition.toString(), params.toArray());
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    @Override
    public Access create(Caller caller, NewAccess access) {
        Objects.requireNonNull(access, "access");
        UserRightsImpl rights = resolver.rightsFor(caller);
        Viewer viewer = new Viewer(rights);
        Instant now = viewer.now;
        Instant start =
                access.start().map(t -> t.truncatedTo(ChronoUnit.MILLIS)).orElse(now);
        Instant end = access.end()
                .map(t -> t.truncatedTo(ChronoUnit.MILLIS))
                .orElse(start.plus(Duration.ofDays(settings.validityDays())));
        Validator v = new Validator();
        boolean byName = access.username().filter(s -> !s.isBlank()).isPresent();
        v.check(byName || access.profileId().isPresent(), "username", "give the user's username or a profile_id");
        v.check(!(byName && access.profileId().isPresent()), "profile_id", "give a username or a profile_id, not both");
        v.check(access.roleId() > 0, "role_id", "is required");
        v.check(access.perimeterId() > 0, "perimeter_id", "is required");
        checkDates(v, Optional.of(start), Optional.of(end), null, null, now);
        v.throwIfInvalid();

        long perimeterId = access.perimeterId();
        Tree tree = viewer.tree;
        if (!Rules.visible(Rules.visibleIds(rights, tree), tree, perimeterId)) {
            throw KaryoException.notFound("perimeter", perimeterId);
        }
        Catalog.RoleInfo role = viewer.catalog
                .role(access.roleId())
                .orElseThrow(() -> KaryoException.invalid("role_id", "no such role"));
        if (!viewer.canManage(role.id(), perimeterId)) {
            throw KaryoException.forbidden("You may not grant this role on this perimeter");
        }
        Access created = writes.write(WHAT, tx -> {
            Counters.lock(tx);
            if (!tx.sql()
                    .exists(Select.of("r.id", "karyo_accesses.roles r")
                            .eq("r.id", role.id())
                            .where("r.deleted_at IS NULL"))) {
                throw KaryoException.invalid("role_id", "no such role");
            }
            long profileId;
            String userId;
            if (access.profileId().isPresent()) {
                long pid = access.profileId().get();
                userId = tx.sql()
                        .one(
                                Select.of("pr.user_id", "karyo_accesses.profiles pr")
                                        .eq("pr.id", pid),
                                rs -> rs.getString(1))
                        .orElseThrow(() -> KaryoException.invalid("profile_id", "no such profile"));
                profileId = pid;
            } else {
                String username = access.username().get().trim();
                User user = users.find(username).orElseThrow(() -> KaryoException.invalid("username", "no such user"));
                ProfileServiceImpl.ManualProfile profile =
                        ProfileServiceImpl.manualProfile(tx, user.id(), user.username());
                if (profile.created()) {
                    tx.audit(
                            caller,
                            AuditEvent.success("accesses.profile.create", "profile", profile.id())
                                    .with("user_id", user.id()));
                }
                userId = user.id();
                profileId = profile.id();
            }
            refuseOverlap(tx, profileId, role.id(), perimeterId, start, end);
            long id = tx.insert(
                    """
                    INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime,
                           end_datetime, source, created_by, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                    profileId,
                    role.id(),
                    perimeterId,
                    start,
                    end,
                    ProfileServiceImpl.MANUAL,
                    caller.id(),
                    caller.id());
            Counters.recount(tx, now);
            tx.audit(
                    caller,
                    AuditEvent.success("accesses.access.create", WHAT, id)
                            .with("profile_id", profileId)
                            .with("user_id", userId)
                            .with("role_id", role.id())
                            .with("perimeter_id", perimeterId));
            tx.afterCommit(resolver::accessesChanged);
            return viewer.view(load(id, false).orElseThrow());
        });
        LOG.debug("Access {} created by {}", created.id(), caller.id());
        return created;
    }

    /**
     * Refuses an access that the user already has: same profile, role and perimeter, with a period that overlaps
     * (CONFLICT naming the existing access, in {@code existing_access_id}). Runs under the module's write lock, so two
     * identical grants at the same time cannot both pass.
     */
    private static void refuseOverlap(
            Writes.Tx tx, long profileId, long roleId, long perimeterId, Instant start, Instant end) {
        Optional<Row> existing = tx.sql()
                .one(
                        ACCESSES.eq("a.profile_id", profileId)
                                .eq("a.role_id", roleId)
                                .eq("a.perimeter_id", perimeterId)
                                .where("a.start_datetime < ? AND a.end_datetime > ?", end, start)
                                .orderBy("a.id")
                                .limit(1, 0),
                        AccessServiceImpl::row);
        if (existing.isPresent()) {
            Row r = existing.get();
            throw new KaryoException(
                    Kind.CONFLICT,
                    "conflict",
                    "The user already has this access: access " + r.id() + " (" + r.roleName() + " on "
                            + (r.perimeterName() == null ? "perimeter " + perimeterId : r.perimeterName()) + ", from "
                            + r.start() + " until " + r.end() + ")",
                    null,
                    Map.of("existing_access_id", r.id()),
                    null);
        }
    }

    /**
     * Cohort360's {@code check_access_dates}: a date that already passed cannot change; neither date may be in the
     * past (10 s tolerance); the end may not precede the start.
     */
    private static void checkDates(
            Validator v,
            Optional<Instant> newStart,
            Optional<Instant> newEnd,
            Instant oldStart,
            Instant oldEnd,
            Instant now) {
        if (oldStart != null && newStart.isPresent() && !newStart.get().equals(oldStart) && oldStart.isBefore(now)) {
            v.check(false, "start_datetime", "has already passed and cannot be changed");
        }
        if (oldEnd != null && newEnd.isPresent() && !newEnd.get().equals(oldEnd) && oldEnd.isBefore(now)) {
            v.check(false, "end_datetime", "has already passed and cannot be changed");
        }
        newStart.ifPresent(s -> {
            boolean unchanged = s.equals(oldStart);
            v.check(unchanged || !s.plus(PAST_TOLERANCE).isBefore(now), "start_datetime", "cannot be in the past");
        });
        newEnd.ifPresent(e -> {
            boolean unchanged = e.equals(oldEnd);
            v.check(unchanged || !e.plus(PAST_TOLERANCE).isBefore(now), "end_datetime", "cannot be in the past");
        });
        Instant start = newStart.orElse(oldStart);
        Instant end = newEnd.orElse(oldEnd);
        if (start != null && end != null) {
            v.check(!end.isBefore(start), "end_datetime", "cannot precede the start");
        }
    }

    @Override
    public Access patchDates(Caller caller, long id, Optional<Instant> start, Optional<Instant> end) {
        Viewer viewer = new Viewer(resolver.rightsFor(caller));
        Optional<Instant> s = start.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
        Optional<Instant> e = end.map(t -> t.truncatedTo(ChronoUnit.MILLIS));
        return writes.write(WHAT, tx -> {
            Counters.lock(tx);
            Row r = manageable(viewer, id, true);
            Validator v = new Validator();
            v.check(s.isPresent() || e.isPresent(), "start_datetime", "give start_datetime, end_datetime or both");
            checkDates(v, s, e, r.start(), r.end(), viewer.now);
            v.throwIfInvalid();
            tx.update(
                    "UPDATE karyo_accesses.accesses SET start_datetime = ?, end_datetime = ?, updated_by = ?,"
                            + " updated_at = now() WHERE id = ?",
                    s.orElse(r.start()),
                    e.orElse(r.end()),
                    caller.id(),
                    id);
            Counters.recount(tx, viewer.now);
            AuditEvent event = AuditEvent.success("accesses.access.update", WHAT, id);
            if (s.isPresent()) {
                event = event.with("start_datetime", s.get());
            }
            if (e.isPresent()) {
                event = event.with("end_datetime", e.get());
            }
            tx.audit(caller, event);
            tx.afterCommit(resolver::accessesChanged);
            return viewer.view(load(id, false).orElseThrow());
        });
    }

    @Override
    public Access close(Caller caller, long id) {
        Viewer viewer = new Viewer(resolver.rightsFor(caller));
        Instant now = viewer.now;
        return writes.write(WHAT, tx -> {
            Counters.lock(tx);
            Row r = manageable(viewer, id, true);
            if (!r.end().isAfter(now)) {
                throw KaryoException.invalid("end_datetime", "the access has already ended");
            }
            if (r.start().isAfter(now)) {
                throw KaryoException.invalid("start_datetime", "the access has not started yet");
            }
            tx.update(
                    "UPDATE karyo_accesses.accesses SET end_datetime = ?, updated_by = ?, updated_at = now()"
                            + " WHERE id = ?",
                    now,
                    caller.id(),
                    id);
            Counters.recount(tx, now);
            tx.audit(caller, AuditEvent.success("accesses.access.close", WHAT, id));
            tx.afterCommit(resolver::accessesChanged);
            return viewer.view(load(id, false).orElseThrow());
        });
    }

    @Override
    public void delete(Caller caller, long id) {
        Viewer viewer = new Viewer(resolver.rightsFor(caller));
        writes.run(WHAT, tx -> {
            Counters.lock(tx);
            Row r = manageable(viewer, id, true);
            if (r.start().isBefore(viewer.now)) {
                throw KaryoException.invalid("start_datetime", "the access has started: close it instead");
            }
            tx.update(
                    "UPDATE karyo_accesses.accesses SET deleted_at = now(), updated_by = ?, updated_at = now()"
                            + " WHERE id = ?",
                    caller.id(),
                    id);
            Counters.recount(tx, viewer.now);
            tx.audit(caller, AuditEvent.success("accesses.access.delete", WHAT, id));
            tx.afterCommit(resolver::accessesChanged);
        });
    }

    /** Recounts the per-perimeter user counters now (also run by the periodic refresh). */
    int recountUsers() {
        return writes.write("user counters", tx -> {
            Counters.lock(tx);
            return Counters.recount(tx, now());
        });
    }

    // ---- the caller's own views -----------------------------------------------------------------------------------

    @Override
    public List<Access> myAccesses(Caller caller, boolean expiring) {
        Viewer viewer = new Viewer(resolver.rightsFor(caller));
        Instant now = viewer.now;
        List<Row> rows = sql.list(
                ACCESSES.eq("pr.user_id", caller.id())
                        .where("pr.is_active AND a.start_datetime <= ? AND a.end_datetime > ?", now, now)
                        .whereIf(
                                expiring, "a.end_datetime <= ?", now.plus(Duration.ofDays(settings.expiryWindowDays())))
                        .orderBy("a.end_datetime, a.id"),
                AccessServiceImpl::row);
        if (expiring) {
            Map<Long, Row> earliest = new LinkedHashMap<>();
            for (Row r : rows) { // ordered by end: the first per perimeter is the earliest-ending
                earliest.putIfAbsent(r.perimeterId() == null ? -1L : r.perimeterId(), r);
            }
            rows = List.copyOf(earliest.values());
        }
        return rows.stream().map(viewer::view).toList();
    }

    /** Mutable per-node read flags (Cohort360's {@code DataRight}). */
    private static final class Flags {
        boolean nominative;
        boolean pseudonymized;
    }

    @Override
    public List<DataRight> myDataRights(Caller caller, List<Long> perimeterIds) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        Map<Long, Flags> base = new HashMap<>();
        for (UserRightsImpl.Grant g : rights.grants()) {
            if (g.perimeterId() == null || !tree.contains(g.perimeterId())) {
                continue;
            }
            boolean nomi = rights.grantHas(g, READ_PATIENT_NOMINATIVE);
            boolean pseudo = rights.grantHas(g, READ_PATIENT_PSEUDONYMIZED);
            if (nomi || pseudo) {
                Flags f = base.computeIfAbsent(g.perimeterId(), k -> new Flags());
                f.nominative |= nomi;
                f.pseudonymized |= pseudo;
            }
        }
        Set<Long> targets = new HashSet<>();
        if (perimeterIds != null) {
            for (Long id : perimeterIds) {
                if (id != null && tree.contains(id)) {
                    targets.add(id);
                }
            }
        }
        Set<Long> rows = new HashSet<>(base.keySet());
        rows.addAll(targets);
        if (perimeterIds != null && !perimeterIds.isEmpty()) {
            rows.retainAll(targets);
        }
        Map<Long, Flags> merged = new HashMap<>();
        for (long id : rows) {
            Flags f = new Flags();
            int node = tree.index(id);
            for (long a : concat(tree.ancestorIds(node), id)) {
                Flags b = base.get(a);
                if (b != null) {
                    f.nominative |= b.nominative;
                    f.pseudonymized |= b.pseudonymized;
                }
            }
            if (f.nominative || f.pseudonymized) {
                merged.put(id, f);
            }
        }
        Map<Long, String> names = names(merged.keySet());
        boolean ipp = rights.has(SEARCH_PATIENTS_BY_IPP);
        boolean opposed = rights.has(SEARCH_OPPOSED_PATIENTS);
        boolean csv = rights.has(EXPORT_CSV_XLSX_NOMINATIVE);
        boolean jupyterNomi = rights.has(EXPORT_JUPYTER_NOMINATIVE);
        boolean jupyterPseudo = rights.has(EXPORT_JUPYTER_PSEUDONYMIZED);
        return merged.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new DataRight(
                        e.getKey(),
                        names.getOrDefault(e.getKey(), ""),
                        e.getValue().nominative,
                        e.getValue().pseudonymized,
                        ipp,
                        opposed,
                        csv,
                        jupyterNomi,
                        jupyterPseudo))
                .toList();
    }

    private static long[] concat(long[] ancestors, long id) {
        long[] out = Arrays.copyOf(ancestors, ancestors.length + 1);
        out[ancestors.length] = id;
        return out;
    }

    private record NameAndPath(String name, String path) {}

    private Map<Long, NameAndPath> namesAndPaths(Set<Long> ids) {
        Map<Long, NameAndPath> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        sql.list(
                Select.of("p.id, p.name, p.full_path", "karyo_accesses.perimeters p")
                        .in("p.id", ids),
                rs -> out.put(rs.getLong(1), new NameAndPath(rs.getString(2), rs.getString(3))));
        return out;
    }

    private Map<Long, String> names(Set<Long> ids) {
        Map<Long, String> out = new HashMap<>();
        namesAndPaths(ids).forEach((id, np) -> out.put(id, np.name()));
        return out;
    }

    /**
     * Cohort360's {@code patient-data/rights}: one row per top node with a read right (a nominative node without a
     * nominative ancestor; a pseudonymised-or-nominative node without such an ancestor nor a top nominative one), its
     * flags taken from itself and its ancestors, sorted by full path.
     */
    @Override
    public Page<DataRight> patientDataRights(Caller caller, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        Set<Long> nominative = new HashSet<>();
        Set<Long> readable = new HashSet<>();
        for (UserRightsImpl.Grant g : rights.grants()) {
            if (g.perimeterId() == null || !tree.contains(g.perimeterId())) {
                continue;
            }
            boolean nomi = rights.grantHas(g, READ_PATIENT_NOMINATIVE);
            if (nomi) {
                nominative.add(g.perimeterId());
            }
            if (nomi || rights.grantHas(g, READ_PATIENT_PSEUDONYMIZED)) {
                readable.add(g.perimeterId());
            }
        }
        Set<Long> topNominative = new HashSet<>();
        for (long id : nominative) {
            if (!anyIn(tree.ancestorIds(tree.index(id)), nominative)) {
                topNominative.add(id);
            }
        }
        Set<Long> topReadable = new HashSet<>();
        for (long id : readable) {
            long[] ancestors = tree.ancestorIds(tree.index(id));
            if (!anyIn(ancestors, readable) && !anyIn(ancestors, topNominative) && !topNominative.contains(id)) {
                topReadable.add(id);
            }
        }
        Set<Long> targets = new HashSet<>(topNominative);
        targets.addAll(topReadable);
        Map<Long, NameAndPath> info = namesAndPaths(targets);
        boolean ipp = rights.has(SEARCH_PATIENTS_BY_IPP);
        boolean opposed = rights.has(SEARCH_OPPOSED_PATIENTS);
        boolean csv = rights.has(EXPORT_CSV_XLSX_NOMINATIVE);
        boolean jupyterNomi = rights.has(EXPORT_JUPYTER_NOMINATIVE);
        boolean jupyterPseudo = rights.has(EXPORT_JUPYTER_PSEUDONYMIZED);
        List<DataRight> out = new ArrayList<>();
        for (long id : targets) {
            long[] chain = concat(tree.ancestorIds(tree.index(id)), id);
            boolean nomi = anyIn(chain, topNominative);
            boolean pseudo = nomi || anyIn(chain, topReadable);
            NameAndPath np = info.getOrDefault(id, new NameAndPath("", ""));
            out.add(new DataRight(id, np.name(), nomi, pseudo, ipp, opposed, csv, jupyterNomi, jupyterPseudo));
        }
        out.sort(Comparator.comparing((DataRight d) -> info.getOrDefault(d.perimeterId(), new NameAndPath("", ""))
                        .path())
                .thenComparingLong(DataRight::perimeterId));
        return AccessesStore.slice(out, page);
    }

    private static boolean anyIn(long[] ids, Set<Long> set) {
        for (long id : ids) {
            if (set.contains(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ReadPermission patientDataRead(
            Caller caller, List<Long> perimeterIds, List<String> cohortIds, ReadMode mode) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        List<Long> ids = perimeterIds == null ? List.of() : perimeterIds;
        List<String> cohorts = cohortIds == null ? List.of() : cohortIds;
        new Validator()
                .check(mode != null, "mode", "is required: min or max")
                .check(!ids.isEmpty() || !cohorts.isEmpty(), "cohort_ids", "is required")
                .throwIfInvalid();
        boolean practitioner = rights.has(MANAGE_USERS);
        if (rights.has(SEARCH_PATIENTS_UNLIMITED)) {
            return new ReadPermission(true, true, true, practitioner);
        }
        List<Long> targets = sql.list(
                Select.of("p.id", "karyo_accesses.perimeters p")
                        .where("p.deleted_at IS NULL")
                        .where(
                                "p.id = ANY(?) OR p.cohort_id = ANY(?)",
                                ids.toArray(Long[]::new),
                                cohorts.toArray(String[]::new))
                        .orderBy("p.id"),
                rs -> rs.getLong(1));
        if (targets.isEmpty()) {
            throw new KaryoException(
                    Kind.NOT_FOUND, "not-found", "None of the target perimeters was found", null, null, null);
        }
        boolean all = true;
        boolean any = false;
        boolean allNominative = true;
        boolean anyNominative = false;
        for (long t : targets) {
            boolean nomi = rights.hasOn(READ_PATIENT_NOMINATIVE, t);
            boolean read = nomi || rights.hasOn(READ_PATIENT_PSEUDONYMIZED, t);
            all &= read;
            any |= read;
            allNominative &= nomi;
            anyNominative |= nomi;
        }
        boolean allowed = mode == ReadMode.MIN ? all : any;
        if (!allowed) {
            throw new KaryoException(
                    Kind.NOT_FOUND, "not-found", "No data reading access on the target perimeters", null, null, null);
        }
        return new ReadPermission(
                mode == ReadMode.MIN ? allNominative : anyNominative,
                rights.has(SEARCH_OPPOSED_PATIENTS),
                false,
                practitioner);
    }

    @Override
    public List<Access> endingBetween(Instant from, Instant to) {
        Instant now = now();
        return sql
                .list(
                        ACCESSES.where(
                                        "pr.is_active AND a.start_datetime <= ? AND a.end_datetime > ?"
                                                + " AND a.end_datetime >= ? AND a.end_datetime < ?",
                                        now,
                                        now,
                                        from,
                                        to)
                                .orderBy("a.end_datetime, a.id"),
                        AccessServiceImpl::row)
                .stream()
                .map(r -> r.toAccess(now, false))
                .toList();
    }
}
