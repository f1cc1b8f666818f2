package org.karyo.core.shell.support;

import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.api.security.Caller;

/**
 * The caller of a console command: {@code console:<karaf user>} ({@code console:local} on the local console, which
 * has no logged-in user), authenticated, holding every right for now (the identity issue maps it to a real identity).
 */
public final class ConsoleCaller implements Caller {

    private final String id;

    private ConsoleCaller(String user) {
        this.id = "console:" + (user == null || user.isBlank() ? "local" : user);
    }

    /** The caller for the Karaf user running the current command. */
    public static Caller current() {
        return new ConsoleCaller(ShellUtil.getCurrentUserName());
    }

    /** The caller for a named Karaf user. */
    public static Caller of(String user) {
        return new ConsoleCaller(user);
    }

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
}
