package org.karyo.db.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds the platform's connection pools: HikariCP over a {@link PGSimpleDataSource} object (no driver lookup). */
public final class Pools {

    private Pools() {}

    /**
     * A target for an external server's URL, with credentials when given (they may also travel in the URL).
     *
     * @throws IllegalArgumentException when the driver rejects the URL
     */
    public static PGSimpleDataSource target(String url, String user, String password, int connectTimeoutSeconds) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(connectTimeoutSeconds);
        ds.setLoginTimeout(connectTimeoutSeconds);
        ds.setApplicationName("karyo");
        return ds;
    }

    /**
     * Opens a pool; it takes a first connection before it returns.
     *
     * @throws RuntimeException (Hikari's {@code PoolInitializationException}) when no connection could be made
     *     within {@code connectTimeoutSeconds}
     */
    public static HikariDataSource open(PGSimpleDataSource target, String name, int size, int connectTimeoutSeconds) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(connectTimeoutSeconds * 1000L);
        config.setValidationTimeout(Math.min(5000L, connectTimeoutSeconds * 1000L));
        config.setInitializationFailTimeout(connectTimeoutSeconds * 1000L);
        config.setAutoCommit(true);
        config.setRegisterMbeans(false);
        // the platform's statements are interactive: PostgreSQL's JIT compiles a plan whose estimated cost is high
        // (a search over a large table) for some 20 ms, more than such a statement then runs
        config.setConnectionInitSql("SET jit = off");
        return new HikariDataSource(config);
    }
}
