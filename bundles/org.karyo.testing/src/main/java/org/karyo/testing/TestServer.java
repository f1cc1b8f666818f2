package org.karyo.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.karyo.db.internal.PgBinaries;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of this JVM's tests: {@code KARYO_TEST_DB_URL}'s server when the variable is set, else an
 * embedded one (zonky), started once and stopped when the JVM exits.
 */
final class TestServer {

    static final String ENV = "KARYO_TEST_DB_URL";

    private static TestServer instance;

    private final String adminUrl;
    private final boolean embedded;

    private TestServer(String adminUrl, boolean embedded) {
        this.adminUrl = adminUrl;
        this.embedded = embedded;
    }

    static synchronized TestServer get() {
        if (instance == null) {
            instance = start(System.getenv(ENV));
        }
        return instance;
    }

    /** A DataSource of {@code database} on this server (no pool), with the server's credentials. */
    PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(adminUrl);
        if (database != null) {
            ds.setDatabaseName(database);
        }
        ds.setConnectTimeout(10);
        ds.setApplicationName("karyo-test");
        return ds;
    }

    /** The JDBC URL of {@code database} on this server, with the server's credentials (for another process). */
    String url(String database) {
        URI u = URI.create(adminUrl.substring("jdbc:".length()));
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return "jdbc:postgresql://" + u.getRawAuthority() + "/" + database + query;
    }

    boolean embedded() {
        return embedded;
    }

    private static TestServer start(String url) {
        if (isSet(url)) {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException(ENV + " must be a jdbc:postgresql: URL, not " + url);
            }
            return new TestServer(url.trim(), false);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(PgBinaries.on(TestServer.class.getClassLoader()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            return new TestServer(pg.getJdbcUrl("postgres", "postgres"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for tests", e);
        }
    }

    /** Surefire passes the variable as the literal {@code ${env.KARYO_TEST_DB_URL}} when it is not set. */
    private static boolean isSet(String url) {
        return url != null && !url.isBlank() && !url.startsWith("${");
    }
}
