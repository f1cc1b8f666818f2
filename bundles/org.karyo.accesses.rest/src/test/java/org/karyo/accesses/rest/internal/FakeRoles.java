package org.karyo.accesses.rest.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;

/** A role service in memory that records what it was asked. */
final class FakeRoles implements RoleService {
    final Map<Long, Role> roles = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    Caller caller;
    Optional<String> name;
    Set<String> withRights;
    PageRequest page;
    Optional<String> newName;
    Optional<Set<String>> newRights;
    long perimeterId;
    long nextId = 100;

    @Override
    public Page<Role> list(Caller caller, Optional<String> name, Set<String> withRights, PageRequest page) {
        record("list", caller);
        this.name = name;
        this.withRights = withRights;
        this.page = page;
        List<Role> all = new ArrayList<>(roles.values());
        return new Page<>(all.size(), page.limit(), page.offset(), all);
    }

    @Override
    public Role get(Caller caller, long id) {
        record("get " + id, caller);
        Role r = roles.get(id);
        if (r == null) {
            throw KaryoException.notFound("role", id);
        }
        return r;
    }

    @Override
    public Role create(Caller caller, String name, Set<String> rights) {
        record("create", caller);
        this.newName = Optional.of(name);
        this.newRights = Optional.of(rights);
        Role r = new Role(nextId++, name, new TreeSet<>(rights), Fixtures.T, Fixtures.T);
        roles.put(r.id(), r);
        return r;
    }

    @Override
    public Role update(Caller caller, long id, Optional<String> name, Optional<Set<String>> rights) {
        record("update " + id, caller);
        this.newName = name;
        this.newRights = rights;
        Role old = roles.get(id);
        Role r = new Role(
                id,
                name.orElse(old.name()),
                new TreeSet<>(rights.orElse(old.rights())),
                old.createdAt(),
                Fixtures.T.plusSeconds(1));
        roles.put(id, r);
        return r;
    }

    @Override
    public void delete(Caller caller, long id) {
        record("delete " + id, caller);
        roles.remove(id);
    }

    @Override
    public List<Role> assignable(Caller caller, long perimeterId) {
        record("assignable", caller);
        this.perimeterId = perimeterId;
        return List.copyOf(roles.values());
    }

    @Override
    public Page<RoleHolder> holders(Caller caller, long roleId, Optional<String> name, PageRequest page) {
        record("holders " + roleId, caller);
        this.name = name;
        this.page = page;
        return new Page<>(
                1, page.limit(), page.offset(), List.of(new RoleHolder("u-9", "carol", "Carol C (carol)", 4, "Lab")));
    }

    private void record(String call, Caller c) {
        calls.add(call);
        this.caller = c;
    }
}
