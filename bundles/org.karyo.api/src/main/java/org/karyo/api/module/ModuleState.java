package org.karyo.api.module;

/** The life of an installed module's schema. */
public enum ModuleState {
    /** Its migrations are running; its services are not yet available. */
    MIGRATING,
    /** Its schema is migrated; its services may start. */
    ACTIVE,
    /** Its migrations failed; none of its services start. */
    FAILED
}
