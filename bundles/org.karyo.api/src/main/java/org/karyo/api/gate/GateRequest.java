package org.karyo.api.gate;

import java.util.Set;
import org.karyo.api.security.Caller;

/**
 * A request as a {@link RequestGate} sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the path below the API root, starting with {@code /} (for example {@code /webcontent/contents/3})
 * @param caller who makes it
 */
public record GateRequest(String method, String path, Caller caller) {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    /** Whether the request may change state (anything but GET, HEAD and OPTIONS). */
    public boolean isWrite() {
        return !READS.contains(method);
    }

    /** Whether the path is {@code prefix} itself or below it. */
    public boolean under(String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }
}
