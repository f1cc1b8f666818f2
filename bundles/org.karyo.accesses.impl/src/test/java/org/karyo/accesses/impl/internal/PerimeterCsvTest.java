package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/** Reading Cohort360's perimeters.csv. */
class PerimeterCsvTest {

    static PerimeterCsv.Parsed parse(String text) {
        return PerimeterCsv.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    static KaryoException invalid(String text) {
        try {
            parse(text);
        } catch (KaryoException e) {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            return e;
        }
        throw new AssertionError("expected INVALID");
    }

    @Test
    void readsCohort360sSemicolonFileWithItsExtraColumnsParentsFirst() {
        // the example file of Cohort360 (admin_cohort/tests/perimeters.example.csv), children listed first here
        PerimeterCsv.Parsed parsed = parse(
                """
                id;name;short_name;type_source_value;source_value;local_id;cohort_id;parent_id;level;above_levels_ids;inferior_levels_ids
                4;Hospital Service;Hospital Serv 1;hospital_serv;HS1;local_04;13;2;3;1,2;
                2;Hospital Department 1;Hospital Depart 1;hospital_depart;HD1;local_02;11;1;2;1;4
                1;Main Hospital;Main Hospital;hospital;MH1;local_01;1;;1;;2,3
                3;Hospital Department 2;Hospital Depart 2;hospital_depart;HD2;local_03;12;1;2;1;
                """);
        assertThat(parsed.hasCohortId()).isTrue();
        assertThat(parsed.rows())
                .extracting(PerimeterCsv.Row::localId)
                .containsExactly("local_01", "local_02", "local_03", "local_04");
        PerimeterCsv.Row service = parsed.rows().get(3);
        assertThat(service.line()).isEqualTo(2);
        assertThat(service.name()).isEqualTo("Hospital Service");
        assertThat(service.shortName()).isEqualTo("Hospital Serv 1");
        assertThat(service.sourceValue()).isEqualTo("HS1");
        assertThat(service.type()).isEqualTo("hospital_serv");
        assertThat(service.csvParentId()).isEqualTo("2");
        assertThat(service.cohortId()).contains("13");
    }

    @Test
    void readsCommasQuotesCrlfAndABom() {
        PerimeterCsv.Parsed parsed =
                parse("\uFEFFid,local_id,name,short_name,source_value,type_source_value,parent_id\r\n"
                        + "1,a,\"Hospital, \"\"North\"\"\",N,SV,hospital,\r\n"
                        + "2,b,\"Two\nlines\",,,unit,1\r\n");
        assertThat(parsed.hasCohortId()).isFalse();
        assertThat(parsed.rows()).hasSize(2);
        assertThat(parsed.rows().get(0).name()).isEqualTo("Hospital, \"North\"");
        assertThat(parsed.rows().get(1).name()).isEqualTo("Two\nlines");
        assertThat(parsed.rows().get(1).cohortId()).isEmpty();
    }

    @Test
    void aMissingColumnNamesLineOne() {
        KaryoException e = invalid("id;local_id;name;short_name;source_value;parent_id\n1;a;A;;;\n");
        assertThat(e.errors()).containsExactly(new FieldError("line 1: type_source_value", "missing column"));
    }

    @Test
    void anEmptyFileIsInvalid() {
        assertThat(invalid("").errors()).extracting(FieldError::field).containsExactly("line 1");
    }

    @Test
    void badRowsNameTheirLineAndColumn() {
        KaryoException e = invalid(
                """
                id;local_id;name;short_name;source_value;type_source_value;parent_id
                1;root;Root;;;institution;
                2;;No local id;;;unit;1
                3;c;;;;unit;1
                1;d;Repeated id;;;unit;
                5;root;Repeated local id;;;unit;1
                6;f;Orphan;;;unit;42
                7;g;Own parent;;;;7
                8;h;Short
                """);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "line 3: local_id",
                        "line 4: name",
                        "line 5: id",
                        "line 6: local_id",
                        "line 8: type_source_value",
                        "line 8: parent_id",
                        "line 9: short_name",
                        "line 9: source_value",
                        "line 9: type_source_value",
                        "line 9: parent_id",
                        "line 7: parent_id");
    }

    @Test
    void aCycleIsInvalid() {
        KaryoException e = invalid(
                """
                id;local_id;name;short_name;source_value;type_source_value;parent_id
                1;root;Root;;;institution;
                2;a;A;;;unit;3
                3;b;B;;;unit;2
                """);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("line 3: parent_id", "line 4: parent_id");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] bytes = {'i', 'd', (byte) 0xC3, (byte) 0x28};
        assertThatThrownBy(() -> PerimeterCsv.parse(new ByteArrayInputStream(bytes)))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("file"));
    }
}
