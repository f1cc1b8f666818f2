package org.karyo.auth.impl.internal.mfa;

/**
 * The second factor as the login flow sees it (implemented in this package as a DS component with
 * {@code service = SecondFactor.class}).
 */
public interface SecondFactor {

    /** Whether the user has a confirmed second factor. */
    boolean enrolled(String userId);

    /**
     * Checks a one-time code (or a recovery code) of an enrolled user; a code is accepted at most once.
     *
     * @throws org.karyo.api.KaryoException UNAUTHENTICATED of type {@code mfa-invalid} when the code is wrong, or
     *     TOO_MANY_REQUESTS while the user's second factor is backing off
     */
    void verify(String userId, String code);

    /** Whether the site policy requires this user to have a second factor. */
    boolean required(String userId);
}
