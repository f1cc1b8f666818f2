package org.karyo.api.tx;

import org.karyo.api.json.Nullable;

/**
 * The platform database as an administrator sees it.
 *
 * @param up whether a connection could be taken and used
 * @param embedded whether this is the embedded PostgreSQL the platform started itself
 * @param version the server's version string, or {@code null} when down
 * @param database the database name
 * @param activeConnections connections in use
 * @param idleConnections connections idle in the pool
 * @param maxConnections the pool's size
 */
public record DatabaseStatus(
        boolean up,
        boolean embedded,
        @Nullable String version,
        String database,
        int activeConnections,
        int idleConnections,
        int maxConnections) {}
