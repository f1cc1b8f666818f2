package org.karyo.testing;

import java.util.Set;
import org.karyo.api.security.Caller;

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
