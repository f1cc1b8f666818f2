package org.karyo.omics.impl.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Debian's htslib tools ({@code /usr/bin/bgzip}, {@code tabix}, {@code bcftools}): the reference answers. */
final class Tools {
    private Tools() {}

    /** Runs a command; its standard output, or an assertion error with its standard error. */
    static byte[] run(Path dir, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new AssertionError(
                        Arrays.toString(command) + " exited with " + exit + ": " + Files.readString(err));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes {@code bytes} to {@code name} in {@code dir}. */
    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bgzip -c}. */
    static byte[] bgzip(Path dir, byte[] plain) {
        Path in = write(dir, "plain-" + System.nanoTime() + ".txt", plain);
        return run(dir, "/usr/bin/bgzip", "-c", in.toString());
    }

    /** {@code tabix [-h] file regions...} as lines. */
    static List<String> tabix(Path dir, Path file, boolean header, String... regions) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/tabix"));
        if (header) {
            cmd.add("-h");
        }
        cmd.add(file.toString());
        cmd.addAll(List.of(regions));
        return lines(run(dir, cmd.toArray(String[]::new)));
    }

    static List<String> lines(byte[] text) {
        List<String> out = new ArrayList<>();
        for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(java.io.InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
