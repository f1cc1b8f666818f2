package org.karyo.itests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * The README's "First steps" block, run as a newcomer runs it: extracted from the README as it is committed and run
 * with bash against the built distribution, as the administrator of the test platform. A change to the API that the
 * README does not follow fails here.
 */
@ExtendWith(SharedPlatform.class)
class FirstStepsTest {
    static final String MARKER = "<!-- first-steps -->";

    static String block() throws Exception {
        Path readme = Path.of("..", "README.md");
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int at = lines.indexOf(MARKER);
        assertThat(at).as("README.md has a " + MARKER + " block").isNotNegative();
        assertThat(lines.get(at + 1)).isEqualTo("```bash");
        List<String> body = new ArrayList<>();
        for (int i = at + 2; !lines.get(i).startsWith("```"); i++) {
            body.add(lines.get(i));
        }
        return String.join("\n", body) + "\n";
    }

    @Test
    void theReadmesFirstStepsRunAsWritten(Api api, @TempDir Path dir) throws Exception {
        Path script = dir.resolve("first-steps.sh");
        Files.writeString(script, block());
        String site = api.base().toString().replaceFirst("/api/?$", "");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("KARYO", site);
        pb.environment().put("ADMIN_PASSWORD", Platform.ADMIN_PASSWORD);
        Process bash = pb.start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(180, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out).contains("\"name\":\"visits.csv\"").contains("validation: AVAILABLE, artifact ");
        // sites only, for the user without the genotype right and for the administrator: the consent is PENDING
        assertThat(out.lines().filter(l -> l.equals("{\"chrom\":\"chr1\",\"pos\":10150,\"samples\":{}}")))
                .as(out)
                .hasSize(2);
    }
}
