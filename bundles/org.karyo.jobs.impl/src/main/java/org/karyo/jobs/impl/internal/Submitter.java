package org.karyo.jobs.impl.internal;

import java.util.Optional;
import org.karyo.api.security.Caller;

/**
 * Whoever submitted a job, as its handler sees it: the identity (for audit entries), holding no right.
 *
 * @param id the submitter's opaque id
 * @param impersonator the impersonating administrator's id, or {@code null}
 * @param service whether it is a service account
 */
record Submitter(String id, String impersonator, boolean service) implements Caller {

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

    @Override
    public Optional<String> impersonatedBy() {
        return Optional.ofNullable(impersonator);
    }

    @Override
    public boolean serviceAccount() {
        return service;
    }

    @Override
    public String toString() {
        return id;
    }
}
