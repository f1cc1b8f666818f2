package org.karyo.db.internal;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds the PostgreSQL binaries archive ({@code postgres-linux-x86_64.txz}) by name with a given lookup, instead of
 * zonky's class path scanning (which does not see into an OSGi bundle): inside Karaf the lookup is
 * {@code bundle::getEntry}, outside it a class loader's {@code getResource}.
 */
public final class PgBinaries implements PgBinaryResolver {

    private final Function<String, URL> lookup;

    /** A resolver that looks the archive up with {@code lookup}, for example {@code bundle::getEntry}. */
    public PgBinaries(Function<String, URL> lookup) {
        this.lookup = lookup;
    }

    /** A resolver that finds the archive on {@code loader}'s class path (the binaries jar or this bundle's jar). */
    public static PgBinaries on(ClassLoader loader) {
        return new PgBinaries(loader::getResource);
    }

    /** The archive's name for an operating system and architecture, as zonky names them. */
    static String archiveName(String system, String machineHardware) {
        return String.format(Locale.ROOT, "postgres-%s-%s.txz", system.toLowerCase(Locale.ROOT), machineHardware);
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        String name = archiveName(system, machineHardware);
        URL url = lookup.apply(name);
        if (url == null) {
            throw new IOException("No embedded PostgreSQL binaries for this platform (" + name + " is missing)");
        }
        return url.openStream();
    }
}
