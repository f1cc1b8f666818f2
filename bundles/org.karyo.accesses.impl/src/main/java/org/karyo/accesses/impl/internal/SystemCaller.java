package org.karyo.accesses.impl.internal;

import org.karyo.api.security.Caller;

/** The module itself, as the author of what it does on its own (bootstrap, rights registration) in the audit. */
final class SystemCaller implements Caller {
    static final SystemCaller INSTANCE = new SystemCaller();
    static final String ID = "system";

    private SystemCaller() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String getName() {
        return ID;
    }

    @Override
    public boolean authenticated() {
        return true;
    }

    @Override
    public boolean hasRight(String right) {
        return false;
    }

    @Override
    public String toString() {
        return ID;
    }
}
