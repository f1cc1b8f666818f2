package org.karyo.testing;

import java.util.Map;
import java.util.Set;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;

/** Callers for service tests. */
public final class TestCallers {
    private TestCallers() {}

    /** An authenticated caller that holds exactly the given rights, everywhere. */
    public static Caller withRights(String id, String... rights) {
        Set<String> held = Set.of(rights);
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return held.contains(right);
            }

            @Override
            public String toString() {
                return id;
            }
        };
    }

    /**
     * An authenticated caller that holds the given global rights, and the given perimeter scopes per right (what
     * {@link Caller#scope} answers; no scope for any other right).
     */
    public static Caller withScopes(String id, Set<String> rights, Map<String, Scope> scopes) {
        Set<String> held = Set.copyOf(rights);
        Map<String, Scope> where = Map.copyOf(scopes);
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return held.contains(right);
            }

            @Override
            public Scope scope(String right) {
                return where.getOrDefault(right, Scope.none());
            }

            @Override
            public String toString() {
                return id;
            }
        };
    }

    /** An authenticated caller that holds every right. */
    public static Caller withEveryRight(String id) {
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return true;
            }

            @Override
            public String toString() {
                return id;
            }
        };
    }
}
