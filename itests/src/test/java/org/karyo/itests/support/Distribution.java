package org.karyo.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The built Karyo distribution, unpacked by the build into {@code target/distribution}. */
public final class Distribution {
    private Distribution() {}

    /** The unpacked distribution's root folder (the one holding {@code bin/karaf}). */
    public static Path root() {
        Path unpacked = Path.of(System.getProperty("karyo.distribution", "target/distribution"));
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("bin/karaf")))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no distribution under " + unpacked.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distribution's tar.gz in the local Maven repository's layout, as Pax Exam wants it. */
    public static String version() {
        return System.getProperty("karyo.version", "0.1.0-SNAPSHOT");
    }

    /** A private copy of the distribution, so each booted platform starts from a clean state. */
    public static Path copyTo(Path target) throws IOException {
        Path source = root();
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /** A TCP port that is free right now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
