package org.karyo.auth.rest.internal;

import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;

/**
 * The access module's part, for the HTTP slice: {@code Authorization: Bearer <caller id>} names one of the given
 * callers; declared needs are enforced as the access module does (401 without identity, 403 without the right).
 */
final class TestAccessControl implements AccessControl {
    private final Map<String, TestCaller> callers;

    TestAccessControl(Map<String, TestCaller> callers) {
        this.callers = callers;
    }

    @Override
    public Caller authenticate(AccessRequest request) {
        String header = request.header("Authorization");
        if (header == null) {
            return Caller.ANONYMOUS;
        }
        TestCaller caller = header.startsWith("Bearer ") ? callers.get(header.substring(7)) : null;
        if (caller == null) {
            throw KaryoException.unauthenticated("The access token is not valid");
        }
        return caller;
    }

    @Override
    public void authorize(Caller caller, Declarations.Need need, GateRequest request) {
        if (need instanceof Declarations.PublicNeed) {
            return;
        }
        if (!caller.authenticated()) {
            throw KaryoException.unauthenticated("Authentication is required");
        }
        if (need instanceof Declarations.RightNeed r && !caller.hasRight(r.right())) {
            throw KaryoException.forbidden("This needs the right " + r.right());
        }
    }
}
