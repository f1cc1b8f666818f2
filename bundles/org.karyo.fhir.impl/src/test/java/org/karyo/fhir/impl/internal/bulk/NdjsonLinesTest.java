package org.karyo.fhir.impl.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.fhir.api.FhirException;

/** Reading NDJSON line by line, and the rules of import files' names, places and order. */
class NdjsonLinesTest {

    @TempDir
    Path dir;

    private static List<NdjsonLines.Line> read(byte[] bytes, int max) throws IOException {
        List<NdjsonLines.Line> out = new ArrayList<>();
        try (NdjsonLines lines = new NdjsonLines(new ByteArrayInputStream(bytes), max)) {
            NdjsonLines.Line l;
            while ((l = lines.next()) != null) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void linesKeepTheirNumbersAndABadLineIsReportedAlone() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("{\"a\":1}\r\n\n   \n".getBytes(StandardCharsets.UTF_8));
        b.write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'}); // not UTF-8
        b.write("{\"é\":\"ü\"}\n".getBytes(StandardCharsets.UTF_8));
        b.write(("{\"long\":\"" + "x".repeat(100) + "\"}\n").getBytes(StandardCharsets.UTF_8));
        b.write("{\"last\":true}".getBytes(StandardCharsets.UTF_8)); // no final newline
        byte[] bytes = b.toByteArray();
        List<NdjsonLines.Line> lines = read(bytes, 64);
        assertThat(lines).extracting(NdjsonLines.Line::number).containsExactly(1, 4, 5, 6, 7);
        assertThat(lines.get(0).text()).isEqualTo("{\"a\":1}");
        assertThat(lines.get(1).problem()).contains("UTF-8");
        assertThat(lines.get(2).text()).isEqualTo("{\"é\":\"ü\"}");
        assertThat(lines.get(3).problem()).contains("longer than 64 bytes");
        assertThat(lines.get(4).text()).isEqualTo("{\"last\":true}");
        assertThat(NdjsonLines.count(new ByteArrayInputStream(bytes))).isEqualTo(5);
        // a line longer than the read buffer
        String big = "{\"v\":\"" + "y".repeat(200_000) + "\"}";
        assertThat(read((big + "\n" + big).getBytes(StandardCharsets.UTF_8), 1 << 20))
                .extracting(NdjsonLines.Line::text)
                .containsExactly(big, big);
        assertThat(read(new byte[0], 10)).isEmpty();
    }

    @Test
    void filesAreNamedByTypeAndReadReferencedTypesFirst() throws IOException {
        assertThat(ImportFile.typeOf("Observation.ndjson")).isEqualTo("Observation");
        assertThat(ImportFile.typeOf("fhir/imports/u/Observation.part-1.ndjson"))
                .isEqualTo("Observation");
        for (String bad : List.of("observation.ndjson", "Observation.json", "Observation..ndjson", "x/.ndjson")) {
            assertThatThrownBy(() -> ImportFile.typeOf(bad)).isInstanceOf(FhirException.class);
        }
        List<ImportFile> files = new ArrayList<>();
        for (String name : List.of(
                "Provenance.ndjson",
                "Observation.ndjson",
                "Claim.ndjson",
                "Patient.ndjson",
                "Organization.ndjson",
                "Encounter.ndjson",
                "Condition.ndjson",
                "Practitioner.ndjson")) {
            files.add(new ImportFile(false, name, ImportFile.typeOf(name)));
        }
        files.sort(ImportFile.ORDER);
        assertThat(files)
                .extracting(ImportFile::type)
                .containsExactly(
                        "Organization",
                        "Practitioner",
                        "Patient",
                        "Encounter",
                        "Condition",
                        "Claim",
                        "Observation",
                        "Provenance");
    }

    @Test
    void onlyFilesInsideTheImportFolderAreRead() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("import"));
        Files.createDirectories(folder.resolve("set"));
        Files.writeString(folder.resolve("set/Patient.ndjson"), "{}\n");
        Files.writeString(folder.resolve("set/Observation.1.ndjson"), "{}\n");
        Files.writeString(folder.resolve("set/notes.txt"), "x");
        Path outside = Files.writeString(dir.resolve("Patient.ndjson"), "{}\n");
        Files.createSymbolicLink(folder.resolve("set/Link.ndjson"), outside);

        assertThat(ImportFile.filesIn(folder, "set/Patient.ndjson"))
                .containsExactly(new ImportFile(false, "set/Patient.ndjson", "Patient"));
        assertThat(ImportFile.filesIn(
                        folder, folder.resolve("set/Patient.ndjson").toString()))
                .extracting(ImportFile::location)
                .containsExactly("set/Patient.ndjson");
        // a folder: its .ndjson files; the link that leads outside is refused
        assertThatThrownBy(() -> ImportFile.filesIn(folder, "set"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("outside the import folder"));
        Files.delete(folder.resolve("set/Link.ndjson"));
        assertThat(ImportFile.filesIn(folder, "set"))
                .extracting(ImportFile::location)
                .containsExactly("set/Observation.1.ndjson", "set/Patient.ndjson");
        for (String bad : List.of("../Patient.ndjson", outside.toString(), "set/Missing.ndjson")) {
            assertThatThrownBy(() -> ImportFile.filesIn(folder, bad)).isInstanceOf(FhirException.class);
        }
        assertThatThrownBy(() -> ImportFile.filesIn(null, "set"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.getMessage()).contains("No import folder"));
        assertThat(ImportFile.ofKey("fhir/imports/abc/Patient.ndjson").name()).isEqualTo("abc/Patient.ndjson");
        assertThatThrownBy(() -> ImportFile.ofKey("fhir/imports/../x/Patient.ndjson"))
                .isInstanceOf(FhirException.class);
        assertThat(ImportFile.decode(
                        ImportFile.ofKey("fhir/imports/a/Patient.ndjson").encode()))
                .isEqualTo(ImportFile.ofKey("fhir/imports/a/Patient.ndjson"));
    }
}
