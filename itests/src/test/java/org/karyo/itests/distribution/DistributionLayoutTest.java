package org.karyo.itests.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.karyo.itests.support.Distribution;

/** What the built distribution holds at its root, as an operator unpacks it. */
class DistributionLayoutTest {

    @Test
    void theSiteFilesAreLaidOverKarafAndNoStrayCopyOfThemIsShipped() throws Exception {
        Path root = Distribution.root();
        assertThat(root.resolve("assembly"))
                .as("the build's copy of src/main/resources/assembly is not shipped")
                .doesNotExist();
        assertThat(Files.readString(root.resolve("bin/setenv"))).contains("JAVA_MAX_MEM");
        assertThat(Files.readString(root.resolve("etc/org.ops4j.pax.web.cfg"))).contains("KARYO_HTTP_PORT");
        try (var top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("bin", "data", "deploy", "etc", "lib", "system");
        }
    }
}
