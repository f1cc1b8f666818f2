package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.EnvOverrides;

class HmacKeysTest {

    @TempDir
    Path var;

    @Test
    void theKeyComesFromTheEnvironmentInStandardOrUrlSafeBase64() {
        byte[] key = new byte[48];
        key[0] = (byte) 0xfb;
        key[1] = (byte) 0xff;
        assertThat(HmacKeys.load(
                        EnvOverrides.of(Map.of(
                                "KARYO_AUDIT_HMAC_KEY", Base64.getEncoder().encodeToString(key))),
                        var))
                .isEqualTo(key);
        assertThat(HmacKeys.load(
                        EnvOverrides.of(Map.of(
                                "KARYO_AUDIT_HMAC_KEY", Base64.getUrlEncoder().encodeToString(key))),
                        var))
                .isEqualTo(key);
    }

    @Test
    void aShortOrMalformedKeyMeansNoCheckpoints() {
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThat(HmacKeys.load(EnvOverrides.of(Map.of("KARYO_AUDIT_HMAC_KEY", short31)), var))
                .isNull();
        assertThat(HmacKeys.load(EnvOverrides.of(Map.of("KARYO_AUDIT_HMAC_KEY", "not base64 at all!!")), var))
                .isNull();
        assertThat(var).isEmptyDirectory();
    }

    @Test
    void withoutAKeyOutsideDevThereIsNone() {
        assertThat(HmacKeys.load(EnvOverrides.of(Map.of()), var)).isNull();
        assertThat(HmacKeys.load(EnvOverrides.of(Map.of("KARYO_PROFILE", "prod")), var))
                .isNull();
        assertThat(var).isEmptyDirectory();
    }

    @Test
    void theDevProfileGeneratesAPrivateKeyFileOnceAndReusesIt() throws Exception {
        EnvOverrides dev = EnvOverrides.of(Map.of("KARYO_PROFILE", "dev"));
        byte[] first = HmacKeys.load(dev, var);
        Path file = var.resolve("karyo-audit-hmac.key");

        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(HmacKeys.load(dev, var)).isEqualTo(first);
        // the environment wins over the file
        byte[] env = new byte[32];
        assertThat(HmacKeys.load(
                        EnvOverrides.of(Map.of(
                                "KARYO_PROFILE",
                                "dev",
                                "KARYO_AUDIT_HMAC_KEY",
                                Base64.getEncoder().encodeToString(env))),
                        var))
                .isEqualTo(env);
    }
}
