package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.EnvOverrides;

class MasterKeyTest {
    private final MasterKey key = new MasterKey(new byte[32]);

    @Test
    void sealsAndOpensWithTheSameContext() {
        byte[] sealed = key.seal("secret".getBytes(StandardCharsets.UTF_8), "totp:1");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(sealed).hasSize(1 + 12 + 6 + 16);
        assertThat(key.open(sealed, "totp:1")).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
        assertThat(key.seal("secret".getBytes(StandardCharsets.UTF_8), "totp:1"))
                .isNotEqualTo(sealed);
    }

    @Test
    void refusesAnotherContextATamperedValueOrAnotherKey() {
        byte[] sealed = key.seal("secret".getBytes(StandardCharsets.UTF_8), "totp:1");
        assertThatThrownBy(() -> key.open(sealed, "totp:2")).isInstanceOf(IllegalStateException.class);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> key.open(tampered, "totp:1")).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new MasterKey(other).open(sealed, "totp:1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> key.open(new byte[5], "totp:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void derivesFromBase64KeyMaterialOrFromALongPassphrase() {
        String b64 = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] a = MasterKey.derive(b64);
        assertThat(a).hasSize(32).isEqualTo(MasterKey.derive(b64));
        byte[] p = MasterKey.derive("a passphrase that is long enough to be used as a key");
        assertThat(p).hasSize(32).isNotEqualTo(a);
        assertThatThrownBy(() -> MasterKey.derive("too short")).hasMessageContaining("KARYO_MASTER_KEY");
    }

    @Test
    void refusesToStartWithoutAKeyOutsideTheDevProfile(@TempDir Path dir) {
        assertThatThrownBy(() -> MasterKey.load(EnvOverrides.of(Map.of()), dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KARYO_MASTER_KEY");
        assertThatThrownBy(() -> MasterKey.load(EnvOverrides.of(Map.of("KARYO_PROFILE", "prod")), dir))
                .hasMessageContaining("KARYO_MASTER_KEY");
        assertThat(dir.resolve(MasterKey.DEV_KEY_FILE)).doesNotExist();
    }

    @Test
    void theDevProfileGeneratesAPrivateKeyFileOnce(@TempDir Path dir) throws Exception {
        EnvOverrides dev = EnvOverrides.of(Map.of("KARYO_PROFILE", "dev"));
        byte[] first = MasterKey.load(dev, dir.resolve("var"));
        Path file = dir.resolve("var").resolve(MasterKey.DEV_KEY_FILE);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(MasterKey.load(dev, dir.resolve("var"))).isEqualTo(first);
    }

    @Test
    void theEnvironmentKeyWins(@TempDir Path dir) {
        String b64 = Base64.getEncoder().encodeToString(new byte[48]);
        byte[] k = MasterKey.load(EnvOverrides.of(Map.of("KARYO_MASTER_KEY", b64, "KARYO_PROFILE", "dev")), dir);
        assertThat(k).isEqualTo(MasterKey.derive(b64));
        assertThat(dir.resolve(MasterKey.DEV_KEY_FILE)).doesNotExist();
    }
}
