package org.karyo.projects.api;

/**
 * A participant's consent (EBDMS {@code consent_status}). {@link #EXPIRED} is never stored: it is a consent given
 * with an expiry date that has passed, computed when the participant is read.
 */
public enum ConsentState {
    /** Consent has been asked for but not (yet) given. */
    PENDING,
    /** Consent is given: it has a signing date and a consent document. */
    GIVEN,
    /** Consent was given and then withdrawn. */
    WITHDRAWN,
    /** Consent was given but its expiry date has passed. */
    EXPIRED;

    /** Whether genotype data may be read. */
    public boolean allowsGenotypes() {
        return this == GIVEN;
    }
}
