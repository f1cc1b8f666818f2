package org.karyo.auth.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher defaults = PasswordHasher.of(AuthSettings.defaults());

    @Test
    void hashesAreArgon2idPhcStringsWithTheConfiguredParametersAndARandomSalt() {
        String a = defaults.hash("Correct-Horse-42!".toCharArray());
        String b = defaults.hash("Correct-Horse-42!".toCharArray());
        assertThat(a).matches("^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$");
        assertThat(a).isNotEqualTo(b);
        String salt = a.split("\\$")[4];
        assertThat(Base64.getDecoder().decode(salt)).hasSize(16);
    }

    @Test
    void hashMatchesAnIndependentArgon2idComputation() {
        String phc = defaults.hash("pässwörd-Ünicode-1".toCharArray());
        String[] parts = phc.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(19456)
                .withIterations(2)
                .withParallelism(1)
                .withSalt(salt)
                .build());
        byte[] out = new byte[32];
        g.generateBytes("pässwörd-Ünicode-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        assertThat(parts[5]).isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(out));
    }

    @Test
    void verifiesTheRightPasswordOnly() {
        PasswordHasher h = new PasswordHasher(8192, 1, 1);
        String phc = h.hash("Correct-Horse-42!".toCharArray());
        assertThat(h.verify("Correct-Horse-42!".toCharArray(), phc)).isTrue();
        assertThat(h.verify("Correct-Horse-43!".toCharArray(), phc)).isFalse();
        assertThat(h.verify("".toCharArray(), phc)).isFalse();
    }

    @Test
    void verifiesHashesMadeWithOtherParametersAndAsksForARehash() {
        PasswordHasher old = new PasswordHasher(8192, 1, 1);
        PasswordHasher current = new PasswordHasher(9216, 2, 1);
        String phc = old.hash("Correct-Horse-42!".toCharArray());
        assertThat(current.verify("Correct-Horse-42!".toCharArray(), phc)).isTrue();
        assertThat(current.needsRehash(phc)).isTrue();
        assertThat(old.needsRehash(phc)).isFalse();
        assertThat(current.needsRehash(current.hash("x".toCharArray()))).isFalse();
    }

    @Test
    void malformedOrForeignHashesNeverVerify() {
        PasswordHasher h = new PasswordHasher(8192, 1, 1);
        assertThat(h.verify("x".toCharArray(), null)).isFalse();
        assertThat(h.verify("x".toCharArray(), "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"))
                .isFalse();
        assertThat(h.verify(
                        "x".toCharArray(),
                        "$argon2i$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaA"))
                .isFalse();
        assertThat(h.needsRehash("$2a$10$abcdefghijklmnopqrstuv")).isTrue();
    }
}
