package org.karyo.accesses.impl.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.UserRights;
import org.karyo.api.security.RightDefinition.RightScope;
import org.karyo.api.security.Scope;

/**
 * A user's resolved rights: the OR over its valid accesses on active profiles, over active rights. GLOBAL rights hold
 * everywhere, INHERITED ones on the access's node and every descendant, LOCAL ones on the node only; a full
 * administrator holds every active right everywhere. Immutable, so cached instances are shared between requests;
 * scopes are computed on first use and remembered.
 *
 * <p>{@link #limitedTo(Predicate)} gives the same rights intersected with a set (a service-account token's rights).
 */
final class UserRightsImpl implements UserRights {

    /** One valid access: its role and its node ({@code node} = -1 without a live node). */
    record Grant(long accessId, long roleId, Long perimeterId, int node) {}

    private final String userId;
    private final Catalog catalog;
    private final Tree tree;
    private final List<Grant> grants;
    private final boolean baseFullAdmin;
    private final boolean[] global;
    private final int[][] nodes;
    private final Predicate<String> limit;
    private final long generation;
    private final long validUntil;
    private final AtomicReferenceArray<Scope> scopes;
    private volatile Memo memo;

    /** The perimeters these rights manage accesses on, once computed (rights never change after they are resolved). */
    private volatile Scope managementScope;

    /** A value computed from these rights and one tree. */
    private record Memo(Tree tree, long[] value) {}

    UserRightsImpl(
            String userId,
            Catalog catalog,
            Tree tree,
            List<Grant> grants,
            boolean[] global,
            int[][] nodes,
            Predicate<String> limit,
            long generation,
            long validUntil) {
        this.userId = userId;
        this.catalog = catalog;
        this.tree = tree;
        this.grants = List.copyOf(grants);
        this.global = global;
        this.nodes = nodes;
        int full = catalog.index(AccessRights.FULL_ADMIN);
        this.baseFullAdmin = full >= 0 && catalog.active(full) && global[full];
        this.limit = limit;
        this.generation = generation;
        this.validUntil = validUntil;
        this.scopes = new AtomicReferenceArray<>(catalog.size());
    }

    /** Nobody's rights: what an unknown user holds. */
    static UserRightsImpl none(String userId, Catalog catalog, Tree tree, long generation, long validUntil) {
        return new UserRightsImpl(
                userId,
                catalog,
                tree,
                List.of(),
                new boolean[catalog.size()],
                new int[catalog.size()][],
                null,
                generation,
                validUntil);
    }

    /** These rights intersected with {@code allowed}. */
    UserRightsImpl limitedTo(Predicate<String> allowed) {
        Predicate<String> combined = limit == null ? allowed : limit.and(allowed);
        return new UserRightsImpl(userId, catalog, tree, grants, global, nodes, combined, generation, validUntil);
    }

    long generation() {
        return generation;
    }

    /** Until when (epoch millis) this computation stays right, at most: the next access start or end, or the TTL. */
    long validUntil() {
        return validUntil;
    }

    Catalog catalog() {
        return catalog;
    }

    Tree tree() {
        return tree;
    }

    /** The valid accesses behind these rights. */
    List<Grant> grants() {
        return grants;
    }

    /** A value derived from these rights and {@code tree} (the visible nodes), computed once per tree. */
    Scope managementScope(Supplier<Scope> compute) {
        Scope s = managementScope;
        if (s == null) {
            s = compute.get();
            managementScope = s;
        }
        return s;
    }

    long[] memo(Tree tree, Supplier<long[]> compute) {
        Memo m = memo;
        if (m == null || m.tree() != tree) {
            m = new Memo(tree, compute.get());
            memo = m;
        }
        return m.value();
    }

    /** Whether a grant's role holds {@code key} as an active right the limit lets through. */
    boolean grantHas(Grant grant, String key) {
        if (!allowed(key)) {
            return false;
        }
        int i = catalog.index(key);
        if (i < 0) {
            return false;
        }
        return catalog.role(grant.roleId())
                .map(r -> Arrays.binarySearch(r.activeRights(), i) >= 0)
                .orElse(false);
    }

    /** Whether a grant's role holds any active right the limit lets through. */
    boolean grantGrantsAnything(Grant grant) {
        return catalog.role(grant.roleId())
                .map(r -> {
                    for (int i : r.activeRights()) {
                        if (allowed(catalog.key(i))) {
                            return true;
                        }
                    }
                    return false;
                })
                .orElse(false);
    }

    /** Whether a grant's role holds an active INHERITED right the limit lets through. */
    boolean grantInherits(Grant grant) {
        return catalog.role(grant.roleId())
                .map(r -> {
                    for (int i : r.activeRights()) {
                        if (catalog.scope(i) == RightScope.INHERITED && allowed(catalog.key(i))) {
                            return true;
                        }
                    }
                    return false;
                })
                .orElse(false);
    }

    private boolean allowed(String key) {
        return limit == null || limit.test(key);
    }

    private int usable(String right) {
        int i = catalog.index(right);
        if (i < 0 || !catalog.active(i) || !allowed(right)) {
            return -1;
        }
        return i;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public boolean fullAdmin() {
        return baseFullAdmin && allowed(AccessRights.FULL_ADMIN);
    }

    @Override
    public boolean has(String right) {
        int i = usable(right);
        if (i < 0) {
            return false;
        }
        return baseFullAdmin || global[i] || (nodes[i] != null && nodes[i].length > 0);
    }

    @Override
    public boolean hasOn(String right, long perimeterId) {
        int i = usable(right);
        if (i < 0) {
            return false;
        }
        if (baseFullAdmin || global[i]) {
            return true;
        }
        int[] held = nodes[i];
        if (held == null || held.length == 0) {
            return false;
        }
        int n = tree.index(perimeterId);
        if (n < 0) {
            return false;
        }
        if (catalog.scope(i) == RightScope.LOCAL) {
            return Arrays.binarySearch(held, n) >= 0;
        }
        for (int p = n; p >= 0; p = tree.parent(p)) {
            if (Arrays.binarySearch(held, p) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Scope scope(String right) {
        int i = usable(right);
        if (i < 0) {
            return Scope.none();
        }
        if (baseFullAdmin || global[i]) {
            return Scope.all();
        }
        Scope s = scopes.get(i);
        if (s == null) {
            s = computeScope(i);
            scopes.compareAndSet(i, null, s);
        }
        return s;
    }

    private Scope computeScope(int i) {
        int[] held = nodes[i];
        if (held == null || held.length == 0) {
            return Scope.none();
        }
        List<Long> ids = new ArrayList<>();
        if (catalog.scope(i) == RightScope.LOCAL) {
            for (int n : held) {
                ids.add(tree.id(n));
            }
            return Scope.of(ids);
        }
        int[] tops = Arrays.stream(held).map(tree::pre).sorted().toArray();
        int coveredUntil = -1;
        for (int position : tops) {
            if (position < coveredUntil) {
                continue; // inside a subtree already taken
            }
            int node = tree.atPre(position);
            int end = tree.last(node);
            for (int p = position; p < end; p++) {
                ids.add(tree.id(tree.atPre(p)));
            }
            coveredUntil = end;
        }
        return Scope.of(ids);
    }

    @Override
    public Set<String> rights() {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < catalog.size(); i++) {
            String key = catalog.key(i);
            if (catalog.active(i)
                    && allowed(key)
                    && (baseFullAdmin || global[i] || (nodes[i] != null && nodes[i].length > 0))) {
                out.add(key);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String toString() {
        return "UserRights[" + userId + ", " + grants.size() + " valid accesses" + (fullAdmin() ? ", full admin" : "")
                + "]";
    }
}
