package org.karyo.db.internal;

/** A unit of work could not take its connection, commit or roll back. The cause is the driver's exception. */
public final class UnitOfWorkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnitOfWorkException(String message, Throwable cause) {
        super(message, cause);
    }
}
