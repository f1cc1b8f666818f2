package org.karyo.accesses.impl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.karyo.accesses.api.Right;
import org.karyo.api.security.RightDefinition.RightScope;

/**
 * An immutable snapshot of the stored rights and the live roles' right sets, rebuilt on any change of rights, roles or
 * role rights. Rights are numbered densely so that a user's rights are arrays, not maps.
 */
final class Catalog {

    /** A live role: every key it holds (active or not) and the indices of its active rights. */
    record RoleInfo(long id, String name, Set<String> rights, int[] activeRights) {
        boolean has(String key) {
            return rights.contains(key);
        }
    }

    static final Catalog EMPTY = new Catalog(List.of(), Map.of());

    private final List<Right> rights;
    private final Map<String, Integer> index = new HashMap<>();
    private final RightScope[] scopes;
    private final boolean[] active;
    private final Map<Long, RoleInfo> roles;

    /**
     * @param rights every stored right
     * @param roleRights every live role's name and keys
     */
    Catalog(List<Right> rights, Map<Long, Map.Entry<String, Set<String>>> roleRights) {
        this.rights = List.copyOf(rights);
        this.scopes = new RightScope[rights.size()];
        this.active = new boolean[rights.size()];
        for (int i = 0; i < rights.size(); i++) {
            Right r = rights.get(i);
            index.put(r.key(), i);
            scopes[i] = r.scope();
            active[i] = r.active();
        }
        Map<Long, RoleInfo> out = new HashMap<>();
        roleRights.forEach((id, nameAndKeys) -> {
            List<Integer> act = new ArrayList<>();
            for (String key : nameAndKeys.getValue()) {
                Integer i = index.get(key);
                if (i != null && active[i]) {
                    act.add(i);
                }
            }
            int[] a = act.stream().mapToInt(Integer::intValue).sorted().toArray();
            out.put(
                    id,
                    new RoleInfo(
                            id,
                            nameAndKeys.getKey(),
                            Collections.unmodifiableSet(new TreeSet<>(nameAndKeys.getValue())),
                            a));
        });
        this.roles = Map.copyOf(out);
    }

    int size() {
        return scopes.length;
    }

    /** The index of a right, or -1 when unknown. */
    int index(String key) {
        Integer i = index.get(key);
        return i == null ? -1 : i;
    }

    String key(int i) {
        return rights.get(i).key();
    }

    RightScope scope(int i) {
        return scopes[i];
    }

    boolean active(int i) {
        return active[i];
    }

    boolean active(String key) {
        int i = index(key);
        return i >= 0 && active[i];
    }

    Optional<Right> right(String key) {
        int i = index(key);
        return i < 0 ? Optional.empty() : Optional.of(rights.get(i));
    }

    List<Right> rights() {
        return rights;
    }

    Optional<RoleInfo> role(long id) {
        return Optional.ofNullable(roles.get(id));
    }

    Map<Long, RoleInfo> roles() {
        return roles;
    }
}
