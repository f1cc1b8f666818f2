package org.karyo.auth.impl.internal.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TOTP against RFC 6238 appendix B, and base32 against RFC 4648 section 10. */
class TotpTest {

    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0}")
    @CsvSource({
        "59,          94287082, 46119246, 90693936",
        "1111111109,  07081804, 68084774, 25091201",
        "1111111111,  14050471, 67062674, 99943326",
        "1234567890,  89005924, 91819424, 93441116",
        "2000000000,  69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"
    })
    void matchesTheRfc6238Vectors(long time, String sha1, String sha256, String sha512) {
        Totp t1 = new Totp(Totp.Algorithm.SHA1, 8, 30);
        Totp t256 = new Totp(Totp.Algorithm.SHA256, 8, 30);
        Totp t512 = new Totp(Totp.Algorithm.SHA512, 8, 30);

        assertThat(t1.code(SEED_SHA1, t1.step(time))).isEqualTo(sha1);
        assertThat(t256.code(SEED_SHA256, t256.step(time))).isEqualTo(sha256);
        assertThat(t512.code(SEED_SHA512, t512.step(time))).isEqualTo(sha512);
        assertThat(t1.matches(SEED_SHA1, t1.step(time), sha1)).isTrue();
    }

    @Test
    void sixDigitCodesAreTheLastSixDigitsOfTheEightDigitOnes() {
        Totp six = Totp.DEFAULT;
        assertThat(six.code(SEED_SHA1, six.step(59))).isEqualTo("287082");
        assertThat(six.code(SEED_SHA1, six.step(1111111109))).isEqualTo("081804");
        assertThat(six.matches(SEED_SHA1, six.step(59), "287081")).isFalse();
        assertThat(six.matches(SEED_SHA1, six.step(59), "2870820")).isFalse();
    }

    @Test
    void stepsAreThirtySecondsFromTheEpoch() {
        assertThat(Totp.DEFAULT.step(0)).isZero();
        assertThat(Totp.DEFAULT.step(29)).isZero();
        assertThat(Totp.DEFAULT.step(30)).isEqualTo(1);
        assertThat(Totp.DEFAULT.step(59)).isEqualTo(1);
    }

    @Test
    void recognisesTheShapeOfACode() {
        assertThat(Totp.DEFAULT.looksLikeCode("012345")).isTrue();
        assertThat(Totp.DEFAULT.looksLikeCode("01234")).isFalse();
        assertThat(Totp.DEFAULT.looksLikeCode("01234a")).isFalse();
        assertThat(Totp.DEFAULT.looksLikeCode("０１２３４５")).isFalse();
    }

    @Test
    void refusesParametersOutsideTheRfc() {
        assertThatThrownBy(() -> new Totp(Totp.Algorithm.SHA1, 5, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp(Totp.Algorithm.SHA1, 9, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Totp(Totp.Algorithm.SHA1, 6, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"'',''", "f,MY", "fo,MZXQ", "foo,MZXW6", "foob,MZXW6YQ", "fooba,MZXW6YTB", "foobar,MZXW6YTBOI"})
    void base32MatchesRfc4648(String plain, String encoded) {
        byte[] bytes = plain.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.encode(bytes)).isEqualTo(encoded);
        assertThat(Base32.decode(encoded)).isEqualTo(bytes);
        assertThat(Base32.decode(encoded.toLowerCase(Locale.ROOT) + "===")).isEqualTo(bytes);
    }

    @Test
    void base32RefusesForeignCharacters() {
        assertThatThrownBy(() -> Base32.decode("MZ1W")).isInstanceOf(IllegalArgumentException.class);
    }
}
