package org.karyo.auth.shell.internal;

import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;

/** The Karyo identity a console command runs as: the one mapped to the Karaf user, with its current rights. */
final class Console {
    private Console() {}

    /**
     * The caller for the Karaf user running the command, so that the command goes through the same authorisation and
     * audit as the REST API.
     *
     * @throws IllegalArgumentException with the reason when the console user is not mapped to an active Karyo user
     */
    static Caller caller(ConsoleIdentity identity) {
        try {
            return identity.resolve(ShellUtil.getCurrentUserName());
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
    }
}
