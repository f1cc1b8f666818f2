package org.karyo.fhir.impl.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.karyo.fhir.api.FhirException;

class FhirJsonTest {
    static final FhirJson JSON = new FhirJson();

    static Stream<Arguments> samples() {
        return Samples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void validResourcesParseAndWriteBackTheSame(String type, String json) {
        Resource r = JSON.parse(json);
        assertThat(r.fhirType()).isEqualTo(type);
        String written = JSON.write(r);
        Resource again = JSON.parse(written);
        assertThat(JSON.write(again)).isEqualTo(written);
        assertThat(again.equalsDeep(JSON.parse(json))).isTrue();
        assertThat(JSON.check(r)).isEmpty();
    }

    @Test
    void theStreamFormReadsUtf8WithOrWithoutABom() {
        byte[] utf8 = Samples.PATIENT.getBytes(StandardCharsets.UTF_8);
        Patient p = (Patient) JSON.parse(new ByteArrayInputStream(utf8), "Patient", FhirJson.Limits.DEFAULT);
        assertThat(p.getNameFirstRep().getFamily()).isEqualTo("Müller");
        assertThat(p.getIdPart()).isEqualTo("pat-1");
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        Resource withBom = JSON.parse(new ByteArrayInputStream(bom), null, FhirJson.Limits.DEFAULT);
        assertThat(withBom.equalsDeep(p)).isTrue();
    }

    @Test
    void writingToAStreamGivesTheSameUtf8() {
        Resource r = JSON.parse(Samples.PATIENT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JSON.write(r, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(JSON.write(r));
    }

    @Test
    void bundleEntriesKeepTheIdsTheClientSent() {
        String json = Samples.BUNDLE.replace(
                "\"resource\": {\"resourceType\": \"Observation\",",
                "\"resource\": {\"resourceType\": \"Observation\", \"id\": \"client-1\", \"meta\": {\"versionId\": \"4\"},");
        Bundle b = (Bundle) JSON.parse(json);
        // HAPI alone would have replaced these ids by the entries' fullUrls
        assertThat(b.getEntry().get(0).getResource().getIdElement().getIdPart()).isNull();
        assertThat(b.getEntry().get(1).getResource().getIdElement().getIdPart()).isEqualTo("client-1");
        assertThat(b.getEntry().get(1).getResource().getIdElement().getVersionIdPart())
                .isEqualTo("4");
        assertThat(b.getEntry().get(1).getFullUrl()).isEqualTo("urn:uuid:8f0e7a4a-2f5b-4d5e-9a55-2c1f0b8d6a02");
        assertThat(b.getEntry().get(2).getResource().getIdElement().getIdPart()).isEqualTo("org-1");
    }

    @Test
    void referencesKeepTheirVersions() {
        Resource r = JSON.parse(Samples.OBSERVATION.replace("Patient/pat-1", "Patient/pat-1/_history/3"));
        assertThat(JSON.write(r)).contains("\"reference\":\"Patient/pat-1/_history/3\"");
    }

    @Test
    void theExpectedTypeMustMatch() {
        assertThat(JSON.parse(stream(Samples.PATIENT), "Patient", FhirJson.Limits.DEFAULT))
                .isInstanceOf(Patient.class);
        FhirInputException e = reject(Samples.PATIENT, "Observation");
        assertThat(e.issues())
                .extracting(Issue::code, Issue::location)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("invalid", "Patient"));
        assertThat(e.issues().get(0).message()).contains("Expected resource type Observation, found Patient");
    }

    /** One bad input: its issues as "code@location", in order. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                // JSON syntax and shape
                bad("{\"resourceType\":\"Patient\",", "structure@Patient"),
                bad("{\"resourceType\":\"Patient\"} {}", "structure@Patient"),
                bad("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"x\"]}", "structure@Patient.name[0]"),
                bad("[1,2]", "structure@Resource"),
                bad("", "structure@Resource"),
                bad("{\"resourceType\":\"Patient\",\"active\":tru}", "structure@Patient.active"),
                bad(
                        "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":NaN}}",
                        "structure@Observation.valueQuantity.value"),
                bad("{\"resourceType\":\"Patient\",'active':true}", "structure@Patient"),
                bad(
                        "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"gender\":\"female\"}",
                        "structure@Patient.gender"),
                // resourceType
                bad("{\"id\":\"x\"}", "required@Resource"),
                bad("{\"resourceType\":\"Foo\"}", "not-supported@Resource"),
                bad("{\"resourceType\":\"patient\"}", "not-supported@Resource"),
                bad("{\"resourceType\":\"DomainResource\"}", "not-supported@Resource"),
                bad("{\"resourceType\":42}", "structure@Resource"),
                // unknown elements, HAPI's internal names, misplaced keys
                bad("{\"resourceType\":\"Patient\",\"foo\":1}", "structure@Patient.foo"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"x\",\"nickname\":\"y\"}]}",
                        "structure@Patient.name[0].nickname"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"subjectResource\":{\"reference\":\"Patient/1\"}}",
                        "structure@Observation.subjectResource"),
                bad(
                        "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://x\",\"valueResource\":{}}]}",
                        "structure@Patient.extension[0].valueResource",
                        "invalid@Patient.extension[0]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"resourceType\":\"Patient\",\"family\":\"x\"}]}",
                        "structure@Patient.name[0].resourceType"),
                bad("{\"resourceType\":\"Patient\",\"_name\":{\"id\":\"x\"}}", "structure@Patient._name"),
                bad("{\"resourceType\":\"Patient\",\"fhir_comments\":[\"x\"]}", "structure@Patient.fhir_comments"),
                // ids and extension urls cannot have extensions (HAPI drops them silently)
                bad(
                        "{\"resourceType\":\"Patient\",\"_id\":{\"extension\":[{\"url\":\"http://x\",\"valueString\":\"y\"}]}}",
                        "structure@Patient._id"),
                bad(
                        "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://x\",\"valueString\":\"y\","
                                + "\"_url\":{\"id\":\"u\"}}]}",
                        "structure@Patient.extension[0]._url"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"x\",\"modifierExtension\":[]}]}",
                        "structure@Patient.name[0].modifierExtension"),
                // JSON types
                bad("{\"resourceType\":\"Patient\",\"name\":{\"family\":\"x\"}}", "structure@Patient.name"),
                bad("{\"resourceType\":\"Patient\",\"gender\":[\"male\"]}", "structure@Patient.gender"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"given\":\"Anna\"}]}",
                        "structure@Patient.name[0].given"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":\"8867-4\"}",
                        "structure@Observation.code"),
                bad("{\"resourceType\":\"Patient\",\"active\":\"true\"}", "structure@Patient.active"),
                bad(
                        "{\"resourceType\":\"Patient\",\"multipleBirthInteger\":\"2\"}",
                        "structure@Patient.multipleBirth.ofType(integer)"),
                bad("{\"resourceType\":\"Patient\",\"birthDate\":19800101}", "structure@Patient.birthDate"),
                bad("{\"resourceType\":\"Patient\",\"extension\":[\"x\"]}", "structure@Patient.extension[0]"),
                bad("{\"resourceType\":\"Patient\",\"name\":[[{\"family\":\"x\"}]]}", "structure@Patient.name[0]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":{}}}",
                        "structure@Patient.text.div"),
                bad(
                        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":\"Patient/1\"}]}",
                        "structure@Bundle.entry[0].resource"),
                // nulls and empties
                bad("{\"resourceType\":\"Patient\",\"gender\":null}", "structure@Patient.gender"),
                bad(
                        "{\"resourceType\":\"Patient\",\"birthDate\":null,\"_birthDate\":{\"id\":\"b\"}}",
                        "structure@Patient.birthDate"),
                bad("{\"resourceType\":\"Patient\",\"name\":[null]}", "structure@Patient.name[0]"),
                bad("{\"resourceType\":\"Patient\",\"name\":[]}", "structure@Patient.name"),
                bad("{\"resourceType\":\"Patient\",\"name\":[{}]}", "structure@Patient.name[0]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"Anna\",\"\"]}]}",
                        "value@Patient.name[0].given[1]"),
                bad("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"  \"}]}", "value@Patient.name[0].family"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"a\",null]}]}",
                        "structure@Patient.name[0].given[1]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"a\",\"b\"],\"_given\":[null]}]}",
                        "structure@Patient.name[0]._given"),
                // primitive formats
                bad("{\"resourceType\":\"Patient\",\"id\":\"a/b\"}", "value@Patient.id"),
                bad("{\"resourceType\":\"Patient\",\"id\":\"" + "x".repeat(65) + "\"}", "value@Patient.id"),
                bad("{\"resourceType\":\"Patient\",\"birthDate\":\"2020-13-01\"}", "value@Patient.birthDate"),
                bad("{\"resourceType\":\"Patient\",\"birthDate\":\"2023-02-29\"}", "value@Patient.birthDate"),
                bad("{\"resourceType\":\"Patient\",\"birthDate\":\"2020-01-01T10:00:00Z\"}", "value@Patient.birthDate"),
                bad(
                        "{\"resourceType\":\"Patient\",\"deceasedDateTime\":\"2020-01-01T10:00:00\"}",
                        "value@Patient.deceased.ofType(dateTime)"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"issued\":\"2020-01-01\"}",
                        "value@Observation.issued"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"preliminary \",\"code\":{\"text\":\"x\"}}",
                        "value@Observation.status"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"bogus\",\"code\":{\"text\":\"x\"}}",
                        "value@Observation.status"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"valueQuantity\":{\"value\":\"1.5\"}}",
                        "structure@Observation.value.ofType(Quantity).value"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"valueQuantity\":{\"value\":1e999}}",
                        "value@Observation.value.ofType(Quantity).value"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"valueQuantity\":{\"value\":0.123456789012345678}}",
                        "value@Observation.value.ofType(Quantity).value"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"valueInteger\":1.0}",
                        "value@Observation.value.ofType(integer)"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"valueInteger\":2147483648}",
                        "value@Observation.value.ofType(integer)"),
                bad(
                        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"a\",\"valuePositiveInt\":0},"
                                + "{\"name\":\"b\",\"valueUnsignedInt\":-1},{\"name\":\"c\",\"valueTime\":\"25:00:00\"},"
                                + "{\"name\":\"d\",\"valueUri\":\"http://x y\"},{\"name\":\"e\",\"valueOid\":\"1.2.3\"},"
                                + "{\"name\":\"f\",\"valueUuid\":\"urn:uuid:ABC\"},{\"name\":\"g\",\"valueBase64Binary\":\"!!!\"},"
                                + "{\"name\":\"h\",\"valueInteger64\":\"1e3\"},{\"name\":\"i\",\"valueCode\":\"a  b\"},"
                                + "{\"name\":\"j\",\"valueBase64Binary\":\"SGVsbG8gV29ybGe=\"}]}",
                        "value@Parameters.parameter[0].value.ofType(positiveInt)",
                        "value@Parameters.parameter[1].value.ofType(unsignedInt)",
                        "value@Parameters.parameter[2].value.ofType(time)",
                        "value@Parameters.parameter[3].value.ofType(uri)",
                        "value@Parameters.parameter[4].value.ofType(oid)",
                        "value@Parameters.parameter[5].value.ofType(uuid)",
                        "value@Parameters.parameter[6].value.ofType(base64Binary)",
                        "value@Parameters.parameter[7].value.ofType(integer64)",
                        "value@Parameters.parameter[8].value.ofType(code)",
                        "value@Parameters.parameter[9].value.ofType(base64Binary)"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\\u0000b\"}]}",
                        "value@Patient.name[0].family"),
                bad(
                        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\\ud800b\"}]}",
                        "value@Patient.name[0].family"),
                // choices
                bad(
                        "{\"resourceType\":\"Patient\",\"deceasedBoolean\":true,\"deceasedDateTime\":\"2020\"}",
                        "structure@Patient.deceased"),
                // contained resources and local references
                bad(
                        "{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\",\"active\":true}],"
                                + "\"status\":\"final\",\"code\":{\"text\":\"x\"}}",
                        "required@Observation.contained[0].id"),
                bad(
                        "{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"a\","
                                + "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"b\",\"active\":true}]}],"
                                + "\"status\":\"final\",\"code\":{\"text\":\"x\"}}",
                        "invalid@Observation.contained[0].contained"),
                bad(
                        "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                                + "\"subject\":{\"reference\":\"#p1\"}}",
                        "invalid@Observation.subject.reference"),
                // extensions
                bad(
                        "{\"resourceType\":\"Patient\",\"extension\":[{\"valueString\":\"x\"}]}",
                        "required@Patient.extension[0].url"),
                bad(
                        "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://a\",\"valueString\":\"x\","
                                + "\"extension\":[{\"url\":\"b\",\"valueString\":\"y\"}]}]}",
                        "invalid@Patient.extension[0]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"1970-01-01\",\"_birthDate\":{\"extension\":"
                                + "[{\"url\":\"http://x\"}]}}",
                        "invalid@Patient.birthDate.extension[0]"),
                bad(
                        "{\"resourceType\":\"Patient\",\"birthDate\":\"1970-01-01\",\"_birthDate\":{\"value\":1}}",
                        "structure@Patient.birthDate.value"),
                // narratives
                bad(narrative("<div>x</div>"), "value@Patient.text.div"),
                bad(narrative("plain text"), "value@Patient.text.div"),
                bad(
                        narrative("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>alert(1)</script></div>"),
                        "value@Patient.text.div"),
                bad(
                        narrative("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p onclick=\\\"x()\\\">a</p></div>"),
                        "value@Patient.text.div"),
                bad(
                        narrative("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">a&nbsp;b</div>"),
                        "value@Patient.text.div"),
                bad(
                        narrative(
                                "<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><a href=\\\"javascript:x()\\\">a</a></div>"),
                        "value@Patient.text.div"),
                bad(
                        narrative("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">" + "<b>".repeat(100_000) + "x"
                                + "</b>".repeat(100_000) + "</div>"),
                        "too-costly@Patient.text.div"),
                bad(narrative("<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"> </div>"), "value@Patient.text.div"),
                // required elements, with everything else, in document order
                bad(
                        "{\"resourceType\":\"Observation\",\"foo\":1,\"valueString\":\"\"}",
                        "structure@Observation.foo",
                        "value@Observation.value.ofType(string)",
                        "required@Observation.status",
                        "required@Observation.code"));
    }

    @ParameterizedTest(name = "{index}: {1}")
    @MethodSource("badInputs")
    void badInputGivesLocatedIssues(String json, List<String> expected) {
        FhirInputException e = reject(json, null);
        assertThat(e.issues()).extracting(i -> i.code() + "@" + i.location()).containsExactlyElementsOf(expected);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.issues()).allSatisfy(i -> assertThat(i.message()).isNotBlank());
    }

    @Test
    void hapisStrictParserAloneAcceptsMuchOfWhatIsRefusedHere() {
        // what HAPI 8.8.1 with StrictErrorHandler lets through (or mangles), documented by example
        ca.uhn.fhir.parser.IParser strict =
                JSON.context().newJsonParser().setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler());
        List<String> acceptedByHapi = new ArrayList<>();
        for (Arguments a : badInputs().toList()) {
            String json = (String) a.get()[0];
            try {
                strict.parseResource(json);
                acceptedByHapi.add(json);
            } catch (RuntimeException | StackOverflowError e) {
                // refused (or crashed)
            }
        }
        assertThat(acceptedByHapi).hasSizeGreaterThan(30);
    }

    @Test
    void issuesStopAtTheCap() {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Patient\"");
        for (int i = 0; i < 150; i++) {
            sb.append(",\"unknown").append(i).append("\":1");
        }
        FhirInputException e = reject(sb.append('}').toString(), null);
        assertThat(e.issues()).hasSize(FhirJson.MAX_ISSUES + 1);
        assertThat(e.issues().get(FhirJson.MAX_ISSUES).code()).isEqualTo("too-costly");
        assertThat(e.getMessage()).contains("Patient.unknown0").contains("and 100 more issues");
    }

    @Test
    void aBodyOverTheByteLimitIsA413WithoutReadingItAll() {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                read[0] += len;
                return len;
            }
        };
        FhirJson.Limits limits = FhirJson.Limits.DEFAULT.withMaxBytes(1000);
        assertThatThrownBy(() -> JSON.parse(endless, "Patient", limits))
                .isInstanceOfSatisfying(FhirInputException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.issues())
                            .extracting(Issue::code, Issue::location)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("too-long", "Patient"));
                });
        assertThat(read[0]).isLessThanOrEqualTo(1001 + 8192);
        assertThatThrownBy(() -> JSON.parse(Samples.PATIENT, null, FhirJson.Limits.DEFAULT.withMaxBytes(100)))
                .isInstanceOfSatisfying(
                        FhirInputException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void nestingDeeperThanTheLimitStopsTheScan() {
        String deep = "{\"resourceType\":\"Patient\",\"extension\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        FhirInputException e = reject(deep, null);
        assertThat(e.issues())
                .extracting(Issue::severity, Issue::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Issue.Severity.FATAL, "too-costly"));
        assertThat(e.issues().get(0).location()).startsWith("Patient.extension[0][0][0]");
        assertThat(e.issues().get(0).message()).contains("deeper than 64");

        FhirJson.Limits shallow = new FhirJson.Limits(1 << 20, 4, 1000, 1000);
        String fine = "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"a\"]}]}";
        assertThat(JSON.parse(fine, null, shallow)).isInstanceOf(Patient.class);
        String deeper = "{\"resourceType\":\"Patient\",\"name\":[{\"period\":{\"extension\":"
                + "[{\"url\":\"http://x\",\"valueString\":\"y\"}]}}]}";
        assertThatThrownBy(() -> JSON.parse(deeper, null, shallow))
                .isInstanceOfSatisfying(
                        FhirInputException.class,
                        x -> assertThat(x.issues().get(0).location()).isEqualTo("Patient.name[0].period.extension"));
    }

    @Test
    void longStringsLongArraysAndLongNumbersAreRefused() {
        String huge = "x".repeat(5 * 1024 * 1024);
        FhirInputException s = reject("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + huge + "\"}]}", null);
        assertThat(s.issues())
                .extracting(i -> i.code() + "@" + i.location())
                .containsExactly("too-long@Patient.name[0].family");

        FhirInputException k = reject("{\"resourceType\":\"Patient\",\"" + huge + "\":1}", null);
        assertThat(k.issues().get(0).code()).isEqualTo("too-long");
        assertThat(k.issues().get(0).location()).hasSizeLessThan(200);

        StringBuilder array = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[");
        for (int i = 0; i <= 100_000; i++) {
            array.append(i == 0 ? "\"a\"" : ",\"a\"");
        }
        FhirInputException a = reject(array.append("]}]}").toString(), null);
        assertThat(a.issues())
                .extracting(i -> i.code() + "@" + i.location())
                .containsExactly("too-long@Patient.name[0].given");

        FhirInputException n =
                reject("{\"resourceType\":\"Observation\",\"valueInteger\":" + "9".repeat(2000) + "}", null);
        assertThat(n.issues().get(0).code()).isEqualTo("too-long");
    }

    @Test
    void invalidUtf8IsLocated() {
        byte[] head = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "ller\"}]}".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(
                new byte[] {(byte) 0xFC}, // not UTF-8 (ü in Latin-1)
                new byte[] {(byte) 0xC0, (byte) 0xBC}, // overlong
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) { // an encoded surrogate
            byte[] input = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, input, 0, head.length);
            System.arraycopy(bad, 0, input, head.length, bad.length);
            System.arraycopy(tail, 0, input, head.length + bad.length, tail.length);
            assertThatThrownBy(() -> JSON.parse(new ByteArrayInputStream(input), null, FhirJson.Limits.DEFAULT))
                    .isInstanceOfSatisfying(FhirInputException.class, e -> assertThat(e.issues())
                            .extracting(i -> i.code() + "@" + i.location())
                            .containsExactly("structure@Patient.name[0].family"));
        }
        byte[] utf16 = Samples.PATIENT.getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> JSON.parse(new ByteArrayInputStream(utf16), null, FhirJson.Limits.DEFAULT))
                .isInstanceOf(FhirInputException.class);
    }

    @Test
    void issuesBecomeAnOperationOutcomeThatIsItselfValid() {
        FhirInputException e = reject("{\"resourceType\":\"Observation\",\"status\":\"bogus\"}", null);
        OperationOutcome oo = e.toOperationOutcome();
        assertThat(oo.getIssue()).hasSize(2);
        OperationOutcome.OperationOutcomeIssueComponent first = oo.getIssueFirstRep();
        assertThat(first.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(first.getCode()).isEqualTo(OperationOutcome.IssueType.VALUE);
        assertThat(first.getExpression()).extracting(Object::toString).containsExactly("Observation.status");
        assertThat(first.getDiagnostics()).contains("bogus");
        assertThat(oo.getIssue().get(1).getCode()).isEqualTo(OperationOutcome.IssueType.REQUIRED);
        Resource back = JSON.parse(JSON.write(oo));
        assertThat(back.equalsDeep(oo)).isTrue();

        FhirException api = e.toFhirException();
        assertThat(api.status()).isEqualTo(400);
        assertThat(api.outcome().getIssue()).hasSize(2);
        assertThat(api.getMessage()).contains("bogus");
        assertThat(e.getMessage()).startsWith("Invalid FHIR input: Observation.status: Unknown code 'bogus'");
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        FhirJson shared = new FhirJson();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 50; i++) {
                        for (Map.Entry<String, String> s : Samples.all().entrySet()) {
                            if (shared.parse(s.getValue()).fhirType().equals(s.getKey())) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(50 * Samples.all().size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new FhirJson.Limits(0, 64, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FhirJson.Limits(10, 10_000, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FhirJson.Limits.DEFAULT).isEqualTo(new FhirJson.Limits(16L << 20, 64, 1 << 20, 100_000));
    }

    static Arguments bad(String json, String... expected) {
        return Arguments.of(json, List.of(expected));
    }

    static String narrative(String div) {
        return "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\"" + div + "\"}}";
    }

    static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    static FhirInputException reject(String json, String expectedType) {
        try {
            Resource r = JSON.parse(stream(json), expectedType, FhirJson.Limits.DEFAULT);
            throw new AssertionError("accepted: " + JSON.write(r));
        } catch (FhirInputException e) {
            return e;
        }
    }
}
