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

    /**
     * The caller of a platform command that must work without the access module (installing modules, the access
     * module among them): the mapped Karyo user, as {@link #current}, while the access module provides
     * {@code identity}; without it ({@code null}), the Karaf user itself, {@code console:<user>}, holding no right, so
     * that the audit trail still says who acted.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED when {@code identity} is given and the console user is not
     *     mapped to an active user
     */
    public static Caller currentOrConsoleUser(ConsoleIdentity identity) {
        if (identity != null) {
            return current(identity);
        }
        String user = ShellUtil.getCurrentUserName();
        return new ConsoleUser("console:" + (user == null || user.isBlank() ? "local" : user));
    }

    /** A Karaf console user, as the author of a platform command when no Karyo identity can be resolved. */
    private record ConsoleUser(String id) implements Caller {
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
            return false;
        }
    }
}
