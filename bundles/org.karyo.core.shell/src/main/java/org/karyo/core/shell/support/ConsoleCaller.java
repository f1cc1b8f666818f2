package org.karyo.core.shell.support;

import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/**
 * The caller of a console command: the Karyo user that the access module maps the logged-in Karaf user to, with that
 * user's rights, so that a command passes the same checks and leaves the same audit entries as the REST call it
 * mirrors.
 */
public final class ConsoleCaller {
    private ConsoleCaller() {}

    /**
     * The caller for the Karaf user running the current command.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when the console user is not mapped to an active user
     */
    public static Caller current(ConsoleIdentity identity) {
        return identity.resolve(ShellUtil.getCurrentUserName());
    }
}
