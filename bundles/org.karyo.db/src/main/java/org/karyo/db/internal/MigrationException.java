package org.karyo.db.internal;

/**
 * A module's migrations failed. {@link #detail()} is client-safe (the failing migration's version and description,
 * never the SQL error); the cause carries Flyway's exception for the log.
 */
public final class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String module;
    private final String detail;
    private final String version;

    MigrationException(String module, String detail, String version, Throwable cause) {
        super("Migrations of module " + module + " failed: " + detail, cause);
        this.module = module;
        this.detail = detail;
        this.version = version;
    }

    /** The module whose migrations failed. */
    public String module() {
        return module;
    }

    /** The schema's version after the failure (the migrations before the failing one stay), or {@code null}. */
    public String version() {
        return version;
    }

    /** What failed, safe to show to an administrator or client. */
    public String detail() {
        return detail;
    }
}
