package org.karyo.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PgBinariesTest {

    @Test
    void findsTheArchiveByZonkysNameWithTheGivenLookup() throws IOException {
        PgBinaries binaries = PgBinaries.on(PgBinariesTest.class.getClassLoader());
        try (InputStream in = binaries.getPgBinary("Linux", "x86_64")) {
            byte[] magic = in.readNBytes(6);
            assertThat(magic).as("xz magic").containsExactly(0xFD, '7', 'z', 'X', 'Z', 0x00);
        }
    }

    @Test
    void aMissingArchiveIsNamed() {
        PgBinaries binaries = new PgBinaries(name -> null);
        assertThatThrownBy(() -> binaries.getPgBinary("Darwin", "arm64"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("postgres-darwin-arm64.txz");
    }
}
