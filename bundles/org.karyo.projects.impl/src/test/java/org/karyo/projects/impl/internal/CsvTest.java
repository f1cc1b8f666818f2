package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

class CsvTest {

    @Test
    void quotedFieldsKeepSeparatorsQuotesAndLineBreaksAndRecordsRememberTheirLine() {
        List<Csv.Record> records = Csv.parse("a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n\n2, spaced ,\n");
        assertThat(records).hasSize(3);
        assertThat(records.get(1).fields()).containsExactly("1", "x, \"y\"", "two\nlines");
        assertThat(records.get(2).line()).isEqualTo(5);
        assertThat(records.get(2).fields()).containsExactly("2", "spaced", "");
    }

    @Test
    void aSemicolonHeaderWithoutCommasSwitchesTheSeparator() {
        assertThat(Csv.parse("a;b\n1;2\n").get(1).fields()).containsExactly("1", "2");
    }

    @Test
    void formulaLookingCellsAreGuardedOnWriteAndRestoredOnRead() throws Exception {
        List<String> values = List.of("=HYPERLINK(\"x\")", "+33", "-5", "-x", "@sum", "plain", "'quoted", "a,b");
        StringWriter out = new StringWriter();
        Csv.write(out, values);
        assertThat(out.toString()).startsWith("\"'=HYPERLINK(\"\"x\"\")\",+33,-5,'-x,'@sum,plain,'quoted,\"a,b\"");
        assertThat(Csv.parse(out.toString()).get(0).fields()).isEqualTo(values);
    }

    @Test
    void badFilesAreRefused() {
        assertThatThrownBy(() -> Csv.parse("a,b\n\"open")).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(
                        e.errors().get(0).field())
                .isEqualTo("line 2"));
        assertThatThrownBy(() -> Csv.read(new ByteArrayInputStream(new byte[] {'a', (byte) 0xff}), 100))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("file"));
        assertThatThrownBy(() -> Csv.read(new ByteArrayInputStream("abcdef".getBytes(StandardCharsets.UTF_8)), 5))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
        assertThat(Csv.read(new ByteArrayInputStream("\uFEFFa\n1\n".getBytes(StandardCharsets.UTF_8)), 100)
                        .get(0)
                        .fields())
                .containsExactly("a");
    }

    @Test
    void pseudonymsAreBase32OfTheKeyedHash() {
        assertThat(Pseudonyms.base32(
                        new byte[] {0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                        10))
                .isEqualTo("AAAAAAAA77777777");
    }
}
