package org.karyo.content.shell.internal;

import java.util.Objects;
import org.apache.karaf.shell.support.ShellUtil;
import org.karyo.api.security.Caller;

/**
 * The caller of a console command: {@code console:<karaf user>}, authenticated, holding every right for now (the
 * identity issue maps it to a real identity).
 */
final class ConsoleCaller implements Caller {

    private final String id;

    private ConsoleCaller(String user) {
        this.id = "console:" + Objects.requireNonNullElse(user, "unknown");
    }

    /** The caller for the Karaf user running the current command. */
    static Caller current() {
        return new ConsoleCaller(ShellUtil.getCurrentUserName());
    }

    /** The caller for a named Karaf user. */
    static Caller of(String user) {
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
