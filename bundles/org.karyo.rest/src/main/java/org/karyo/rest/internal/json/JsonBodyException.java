package org.karyo.rest.internal.json;

import java.io.IOException;

/**
 * A request body that could not be read as the resource method's parameter: carries the client-facing problem.
 * An {@link IOException} so that neither Jackson nor CXF wraps it on the way to the exception mapper.
 */
final class JsonBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    JsonBodyException(Problem problem) {
        super(problem.type() + ": " + problem.detail());
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected client error: no stack trace
    }
}
