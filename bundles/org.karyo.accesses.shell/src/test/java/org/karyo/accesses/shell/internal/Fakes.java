package org.karyo.accesses.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.NewAccess;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.ProfileService;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** Hand-written fakes of the services the commands call; each records what it was asked. */
final class Fakes {
    static final Instant T = Instant.parse("2030-01-02T03:04:05Z");

    private Fakes() {}

    /** The Karyo user "admin" a console user maps to. */
    static final class Admin implements Caller {
        @Override
        public String id() {
            return "u-admin";
        }

        @Override
        public String getName() {
            return "admin";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return true;
        }
    }

    static final Caller ADMIN = new Admin();

    /** Maps every console user to {@link #ADMIN}, or refuses them all. */
    static final class Identity implements ConsoleIdentity {
        final List<String> asked = new ArrayList<>();
        boolean refuse;

        @Override
        public Caller resolve(String consoleUser) {
            asked.add(consoleUser);
            if (refuse) {
                throw KaryoException.unauthenticated("console user " + consoleUser + " is not mapped to a Karyo user");
            }
            return ADMIN;
        }
    }

    static Access access(long id, String username, String role, long perimeterId, Instant start, Instant end) {
        return new Access(
                id,
                7,
                "u-" + username,
                username,
                3,
                role,
                Optional.of(perimeterId),
                Optional.of("Node " + perimeterId),
                start,
                end,
                "Manual",
                true,
                true,
                Optional.of("u-admin"),
                Optional.empty(),
                T,
                T);
    }

    static Perimeter perimeter(long id, String localId, Optional<Long> parent) {
        return new Perimeter(
                id,
                localId,
                "Node " + id,
                "N" + id,
                null,
                "hospital",
                parent,
                parent.isPresent() ? 2 : 1,
                parent.map(List::of).orElse(List.of()),
                "Node " + id,
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                0,
                "accesses",
                T);
    }

    static final class Roles implements RoleService {
        final Map<Long, Role> roles = new TreeMap<>();
        final List<Object> asked = new ArrayList<>();
        Caller caller;

        Roles add(long id, String name, String... rights) {
            roles.put(id, new Role(id, name, new TreeSet<>(Set.of(rights)), T, T));
            return this;
        }

        @Override
        public Page<Role> list(Caller caller, Optional<String> name, Set<String> withRights, PageRequest page) {
            this.caller = caller;
            asked.add(name);
            asked.add(page);
            List<Role> found = roles.values().stream()
                    .filter(r -> name.isEmpty()
                            || r.name().toLowerCase().contains(name.get().toLowerCase()))
                    .toList();
            return new Page<>(found.size() + 40, page.limit(), page.offset(), found);
        }

        @Override
        public Role get(Caller caller, long id) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Role create(Caller caller, String name, Set<String> rights) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Role update(Caller caller, long id, Optional<String> name, Optional<Set<String>> rights) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public void delete(Caller caller, long id) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public List<Role> assignable(Caller caller, long perimeterId) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Page<RoleHolder> holders(Caller caller, long roleId, Optional<String> name, PageRequest page) {
            throw new AssertionError("not used by the commands");
        }
    }

    static final class Perimeters implements PerimeterService {
        final Map<Long, Perimeter> nodes = new TreeMap<>();
        final List<String> calls = new ArrayList<>();
        PerimeterQuery query;
        PageRequest page;
        String csv;
        Caller caller;
        KaryoException importFailure;

        Perimeters add(long id, String localId, Optional<Long> parent) {
            nodes.put(id, perimeter(id, localId, parent));
            return this;
        }

        @Override
        public Page<Perimeter> list(Caller caller, PerimeterQuery query, PageRequest page) {
            this.caller = caller;
            calls.add("list");
            this.query = query;
            this.page = page;
            List<Perimeter> found = nodes.values().stream()
                    .filter(p -> query.localIds().isEmpty() || query.localIds().contains(p.localId()))
                    .toList();
            return new Page<>(found.size(), page.limit(), page.offset(), found);
        }

        @Override
        public Perimeter get(Caller caller, long id) {
            calls.add("get " + id);
            Perimeter p = nodes.get(id);
            if (p == null) {
                throw KaryoException.notFound("perimeter", id);
            }
            return p;
        }

        @Override
        public Page<Perimeter> children(Caller caller, long id, PageRequest page) {
            calls.add("children " + id);
            this.page = page;
            List<Perimeter> found = nodes.values().stream()
                    .filter(p -> p.parentId().equals(Optional.of(id)))
                    .toList();
            return new Page<>(found.size(), page.limit(), page.offset(), found);
        }

        @Override
        public List<Perimeter> manageable(Caller caller, boolean withDescendants, PerimeterQuery query) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Perimeter root() {
            throw new UnsupportedOperationException("root");
        }

        @Override
        public Perimeter create(Caller caller, NewPerimeter perimeter) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Perimeter attach(String owner, NewPerimeter perimeter) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public ImportReport importCsv(Caller caller, InputStream csv) {
            this.caller = caller;
            calls.add("import");
            if (importFailure != null) {
                throw importFailure;
            }
            try {
                this.csv = new String(csv.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ImportReport(3, 1, 0);
        }
    }

    static final class Profiles implements ProfileService {
        final List<Profile> profiles = new ArrayList<>();

        @Override
        public Page<Profile> list(Caller caller, Optional<String> userId, Optional<String> search, PageRequest page) {
            List<Profile> found = profiles.stream()
                    .filter(p -> userId.isEmpty() || p.userId().equals(userId.get()))
                    .filter(p -> search.isEmpty() || p.username().contains(search.get()))
                    .toList();
            return new Page<>(found.size(), page.limit(), page.offset(), found);
        }
    }

    static final class Accesses implements AccessService {
        final List<String> calls = new ArrayList<>();
        Caller caller;
        NewAccess created;
        AccessQuery query;
        PageRequest page;
        KaryoException failure;

        @Override
        public Page<Access> list(Caller caller, AccessQuery query, PageRequest page) {
            this.caller = caller;
            calls.add("list");
            this.query = query;
            this.page = page;
            return new Page<>(
                    12,
                    page.limit(),
                    page.offset(),
                    List.of(access(5, "alice", "Data reader", 2, T, T.plusSeconds(86400))));
        }

        @Override
        public Access get(Caller caller, long id) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Access create(Caller caller, NewAccess access) {
            this.caller = caller;
            calls.add("create");
            if (failure != null) {
                throw failure;
            }
            this.created = access;
            Instant start = access.start().orElse(T);
            return access(
                    31,
                    access.username().orElseThrow(),
                    "Data reader",
                    access.perimeterId(),
                    start,
                    access.end().orElse(start.plusSeconds(365L * 86400)));
        }

        @Override
        public Access patchDates(Caller caller, long id, Optional<Instant> start, Optional<Instant> end) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Access close(Caller caller, long id) {
            this.caller = caller;
            calls.add("close " + id);
            if (failure != null) {
                throw failure;
            }
            return access(id, "alice", "Data reader", 2, T, T.plusSeconds(60));
        }

        @Override
        public void delete(Caller caller, long id) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public List<Access> myAccesses(Caller caller, boolean expiring) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public List<DataRight> myDataRights(Caller caller, List<Long> perimeterIds) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public Page<DataRight> patientDataRights(Caller caller, PageRequest page) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public ReadPermission patientDataRead(
                Caller caller, List<Long> perimeterIds, List<String> cohortIds, ReadMode mode) {
            throw new AssertionError("not used by the commands");
        }

        @Override
        public List<Access> endingBetween(Instant from, Instant to) {
            throw new AssertionError("not used by the commands");
        }
    }
}
