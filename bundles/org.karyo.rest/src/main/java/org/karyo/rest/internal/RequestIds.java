package org.karyo.rest.internal;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: a sane incoming {@code X-Request-Id} is kept, anything else is replaced by a random UUID. */
public final class RequestIds {
    static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {}

    /** The incoming id when it matches {@code [A-Za-z0-9._-]{1,64}}, else a new random UUID. */
    static String accept(String incoming) {
        if (incoming != null && SANE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }
}
