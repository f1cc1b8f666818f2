package org.karyo.api.gate;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A platform-wide admission rule contributed by a module, as a whiteboard service: the security extension asks every
 * registered gate before any resource method runs. Maintenance mode is one. A gate must answer from memory: it runs
 * on every request.
 */
@ConsumerType
public interface RequestGate {
    /**
     * Admits the request by returning, or refuses it by throwing a {@link org.karyo.api.KaryoException} (typically
     * of kind {@link org.karyo.api.Kind#UNAVAILABLE} with a retry-after).
     */
    void admit(GateRequest request);
}
