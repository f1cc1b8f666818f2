package org.karyo.db.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The PostgreSQL server's version and whether Karyo's tests run on it: what the platform says once at start.
 *
 * <p>Flyway 8.5.13, the newest Flyway that runs in OSGi here, knows PostgreSQL up to 14 and warns that 15 and 16 are
 * "newer" at every module's migration. Karyo's own tests run the migrations on {@link #TESTED} instead; the
 * distribution's logging configuration drops exactly that Flyway warning, and this line says what holds.
 *
 * @param major the major version ({@code server_version_num / 10000})
 * @param display the version as the server shows it, without the build details ({@code 15.20})
 */
record ServerVersion(int major, String display) {

    /**
     * The major versions Karyo's tests run on: the server CI uses (this machine kind's PostgreSQL, 15) and the embedded
     * server (the zonky binaries, 16).
     */
    static final Set<Integer> TESTED = Set.of(15, 16);

    /** Reads the version of the server behind {@code dataSource}. */
    static ServerVersion of(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            return of(rs.getInt(1), rs.getString(2));
        }
    }

    static ServerVersion of(int versionNum, String version) {
        String display =
                version == null ? Integer.toString(versionNum) : version.strip().split("\\s+")[0];
        return new ServerVersion(versionNum / 10_000, display);
    }

    boolean tested() {
        return TESTED.contains(major);
    }

    /** What the start line says about the server. */
    String describe() {
        String tested = TESTED.stream().sorted().map(String::valueOf).collect(Collectors.joining(" and "));
        return tested()
                ? "PostgreSQL " + display + ", a version Karyo's tests run on (" + tested + ")"
                : "PostgreSQL " + display + ", a version Karyo's tests do not run on (they run on " + tested + ")";
    }
}
