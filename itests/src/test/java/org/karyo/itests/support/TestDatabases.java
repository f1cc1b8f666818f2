package org.karyo.itests.support;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database for one booted platform on the PostgreSQL server named by {@code KARYO_TEST_DB_URL}; without that
 * variable the platform uses its own embedded PostgreSQL.
 */
public final class TestDatabases {
    private TestDatabases() {}

    /** The server URL from the environment, or {@code null}. */
    public static String serverUrl() {
        String url = System.getenv("KARYO_TEST_DB_URL");
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** Creates {@code karyo_it_<random>} and returns its JDBC URL (same host, port and parameters as the server). */
    public static String createDatabase(String prefix) throws SQLException {
        String server = serverUrl();
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server);
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return withDatabase(server, name);
    }

    /** Drops a database created by {@link #createDatabase}, ending its remaining sessions first. */
    public static void dropDatabase(String url) {
        String name = databaseOf(url);
        try (Connection c = DriverManager.getConnection(serverUrl());
                Statement s = c.createStatement()) {
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "'");
            s.execute("drop database if exists " + name);
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        URI u = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return "jdbc:postgresql://" + u.getRawAuthority() + "/" + database + query;
    }

    static String databaseOf(String jdbcUrl) {
        return URI.create(jdbcUrl.substring("jdbc:".length())).getPath().substring(1);
    }
}
