package org.karyo.omics.hts;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's htslib tools (bgzip, tabix, bcftools), the reference the tests check against. */
final class Tools {

    private Tools() {}

    static void require(String tool) {
        if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
            fail("/usr/bin/" + tool + " is missing: install Debian's tabix and bcftools packages"
                    + " (apt-get install tabix bcftools); these tests check Karyo against them");
        }
    }

    /** Runs a command, returns its stdout; fails the test when it exits non-zero. */
    static byte[] run(Path dir, String... command) {
        require(command[0]);
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, "/usr/bin/" + command[0]);
        try {
            Path out = Files.createTempFile(dir, "out", ".bin");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                fail(cmd + " exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            byte[] b = Files.readAllBytes(out);
            Files.delete(out);
            Files.delete(err);
            return b;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** bgzip -c {@code in} > {@code out}. */
    static Path bgzip(Path in, Path out) throws IOException {
        Files.write(out, run(in.getParent(), "bgzip", "-c", in.toString()));
        return out;
    }
}
