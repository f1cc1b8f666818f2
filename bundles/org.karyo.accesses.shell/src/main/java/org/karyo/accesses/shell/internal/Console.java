package org.karyo.accesses.shell.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.Profile;
import org.karyo.accesses.api.ProfileService;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** What the access commands share: the caller they act as, and resolving what an administrator types. */
final class Console {
    private static final int LOOKUP = 100;

    private Console() {}

    /**
     * The Karyo identity mapped to the Karaf user running the command, so that the command goes through the same
     * rights checks and audit as a REST call.
     */
    static Caller caller(ConsoleIdentity identity) {
        return identity.resolve(ShellUtil.getCurrentUserName());
    }

    /** A role given by id or by exact name. */
    static long roleId(RoleService roles, Caller caller, String arg) {
        Optional<Long> id = positive(arg);
        if (id.isPresent()) {
            return id.get();
        }
        String name = arg.strip();
        List<Role> found = roles.list(caller, Optional.of(name), Set.of(), new PageRequest(LOOKUP, 0, List.of()))
                .results();
        List<Role> exact = found.stream().filter(r -> r.name().equals(name)).toList();
        if (exact.isEmpty()) {
            exact = found.stream().filter(r -> r.name().equalsIgnoreCase(name)).toList();
        }
        if (exact.size() != 1) {
            throw new IllegalArgumentException("role: no role is named '" + name + "'; see karyo:role-list");
        }
        return exact.get(0).id();
    }

    /**
     * A perimeter given by id or by {@code local_id}. A number that is the id of one node and the local_id of
     * another is refused as ambiguous (give the local_id of the node you mean: it is unique).
     */
    static long perimeterId(PerimeterService perimeters, Caller caller, String arg) {
        String value = arg.strip();
        PerimeterQuery byLocalId =
                new PerimeterQuery(Optional.empty(), List.of(), List.of(), List.of(value), List.of(), List.of());
        List<Perimeter> local = perimeters
                .list(caller, byLocalId, new PageRequest(2, 0, List.of()))
                .results();
        Optional<Long> id = positive(value);
        if (id.isPresent()) {
            Perimeter byId = null;
            try {
                byId = perimeters.get(caller, id.get());
            } catch (KaryoException e) {
                if (e.kind() != Kind.NOT_FOUND) {
                    throw e;
                }
            }
            if (byId != null) {
                if (!local.isEmpty() && local.get(0).id() != byId.id()) {
                    throw new IllegalArgumentException("perimeter: '" + value + "' is the id of " + byId.name()
                            + " and the local_id of " + local.get(0).name()
                            + "; give the local_id of the one you mean");
                }
                return byId.id();
            }
        }
        if (local.isEmpty()) {
            throw new IllegalArgumentException("perimeter: no perimeter you can see has the id or local_id '" + value
                    + "'; see karyo:perimeter-list");
        }
        return local.get(0).id();
    }

    /** A user given by its opaque id or by its username (through its profiles). */
    static String userId(ProfileService profiles, Caller caller, String arg) {
        String value = arg.strip();
        PageRequest page = new PageRequest(LOOKUP, 0, List.of());
        if (!profiles.list(caller, Optional.of(value), Optional.empty(), page)
                .results()
                .isEmpty()) {
            return value;
        }
        return profiles.list(caller, Optional.empty(), Optional.of(value), page).results().stream()
                .filter(p -> p.username().equals(value))
                .map(Profile::userId)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "--user: no user with a profile is named '" + value + "' or has that id"));
    }

    /** An ISO-8601 instant given to an option ({@code 2030-01-31T18:00:00Z}, an offset instead of Z is fine). */
    static Optional<Instant> instant(String option, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(raw.strip()).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    option + " must be an ISO-8601 instant, for example 2030-01-31T18:00:00Z, not '" + raw + "'", e);
        }
    }

    private static Optional<Long> positive(String raw) {
        try {
            long id = Long.parseLong(raw.strip());
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
