package org.karyo.accesses.impl.internal;

import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PerimeterService} on PostgreSQL. Every read is filtered in SQL to the nodes the caller may see
 * ({@link Rules#visibleIds}); writes take the module's write lock, keep {@code level}, {@code above_levels_ids} and
 * {@code full_path} in step, and rebuild the in-memory tree after commit.
 */
@Component(service = PerimeterService.class)
public final class PerimeterServiceImpl implements PerimeterService {

    private static final Logger LOG = LoggerFactory.getLogger(PerimeterServiceImpl.class);
    private static final String WHAT = "perimeter";

    static final String COLUMNS =
            "p.id, p.local_id, p.name, p.short_name, p.source_value, p.type, p.parent_id, p.level, p.above_levels_ids,"
                    + " p.full_path, p.cohort_id, p.cohort_size, p.count_allowed_users,"
                    + " p.count_allowed_users_inferior_levels, p.count_allowed_users_above_levels, p.owner, p.created_at";

    private static final Map<String, String> ORDERING = Map.ofEntries(
            Map.entry("id", "p.id"),
            Map.entry("name", "p.name"),
            Map.entry("short_name", "p.short_name"),
            Map.entry("type", "p.type"),
            Map.entry("type_source_value", "p.type"),
            Map.entry("source_value", "p.source_value"),
            Map.entry("local_id", "p.local_id"),
            Map.entry("level", "p.level"),
            Map.entry("full_path", "p.full_path"),
            Map.entry("created_at", "p.created_at"));

    private static final String RECOMPUTE_DERIVED =
            """
            WITH RECURSIVE t AS (
                SELECT id, 1 AS level, ARRAY[]::bigint[] AS above, name::text AS path
                  FROM karyo_accesses.perimeters WHERE parent_id IS NULL AND deleted_at IS NULL
                UNION ALL
                SELECT c.id, t.level + 1, t.above || t.id, t.path || '/' || c.name
                  FROM karyo_accesses.perimeters c JOIN t ON c.parent_id = t.id
                 WHERE c.deleted_at IS NULL
            )
            UPDATE karyo_accesses.perimeters p
               SET level = t.level, above_levels_ids = t.above, full_path = t.path
              FROM t
             WHERE p.id = t.id AND (p.level, p.above_levels_ids, p.full_path) IS DISTINCT FROM (t.level, t.above, t.path)""";

    /** The live perimeters. */
    static final Select PERIMETERS =
            Select.of(COLUMNS, "karyo_accesses.perimeters p").where("p.deleted_at IS NULL");

    private final Sql sql;
    private final Writes writes;
    private final RightsResolverImpl resolver;
    private final AccessesSettings settings;

    @Activate
    public PerimeterServiceImpl(
            @Reference AccessesStore store,
            @Reference RightsResolverImpl resolver,
            @Reference AccessesSettings settings) {
        this.sql = store.sql();
        this.writes = store.writes();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Wiring without OSGi for the projects module's tests, which run this service on their own database; remove with
     * those tests' move to the public API.
     */
    public PerimeterServiceImpl(
            DataSource dataSource,
            SchemaReady schema,
            UnitOfWork uow,
            AuditTrail audit,
            RightsResolverImpl resolver,
            AccessesSettings settings) {
        this(new AccessesStore(dataSource, uow, audit), resolver, settings);
    }

    static Perimeter perimeter(ResultSet rs) throws SQLException {
        return new Perimeter(
                rs.getLong("id"),
                rs.getString("local_id"),
                rs.getString("name"),
                rs.getString("short_name"),
                rs.getString("source_value"),
                rs.getString("type"),
                Optional.ofNullable(Sql.nullableLong(rs, "parent_id")),
                rs.getInt("level"),
                Sql.longs(rs, "above_levels_ids"),
                rs.getString("full_path"),
                Optional.ofNullable(rs.getString("cohort_id")),
                Optional.ofNullable(Sql.nullableLong(rs, "cohort_size")),
                rs.getInt("count_allowed_users"),
                rs.getInt("count_allowed_users_inferior_levels"),
                rs.getInt("count_allowed_users_above_levels"),
                rs.getString("owner"),
                Sql.instant(rs, "created_at"));
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public Page<Perimeter> list(Caller caller, PerimeterQuery query, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        long[] visible = Rules.visibleIds(rights, resolver.tree());
        return page(visible, query == null ? PerimeterQuery.ALL : query, page);
    }

    @Override
    public Perimeter get(Caller caller, long id) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        if (!Rules.visible(Rules.visibleIds(rights, tree), tree, id)) {
            throw KaryoException.notFound(WHAT, id);
        }
        return byId(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    @Override
    public Page<Perimeter> children(Caller caller, long id, PageRequest page) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        long[] visible = Rules.visibleIds(rights, tree);
        if (!Rules.visible(visible, tree, id)) {
            throw KaryoException.notFound(WHAT, id);
        }
        PerimeterQuery q =
                new PerimeterQuery(Optional.empty(), List.of(), List.of(id), List.of(), List.of(), List.of());
        return page(visible, q, page);
    }

    @Override
    public List<Perimeter> manageable(Caller caller, boolean withDescendants, PerimeterQuery query) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        Tree tree = resolver.tree();
        Set<Long> top = topManageable(rights, tree);
        Set<Long> ids = new HashSet<>(top);
        if (withDescendants) {
            boolean[] marks = new boolean[tree.size()];
            for (long id : top) {
                int n = tree.index(id);
                if (n >= 0) {
                    tree.markSubtree(n, marks);
                }
            }
            for (long id : tree.idsOf(marks)) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        long[] filter = ids.stream().mapToLong(Long::longValue).sorted().toArray();
        return sql.list(
                matching(filter, query == null ? PerimeterQuery.ALL : query).orderBy("p.full_path, p.id"),
                PerimeterServiceImpl::perimeter);
    }

    /**
     * Cohort360's top manageable perimeters: a full administrator, or a user whose every valid access only holds
     * global management rights (users, datalabs), gets the roots; anyone else the same-level-managed nodes without a
     * managed ancestor, plus the children of the nodes managed at inferior levels only (and without a managed
     * ancestor). A user without any valid access gets nothing (Cohort360 would answer the roots).
     */
    static Set<Long> topManageable(UserRightsImpl rights, Tree tree) {
        Set<Long> out = new HashSet<>();
        List<UserRightsImpl.Grant> grants = rights.grants();
        boolean onlyGlobalManagement = !grants.isEmpty()
                && grants.stream()
                        .allMatch(g -> AccessRightDefinitions.GLOBAL_MANAGEMENT.stream()
                                        .anyMatch(r -> rights.grantHas(g, r))
                                && AccessRightDefinitions.ACCESS_MANAGEMENT.stream()
                                        .noneMatch(r -> rights.grantHas(g, r)));
        if (rights.fullAdmin() || onlyGlobalManagement) {
            for (int root : tree.roots()) {
                out.add(tree.id(root));
            }
            return out;
        }
        Set<Integer> same = new HashSet<>();
        Set<Integer> inferior = new HashSet<>();
        for (UserRightsImpl.Grant g : grants) {
            int node = g.perimeterId() == null ? -1 : tree.index(g.perimeterId());
            if (node < 0) {
                continue;
            }
            if (AccessRightDefinitions.SAME_LEVEL.stream().anyMatch(r -> rights.grantHas(g, r))) {
                same.add(node);
            }
            if (AccessRightDefinitions.INFERIOR_LEVELS.stream().anyMatch(r -> rights.grantHas(g, r))) {
                inferior.add(node);
            }
        }
        Set<Integer> managed = new HashSet<>(same);
        managed.addAll(inferior);
        Set<Integer> topSame = new HashSet<>();
        for (int n : same) {
            if (!hasAncestorIn(tree, n, managed)) {
                topSame.add(n);
                out.add(tree.id(n));
            }
        }
        for (int n : inferior) {
            if (!topSame.contains(n) && !hasAncestorIn(tree, n, managed)) {
                for (int child : tree.children(n)) {
                    out.add(tree.id(child));
                }
            }
        }
        return out;
    }

    private static boolean hasAncestorIn(Tree tree, int node, Set<Integer> nodes) {
        for (int p = tree.parent(node); p >= 0; p = tree.parent(p)) {
            if (nodes.contains(p)) {
                return true;
            }
        }
        return false;
    }

    Optional<Perimeter> byId(long id) {
        return sql.one(PERIMETERS.eq("p.id", id), PerimeterServiceImpl::perimeter);
    }

    /** A page of live nodes among {@code visible} ({@code null}: all) matching {@code query}. */
    private Page<Perimeter> page(long[] visible, PerimeterQuery query, PageRequest page) {
        PageRequest p = page == null ? new PageRequest(PageRequest.DEFAULT_LIMIT, 0, List.of()) : page;
        return sql.page(
                matching(visible, query).page(p, AccessesStore.MAX_LIMIT, ORDERING, "p.id"),
                PerimeterServiceImpl::perimeter);
    }

    /** The live nodes among {@code visible} ({@code null}: all) matching {@code query}. */
    private static Select matching(long[] visible, PerimeterQuery query) {
        return PERIMETERS
                .whereIf(visible != null, "p.id = ANY(?)", (Object) visible)
                .search(query.search().orElse(null), "p.name", "p.type", "p.source_value")
                .in("p.type", query.types())
                .in("p.parent_id", query.parentIds())
                .in("p.local_id", query.localIds())
                .in("p.source_value", query.sourceValues())
                .in("p.cohort_id", query.cohortIds());
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    @Override
    public Perimeter create(Caller caller, NewPerimeter perimeter) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        if (!rights.fullAdmin()) {
            throw KaryoException.forbidden("Only a full administrator adds perimeters");
        }
        Perimeter created = writes.write(WHAT, tx -> {
            Counters.lock(tx);
            Perimeter p = insertNode(tx, AccessRights.MODULE, perimeter);
            tx.audit(
                    caller,
                    AuditEvent.success("accesses.perimeter.create", WHAT, p.id())
                            .with("parent_id", p.parentId().map(String::valueOf).orElse("")));
            tx.afterCommit(resolver::perimetersChanged);
            return p;
        });
        LOG.debug("Perimeter {} created by {}", created.id(), caller.id());
        return created;
    }

    @Override
    public Perimeter attach(String owner, NewPerimeter perimeter) {
        new Validator()
                .text(owner, "owner", 64)
                .check(owner == null || owner.matches("[a-z0-9_.]*"), "owner", "must be a module name")
                .throwIfInvalid();
        return writes.write(WHAT, tx -> {
            Counters.lock(tx);
            Perimeter p = insertNode(tx, owner, perimeter);
            tx.afterCommit(resolver::perimetersChanged);
            return p;
        });
    }

    @Override
    public Perimeter root() {
        return siteRoot().orElseThrow(() -> KaryoException.notFound(WHAT, "root"));
    }

    /** The root whose local_id is the configured one, else the oldest root; empty for an empty tree. */
    private Optional<Perimeter> siteRoot() {
        List<Perimeter> roots =
                sql.list(PERIMETERS.where("p.parent_id IS NULL").orderBy("p.id"), PerimeterServiceImpl::perimeter);
        return roots.stream()
                .filter(p -> p.localId().equals(settings.rootLocalId()))
                .findFirst()
                .or(() -> roots.stream().findFirst());
    }

    /** Inserts a node under its parent, with its derived columns and its counters. Inside a unit of work. */
    private Perimeter insertNode(Writes.Tx tx, String owner, NewPerimeter np) {
        Objects.requireNonNull(np, "perimeter");
        Validator v = new Validator()
                .text(np.localId(), "local_id", 255)
                .text(np.name(), "name", 10_000)
                .text(np.type(), "type", 255);
        np.shortName().ifPresent(s -> v.maxLength(s, "short_name", 10_000));
        np.sourceValue().ifPresent(s -> v.maxLength(s, "source_value", 10_000));
        np.cohortId().ifPresent(s -> v.maxLength(s, "cohort_id", 255));
        v.throwIfInvalid();
        // without a parent: under the site root (an institution is never a second root); the first node is the root
        Optional<Perimeter> parent = np.parentId().isPresent() ? np.parentId().flatMap(this::byId) : siteRoot();
        if (np.parentId().isPresent() && parent.isEmpty()) {
            throw KaryoException.invalid("parent_id", "does not exist");
        }
        if (tx.sql()
                .exists(Select.of("p.id", "karyo_accesses.perimeters p")
                        .eq("p.local_id", np.localId().trim()))) {
            throw KaryoException.invalid("local_id", "is already used");
        }
        String name = np.name().trim();
        int level = parent.map(p -> p.level() + 1).orElse(1);
        List<Long> above = new ArrayList<>(parent.map(Perimeter::aboveLevelsIds).orElse(List.of()));
        parent.ifPresent(p -> above.add(p.id()));
        String path = parent.map(p -> p.fullPath() + "/" + name).orElse(name);
        long id = tx.insert(
                """
                INSERT INTO karyo_accesses.perimeters (local_id, name, short_name, source_value, type, parent_id,
                       level, above_levels_ids, full_path, cohort_id, owner)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                np.localId().trim(),
                name,
                np.shortName().map(String::trim).orElse(""),
                np.sourceValue().map(String::trim).orElse(""),
                np.type().trim(),
                parent.map(Perimeter::id).orElse(null),
                level,
                above.toArray(Long[]::new),
                path,
                np.cohortId().map(String::trim).filter(s -> !s.isEmpty()).orElse(null),
                owner);
        // a new leaf: its above-levels counter counts whoever holds an inheriting access on an ancestor
        Counters.recount(tx, settings.clock().instant());
        return byId(id).orElseThrow();
    }

    @Override
    public ImportReport importCsv(Caller caller, InputStream csv) {
        UserRightsImpl rights = resolver.rightsFor(caller);
        if (!rights.fullAdmin()) {
            throw KaryoException.forbidden("Only a full administrator imports perimeters");
        }
        PerimeterCsv.Parsed parsed = PerimeterCsv.parse(csv);
        ImportReport report = writes.write("perimeter import", tx -> {
            Counters.lock(tx);
            ImportReport r = upsert(tx, parsed);
            tx.update(RECOMPUTE_DERIVED);
            Counters.recount(tx, settings.clock().instant());
            tx.audit(
                    caller,
                    AuditEvent.success("accesses.perimeter.import", WHAT, null)
                            .with("created", r.created())
                            .with("updated", r.updated())
                            .with("unchanged", r.unchanged()));
            tx.afterCommit(resolver::perimetersChanged);
            return r;
        });
        LOG.info(
                "Perimeter import by {}: {} created, {} updated, {} unchanged",
                caller.id(),
                report.created(),
                report.updated(),
                report.unchanged());
        return report;
    }

    private record Existing(
            long id,
            String name,
            String shortName,
            String sourceValue,
            String type,
            Long parentId,
            String cohortId,
            boolean deleted) {}

    private static ImportReport upsert(Writes.Tx tx, PerimeterCsv.Parsed parsed) {
        String[] localIds =
                parsed.rows().stream().map(PerimeterCsv.Row::localId).toArray(String[]::new);
        Map<String, Existing> existing = new HashMap<>();
        // the rows are locked (FOR UPDATE) until the import commits
        tx.sql()
                .list(
                        "SELECT id, local_id, name, short_name, source_value, type, parent_id, cohort_id, deleted_at IS NOT NULL"
                                + " AS deleted FROM karyo_accesses.perimeters WHERE local_id = ANY(?) FOR UPDATE",
                        rs -> existing.put(
                                rs.getString("local_id"),
                                new Existing(
                                        rs.getLong("id"),
                                        rs.getString("name"),
                                        rs.getString("short_name"),
                                        rs.getString("source_value"),
                                        rs.getString("type"),
                                        Sql.nullableLong(rs, "parent_id"),
                                        rs.getString("cohort_id"),
                                        rs.getBoolean("deleted"))),
                        (Object) localIds);
        Map<String, Long> idsByCsvId = new HashMap<>();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (PerimeterCsv.Row row : parsed.rows()) {
            Long parentId = row.csvParentId().isEmpty() ? null : idsByCsvId.get(row.csvParentId());
            Existing e = existing.get(row.localId());
            String cohortId = parsed.hasCohortId() ? row.cohortId().orElse(null) : e == null ? null : e.cohortId();
            if (e == null) {
                long id = tx.insert(
                        """
                        INSERT INTO karyo_accesses.perimeters (local_id, name, short_name, source_value, type,
                               parent_id, level, above_levels_ids, full_path, cohort_id, owner)
                        VALUES (?, ?, ?, ?, ?, ?, 1, '{}', ?, ?, ?) RETURNING id""",
                        row.localId(),
                        row.name(),
                        row.shortName(),
                        row.sourceValue(),
                        row.type(),
                        parentId,
                        row.name(),
                        cohortId,
                        AccessRights.MODULE);
                idsByCsvId.put(row.csvId(), id);
                created++;
            } else {
                idsByCsvId.put(row.csvId(), e.id());
                boolean same = !e.deleted()
                        && e.name().equals(row.name())
                        && e.shortName().equals(row.shortName())
                        && e.sourceValue().equals(row.sourceValue())
                        && e.type().equals(row.type())
                        && Objects.equals(e.parentId(), parentId)
                        && Objects.equals(e.cohortId(), cohortId);
                if (same) {
                    unchanged++;
                } else {
                    tx.update(
                            """
                            UPDATE karyo_accesses.perimeters
                               SET name = ?, short_name = ?, source_value = ?, type = ?, parent_id = ?, cohort_id = ?,
                                   deleted_at = NULL, updated_at = now()
                             WHERE id = ?""",
                            row.name(),
                            row.shortName(),
                            row.sourceValue(),
                            row.type(),
                            parentId,
                            cohortId,
                            e.id());
                    updated++;
                }
            }
        }
        return new ImportReport(created, updated, unchanged);
    }
}
