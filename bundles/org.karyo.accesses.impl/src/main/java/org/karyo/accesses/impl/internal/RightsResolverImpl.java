package org.karyo.accesses.impl.internal;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.karyo.accesses.api.Right;
import org.karyo.accesses.api.RightsResolver;
import org.karyo.api.KaryoException;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightDefinition.RightScope;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves users' rights. Three in-memory layers:
 *
 * <ul>
 *   <li>the {@link Tree} of live perimeters, rebuilt after a perimeter change;
 *   <li>the {@link Catalog} of rights and role rights, rebuilt after a right, role or contributor change;
 *   <li>one {@link UserRightsImpl} per user, from one indexed query of the user's not yet ended accesses.
 * </ul>
 *
 * A cached user entry is dropped on any change (every write of the module ends with {@link #invalidate()} or a finer
 * method after its commit), when its TTL passes (user changes in the auth module send no event), and when one of the
 * user's accesses starts or ends (each entry remembers the next such instant).
 */
@Component(service = {RightsResolver.class, RightsResolverImpl.class})
public final class RightsResolverImpl implements RightsResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RightsResolverImpl.class);
    private static final int PRUNE_ABOVE = 10_000;

    // start rounded up and end rounded down to the millisecond: never valid a microsecond too early or too long
    private static final String USER_ACCESSES =
            """
            SELECT a.id, a.role_id, a.perimeter_id,
                   ceil(extract(epoch FROM a.start_datetime) * 1000)::bigint AS s,
                   floor(extract(epoch FROM a.end_datetime) * 1000)::bigint AS e
              FROM karyo_accesses.profiles p
              JOIN karyo_accesses.accesses a ON a.profile_id = p.id AND a.deleted_at IS NULL
             WHERE p.user_id = ? AND p.is_active AND a.end_datetime > ?""";

    private final Sql sql;
    private final AccessesSettings settings;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, UserRightsImpl> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Object loadLock = new Object();
    private volatile Catalog catalog;
    private volatile Tree tree;

    @Activate
    public RightsResolverImpl(@Reference AccessesStore store, @Reference AccessesSettings settings) {
        this(store.sql(), settings);
        LOG.info("Rights resolver active (rights cache TTL {} s)", ttlMillis / 1000);
    }

    /**
     * Wiring without OSGi for the projects module's tests, which run this service on their own database; remove with
     * those tests' move to the public API.
     */
    public RightsResolverImpl(DataSource dataSource, SchemaReady schema, AccessesSettings settings) {
        this(new Sql(dataSource, AccessesStore.MODULE), settings);
    }

    RightsResolverImpl(Sql sql, AccessesSettings settings) {
        this.sql = sql;
        this.settings = settings;
        this.ttlMillis = settings.cacheTtl().toMillis();
    }

    // ---- invalidation ---------------------------------------------------------------------------------------------

    /** Drops every cached computation: user rights, the catalog of rights and roles, and the perimeter tree. */
    public void invalidate() {
        catalog = null;
        tree = null;
        dropUsers();
    }

    /**
     * The module's change generation: bumped after every committed write of the module (the invalidation methods
     * below), so that what was read under an older one is known to be stale.
     */
    long generation() {
        return generation.get();
    }

    /** After an access or profile change: drops cached user rights only. */
    void accessesChanged() {
        dropUsers();
    }

    /** After a right, role or role-right change. */
    void catalogChanged() {
        catalog = null;
        dropUsers();
    }

    /** After a perimeter change. */
    void perimetersChanged() {
        tree = null;
        dropUsers();
    }

    private void dropUsers() {
        generation.incrementAndGet();
        cache.clear();
    }

    // ---- snapshots ------------------------------------------------------------------------------------------------

    /** The current catalog of rights and live roles. */
    Catalog catalog() {
        Catalog c = catalog;
        if (c != null) {
            return c;
        }
        synchronized (loadLock) {
            c = catalog;
            if (c != null) {
                return c;
            }
            long g = generation.get();
            c = loadCatalog();
            if (generation.get() == g) {
                catalog = c;
            }
            return c;
        }
    }

    /** The current tree of live perimeters. */
    Tree tree() {
        Tree t = tree;
        if (t != null) {
            return t;
        }
        synchronized (loadLock) {
            t = tree;
            if (t != null) {
                return t;
            }
            long g = generation.get();
            t = loadTree();
            if (generation.get() == g) {
                tree = t;
            }
            return t;
        }
    }

    private Catalog loadCatalog() {
        List<Right> rights = sql.list(
                "SELECT key, module, category, label, scope, depends_on, active FROM karyo_accesses.rights ORDER BY key",
                rs -> new Right(
                        rs.getString("key"),
                        rs.getString("module"),
                        rs.getString("category"),
                        rs.getString("label"),
                        RightScope.valueOf(rs.getString("scope")),
                        Optional.ofNullable(rs.getString("depends_on")),
                        rs.getBoolean("active")));
        Map<Long, Map.Entry<String, Set<String>>> roles = new HashMap<>();
        sql.list(
                """
                SELECT r.id, r.name, rr.right_key
                  FROM karyo_accesses.roles r
                  LEFT JOIN karyo_accesses.role_rights rr ON rr.role_id = r.id
                 WHERE r.deleted_at IS NULL""",
                rs -> {
                    long id = rs.getLong("id");
                    String name = rs.getString("name");
                    Map.Entry<String, Set<String>> e = roles.computeIfAbsent(
                            id, k -> new AbstractMap.SimpleImmutableEntry<>(name, new LinkedHashSet<>()));
                    String key = rs.getString("right_key");
                    if (key != null) {
                        e.getValue().add(key);
                    }
                    return id;
                });
        return new Catalog(rights, roles);
    }

    private Tree loadTree() {
        List<long[]> rows = sql.list(
                Select.of("p.id, coalesce(p.parent_id, 0)", "karyo_accesses.perimeters p")
                        .where("p.deleted_at IS NULL"),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)});
        long[] ids = new long[rows.size()];
        long[] parents = new long[rows.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rows.get(i)[0];
            parents[i] = rows.get(i)[1];
        }
        return Tree.build(ids, parents);
    }

    // ---- resolution -----------------------------------------------------------------------------------------------

    @Override
    public UserRightsImpl rightsOf(String userId) {
        long now = settings.clock().millis();
        UserRightsImpl cached = cache.get(userId);
        if (cached != null && cached.generation() == generation.get() && now < cached.validUntil()) {
            return cached;
        }
        UserRightsImpl computed = compute(userId, now);
        if (cache.size() > PRUNE_ABOVE) {
            cache.values().removeIf(r -> r.validUntil() <= now || r.generation() != generation.get());
        }
        cache.put(userId, computed);
        return computed;
    }

    @Override
    public UserRightsImpl compute(String userId) {
        return compute(userId, settings.clock().millis());
    }

    private UserRightsImpl compute(String userId, long now) {
        long g = generation.get();
        Catalog cat = catalog();
        Tree t = tree();
        long ttlEnd = ttlMillis == 0 ? now : now + ttlMillis;
        if (userId == null || userId.isEmpty()) {
            return UserRightsImpl.none(userId, cat, t, g, ttlEnd);
        }
        int size = cat.size();
        boolean[] global = new boolean[size];
        int[][] nodes = new int[size][];
        int[] counts = new int[size];
        List<UserRightsImpl.Grant> grants = new ArrayList<>();
        long[] boundary = {ttlEnd};
        sql.list(
                USER_ACCESSES,
                rs -> {
                    long start = rs.getLong(4);
                    long end = rs.getLong(5);
                    if (start > now) {
                        boundary[0] = Math.min(boundary[0], start);
                        return null;
                    }
                    if (end <= now) {
                        return null;
                    }
                    boundary[0] = Math.min(boundary[0], end);
                    long roleId = rs.getLong(2);
                    long perimeterId = rs.getLong(3);
                    boolean hasPerimeter = !rs.wasNull();
                    Catalog.RoleInfo role = cat.role(roleId).orElse(null);
                    if (role == null) {
                        return null;
                    }
                    int node = hasPerimeter ? t.index(perimeterId) : -1;
                    grants.add(
                            new UserRightsImpl.Grant(rs.getLong(1), roleId, hasPerimeter ? perimeterId : null, node));
                    for (int i : role.activeRights()) {
                        if (cat.scope(i) == RightScope.GLOBAL) {
                            global[i] = true;
                        } else if (node >= 0) {
                            int[] a = nodes[i];
                            if (a == null) {
                                a = new int[4];
                                nodes[i] = a;
                            } else if (counts[i] == a.length) {
                                a = Arrays.copyOf(a, a.length * 2);
                                nodes[i] = a;
                            }
                            a[counts[i]++] = node;
                        }
                    }
                    return null;
                },
                userId,
                Instant.ofEpochMilli(now));
        for (int i = 0; i < size; i++) {
            if (nodes[i] != null) {
                nodes[i] = Arrays.stream(nodes[i], 0, counts[i])
                        .sorted()
                        .distinct()
                        .toArray();
            }
        }
        return new UserRightsImpl(userId, cat, t, grants, global, nodes, null, g, boundary[0]);
    }

    /**
     * The rights a service acts on for a caller: the caller's own when it was built here (already limited to a
     * token's rights), else the caller's user's rights limited to what the caller claims to hold.
     *
     * @throws KaryoException UNAUTHENTICATED for an anonymous caller
     */
    UserRightsImpl rightsFor(Caller caller) {
        if (caller == null || !caller.authenticated()) {
            throw KaryoException.unauthenticated("Authentication is required");
        }
        if (caller instanceof KaryoCaller k) {
            return k.rights();
        }
        return rightsOf(caller.id()).limitedTo(caller::hasRight);
    }

    /** How many users' rights are cached (diagnostics). */
    int cachedUsers() {
        return cache.size();
    }
}
