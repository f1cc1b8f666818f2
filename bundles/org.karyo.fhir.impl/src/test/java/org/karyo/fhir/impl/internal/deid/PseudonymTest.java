package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;

/** Identifier pseudonyms: PSN- + base32 of the first 10 bytes of HMAC-SHA256(key, system|value). */
class PseudonymTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** The pseudonym computed independently of the implementation (base32 through BigInteger's radix 32). */
    private static String expected(byte[] key, String system, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] digest = mac.doFinal((system + "|" + value).getBytes(StandardCharsets.UTF_8));
        String radix32 = new BigInteger(1, Arrays.copyOf(digest, 10)).toString(32);
        StringBuilder out = new StringBuilder();
        for (int i = radix32.length(); i < 16; i++) {
            out.append('A');
        }
        for (char c : radix32.toCharArray()) {
            out.append(ALPHABET.charAt(Character.digit(c, 32)));
        }
        return "PSN-" + out;
    }

    @Test
    void isTheKeyedHmacOfSystemAndValue() throws Exception {
        byte[] key = DeidFixtures.key(7);
        Deidentifier d = new Deidentifier(key);
        assertThat(d.pseudonym("http://hospital/mrn", "12345"))
                .isEqualTo(expected(key, "http://hospital/mrn", "12345"));
        assertThat(d.pseudonym(null, "12345")).isEqualTo(expected(key, "", "12345"));
        assertThat(d.pseudonym("http://hospital/mrn", "12345")).matches("PSN-[A-Z2-7]{16}");
    }

    @Test
    void isStableForOneKeyAndDiffersForAnother() {
        Deidentifier a1 = new Deidentifier(DeidFixtures.key(1));
        Deidentifier a2 = new Deidentifier(DeidFixtures.key(1));
        Deidentifier b = new Deidentifier(DeidFixtures.key(2));
        assertThat(a1.pseudonym("s", "v")).isEqualTo(a2.pseudonym("s", "v"));
        assertThat(a1.pseudonym("s", "v")).isNotEqualTo(b.pseudonym("s", "v"));
        Patient p1 = (Patient) a1.deidentify(DeidFixtures.patient());
        Patient p2 = (Patient) a2.deidentify(DeidFixtures.patient());
        Patient p3 = (Patient) b.deidentify(DeidFixtures.patient());
        assertThat(p1.getIdentifierFirstRep().getValue())
                .isEqualTo(p2.getIdentifierFirstRep().getValue());
        assertThat(p1.getIdentifierFirstRep().getValue())
                .isNotEqualTo(p3.getIdentifierFirstRep().getValue());
    }

    @Test
    void dependsOnTheSystem() {
        Deidentifier d = new Deidentifier(DeidFixtures.key(1));
        assertThat(d.pseudonym("http://a", "1")).isNotEqualTo(d.pseudonym("http://b", "1"));
        assertThat(d.pseudonym("a|b", "c"))
                .as("the documented input, system|value")
                .isEqualTo(d.pseudonym("a", "b|c"));
    }

    @Test
    void linksAPatientsIdentifierAndAReferenceToItsIdentifier() {
        Deidentifier d = new Deidentifier(DeidFixtures.key(1));
        Patient p = (Patient) d.deidentify(DeidFixtures.patient());
        Observation o = new Observation();
        o.setStatus(org.hl7.fhir.r5.model.Enumerations.ObservationStatus.FINAL);
        o.setCode(DeidFixtures.concept("http://loinc.org", "2339-0", "Glucose", null));
        Reference subject = new Reference();
        subject.setIdentifier(DeidFixtures.patient().getIdentifier().get(1).copy());
        subject.getIdentifier().setType(null);
        o.setSubject(subject);
        Observation out = (Observation) d.deidentify(o);
        assertThat(out.getSubject().getIdentifier().getValue())
                .isEqualTo(p.getIdentifier().get(1).getValue());
    }

    @Test
    void theKeyMustBe32BytesAndIsCopied() {
        assertThatThrownBy(() -> new Deidentifier(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        byte[] key = DeidFixtures.key(3);
        Deidentifier d = new Deidentifier(key);
        String before = d.pseudonym("s", "v");
        Arrays.fill(key, (byte) 0);
        assertThat(d.pseudonym("s", "v")).isEqualTo(before);
    }

    @Test
    void base32FollowsRfc4648() {
        // RFC 4648 test vector: BASE32("fooba") = "MZXW6YTB"
        assertThat(Deidentifier.base32("foobafooba".getBytes(StandardCharsets.US_ASCII), 10))
                .isEqualTo("MZXW6YTBMZXW6YTB");
    }
}
