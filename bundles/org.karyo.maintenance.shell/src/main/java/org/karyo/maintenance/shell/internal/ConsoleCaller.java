package org.karyo.maintenance.shell.internal;

import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.api.security.Caller;

/**
 * The caller of a console command: {@code console:<karaf user>}, authenticated, holding every right (whoever reaches
 * the Karaf console administers the platform; issue 3 maps it to a real identity).
 *
 * @param id {@code console:<user>}
 */
record ConsoleCaller(String id) implements Caller {

    /** The user logged in to this console session ({@code console:local} when none is known). */
    static ConsoleCaller current() {
        return of(ShellUtil.getCurrentUserName());
    }

    static ConsoleCaller of(String user) {
        return new ConsoleCaller("console:" + (user == null || user.isBlank() ? "local" : user));
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
}
