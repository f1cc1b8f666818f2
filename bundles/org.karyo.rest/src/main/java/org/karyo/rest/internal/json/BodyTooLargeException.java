package org.karyo.rest.internal.json;

import java.io.IOException;

/** A request body over {@code max.body.bytes}. An {@link IOException} so that Jackson passes it through unwrapped. */
final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    BodyTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
