package org.karyo.auth.rest.internal;

import java.util.List;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.MfaService;

/** Accepts {@value #CODE}; remembers what it received. */
final class FakeMfaService implements MfaService {
    static final String CODE = "123456";

    Caller lastCaller;
    String lastCode;
    String lastReset;

    @Override
    public MfaEnrolment enrol(Caller caller) {
        lastCaller = caller;
        return new MfaEnrolment("otpauth://totp/Karyo:ada?secret=JBSWY3DPEHPK3PXP&issuer=Karyo", "JBSWY3DPEHPK3PXP");
    }

    @Override
    public List<String> confirm(Caller caller, String code) {
        lastCaller = caller;
        lastCode = code;
        check(code);
        return List.of("aaaa-bbbb", "cccc-dddd");
    }

    @Override
    public void disable(Caller caller, String code) {
        lastCaller = caller;
        lastCode = code;
        check(code);
    }

    @Override
    public void reset(Caller caller, String username) {
        lastCaller = caller;
        lastReset = username;
    }

    private static void check(String code) {
        if (!code.equals(CODE)) {
            throw KaryoException.invalid("code", "is not a current code");
        }
    }
}
