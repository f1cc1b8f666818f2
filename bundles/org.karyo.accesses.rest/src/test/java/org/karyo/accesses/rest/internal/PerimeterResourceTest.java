package org.karyo.accesses.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessService.ReadMode;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;

class PerimeterResourceTest {

    private final FakePerimeters perimeters = new FakePerimeters();
    private final FakeAccesses accesses = new FakeAccesses();
    private final PerimeterResource resource = new PerimeterResource(perimeters, accesses);

    private static List<String> invalidFields(Runnable call) {
        KaryoException e = catchThrowableOfType(call::run, KaryoException.class);
        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void listPassesEveryMultiValuedFilter() {
        Page<PerimeterJson> page =
                resource.list(" cardio ", "hospital,pole", "1, 2", "L1,L2", "S1", "c1,c2", "100", "0", Fixtures.SC);
        assertThat(perimeters.caller).isSameAs(Fixtures.ALICE);
        assertThat(perimeters.query)
                .isEqualTo(new PerimeterQuery(
                        Optional.of("cardio"),
                        List.of("hospital", "pole"),
                        List.of(1L, 2L),
                        List.of("L1", "L2"),
                        List.of("S1"),
                        List.of("c1", "c2")));
        assertThat(perimeters.page).isEqualTo(new PageRequest(100, 0, List.of()));
        assertThat(page.results()).extracting(PerimeterJson::aboveLevelsIds).containsExactly("1");
    }

    @Test
    void listWithoutFiltersAsksForAllAndBadParametersAreNamed() {
        resource.list(null, null, null, null, null, null, null, null, Fixtures.SC);
        assertThat(perimeters.query).isEqualTo(PerimeterQuery.ALL);
        assertThat(invalidFields(() -> resource.list(null, null, "one", null, null, null, "0", "x", Fixtures.SC)))
                .containsExactlyInAnyOrder("parent_id", "limit", "offset");
        assertThat(perimeters.calls).containsExactly("list");
    }

    @Test
    void manageableAddsDescendantsAsSoonAsThereIsAnyQueryParameter() {
        List<PerimeterJson> top = resource.manageable(
                null, null, null, null, null, null, Fixtures.uri("accesses/perimeters/manageable"), Fixtures.SC);
        assertThat(top).extracting(PerimeterJson::id).containsExactly(1L);
        assertThat(perimeters.withDescendants).isFalse();
        assertThat(perimeters.query).isEqualTo(PerimeterQuery.ALL);

        resource.manageable(
                null,
                "hospital",
                null,
                null,
                null,
                null,
                Fixtures.uri("accesses/perimeters/manageable", "type_source_value", "hospital"),
                Fixtures.SC);
        assertThat(perimeters.withDescendants).isTrue();
        assertThat(perimeters.query.types()).containsExactly("hospital");

        resource.manageable(
                null,
                null,
                null,
                null,
                null,
                null,
                Fixtures.uri("accesses/perimeters/manageable", "anything", ""),
                Fixtures.SC);
        assertThat(perimeters.withDescendants).isTrue();
    }

    @Test
    void getAndChildrenTakeAPathId() {
        assertThat(resource.get("3", Fixtures.SC).id()).isEqualTo(3);
        Page<PerimeterJson> children = resource.children("3", "2", "4", Fixtures.SC);
        assertThat(perimeters.page).isEqualTo(new PageRequest(2, 4, List.of()));
        assertThat(children.results()).extracting(PerimeterJson::parentId).containsExactly(Optional.of(3L));
        assertThat(catchThrowableOfType(() -> resource.get("root", Fixtures.SC), KaryoException.class)
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(perimeters.calls).containsExactly("get 3", "children 3");
    }

    @Test
    void patientDataRightsIsPaged() {
        Page<DataRightJson> page = resource.patientDataRights("5", null, Fixtures.SC);
        assertThat(accesses.page).isEqualTo(new PageRequest(5, 0, List.of()));
        assertThat(page.results())
                .extracting(DataRightJson::rightReadOpposedPatientsData)
                .containsExactly(true);
        assertThat(invalidFields(() -> resource.patientDataRights(null, "-5", Fixtures.SC)))
                .containsExactly("offset");
    }

    @Test
    void patientDataReadNeedsAValidModeAndSomeTargets() {
        ReadPermissionJson p = resource.patientDataRead("1,2", "c9", "MAX", Fixtures.SC);
        assertThat(p).isEqualTo(new ReadPermissionJson(true, false, true, false));
        assertThat(accesses.perimeterIds).containsExactly(1L, 2L);
        assertThat(accesses.cohortIds).containsExactly("c9");
        assertThat(accesses.mode).isEqualTo(ReadMode.MAX);
        resource.patientDataRead(null, "c9", "min", Fixtures.SC);
        assertThat(accesses.mode).isEqualTo(ReadMode.MIN);

        assertThat(invalidFields(() -> resource.patientDataRead("1", null, null, Fixtures.SC)))
                .containsExactly("mode");
        assertThat(invalidFields(() -> resource.patientDataRead("1", null, "all", Fixtures.SC)))
                .containsExactly("mode");
        assertThat(invalidFields(() -> resource.patientDataRead(null, " ", "min", Fixtures.SC)))
                .containsExactly("perimeters_ids");
        assertThat(invalidFields(() -> resource.patientDataRead("x", null, "max", Fixtures.SC)))
                .containsExactly("perimeters_ids");
        assertThat(accesses.calls).containsExactly("read", "read");
    }

    @Test
    void createAnswers201WithLocation() {
        NewPerimeterBody body = new NewPerimeterBody(" H1 ", "Hospital", "", "SRC", "hospital", 1L, null);
        Response r = resource.create(body, Fixtures.uri("accesses/perimeters"), Fixtures.SC);
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/accesses/perimeters/31"));
        assertThat(((PerimeterJson) r.getEntity()).parentId()).contains(1L);
        assertThat(perimeters.created)
                .isEqualTo(new NewPerimeter(
                        "H1",
                        "Hospital",
                        Optional.empty(),
                        Optional.of("SRC"),
                        "hospital",
                        Optional.of(1L),
                        Optional.empty()));
    }

    @Test
    void createNamesEveryMissingField() {
        assertThat(invalidFields(() -> resource.create(
                        new NewPerimeterBody(null, " ", null, null, null, 0L, null),
                        Fixtures.uri("accesses/perimeters"),
                        Fixtures.SC)))
                .containsExactly("local_id", "name", "type_source_value", "parent_id");
        assertThat(perimeters.calls).isEmpty();
    }

    @Test
    void importHandsTheCsvToTheServiceAndReportsWhatItDid() {
        String csv = "id,local_id,name,short_name,source_value,type_source_value,parent_id\n1,L1,Root,R,S,root,\n";
        ImportReportJson report =
                resource.importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), Fixtures.SC);
        assertThat(report).isEqualTo(new ImportReportJson(2, 1, 7));
        assertThat(perimeters.csv).isEqualTo(csv);
        assertThat(perimeters.caller).isSameAs(Fixtures.ALICE);
    }

    @Test
    void anImportOverTheCapIsTooLarge() throws IOException {
        byte[] eleven = "0123456789X".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = PerimeterResource.capped(new ByteArrayInputStream(eleven), 10)) {
            assertThat(in.read(new byte[4])).isEqualTo(4);
            assertThat(in.read()).isEqualTo('4');
            KaryoException e = catchThrowableOfType(in::readAllBytes, KaryoException.class);
            assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
            assertThat(e.getMessage()).contains("10 bytes");
        }
        try (InputStream in = PerimeterResource.capped(new ByteArrayInputStream(eleven), 11)) {
            assertThat(in.readAllBytes()).isEqualTo(eleven);
        }
        try (InputStream in = PerimeterResource.capped(null, 10)) {
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(PerimeterResource.MAX_CSV_BYTES).isEqualTo(64L * 1024 * 1024);
    }
}
