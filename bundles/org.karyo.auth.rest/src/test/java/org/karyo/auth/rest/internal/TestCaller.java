package org.karyo.auth.rest.internal;

import java.util.Optional;
import java.util.Set;
import org.karyo.api.security.Caller;

/** An authenticated caller with a fixed set of rights, optionally impersonated by an administrator. */
record TestCaller(String id, Set<String> rights, Optional<String> impersonatedBy) implements Caller {

    static TestCaller of(String id, String... rights) {
        return new TestCaller(id, Set.of(rights), Optional.empty());
    }

    TestCaller impersonatedBy(String adminId) {
        return new TestCaller(id, rights, Optional.of(adminId));
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
        return rights.contains(right) || rights.contains(Rights.FULL_ADMIN);
    }
}
