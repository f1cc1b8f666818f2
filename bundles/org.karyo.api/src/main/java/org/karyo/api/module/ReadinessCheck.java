package org.karyo.api.module;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A whiteboard service that takes part in {@code /api/health}'s readiness: the platform is ready when the database is
 * up, every module is {@link ModuleState#ACTIVE} and every registered check is ready.
 */
@ConsumerType
public interface ReadinessCheck {
    /** A short name, for example {@code modules}. */
    String name();

    /** Whether this part of the platform is ready. */
    boolean ready();

    /**
     * Why it is not ready, or while ready a note an administrator should see (an optional plug-in installed but not
     * configured); client-safe, shown to administrators only; {@code null} when there is nothing to say.
     */
    String detail();
}
