package org.karyo.accesses.rest.internal;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.Role;
import org.karyo.api.security.Caller;
import org.mockito.Mockito;

/** Sample records, a caller and the JAX-RS context objects the resources take. */
final class Fixtures {
    static final Instant T = Instant.parse("2030-01-02T03:04:05Z");

    private Fixtures() {}

    /** An authenticated caller; what the resources pass on is checked by identity. */
    static final Caller ALICE = new Caller() {
        @Override
        public String id() {
            return "a1b2c3";
        }

        @Override
        public String getName() {
            return "alice";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return true;
        }
    };

    /** The security context of a request made by {@link #ALICE}. */
    static final SecurityContext SC = new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
            return ALICE;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return true;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    };

    static Role role(long id, String name, String... rights) {
        return new Role(id, name, new TreeSet<>(Set.of(rights)), T, T.plusSeconds(60));
    }

    static Access access(long id, Optional<Long> perimeterId) {
        return new Access(
                id,
                7,
                "u-42",
                "bob",
                3,
                "Data reader",
                perimeterId,
                perimeterId.map(p -> "Hospital " + p),
                T,
                T.plusSeconds(3600),
                "Manual",
                true,
                false,
                Optional.of("u-1"),
                Optional.empty(),
                T,
                T);
    }

    static Perimeter perimeter(long id, Optional<Long> parent, List<Long> above) {
        return new Perimeter(
                id,
                "L" + id,
                "Node " + id,
                "N" + id,
                "SRC" + id,
                "hospital",
                parent,
                above.size() + 1,
                above,
                "Root/Node " + id,
                Optional.of("c" + id),
                Optional.of(120L),
                4,
                5,
                6,
                "accesses",
                T);
    }

    /** Request URI information: the collection path and the query parameters. */
    static UriInfo uri(String path, String... queryNamesAndValues) {
        MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
        for (int i = 0; i < queryNamesAndValues.length; i += 2) {
            query.add(queryNamesAndValues[i], queryNamesAndValues[i + 1]);
        }
        UriInfo uri = Mockito.mock(UriInfo.class);
        Mockito.when(uri.getAbsolutePathBuilder())
                .thenAnswer(inv -> UriBuilder.fromUri(URI.create("http://localhost:8181/api/" + path)));
        Mockito.when(uri.getQueryParameters()).thenReturn(query);
        return uri;
    }
}
