package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService.ImportReport;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;

/** Perimeter writes: create, attach inside a module's unit of work, and the all-or-nothing CSV import. */
class PerimeterServiceTest {

    private static final PageRequest ALL = new PageRequest(1000, 0, List.of());
    private static TestEnv env;

    @BeforeAll
    static void database() {
        env = new TestEnv();
    }

    @AfterAll
    static void drop() {
        env.close();
    }

    @BeforeEach
    void fixture() {
        env.reset();
    }

    private static KaryoException failure(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e;
        }
        throw new AssertionError("expected a KaryoException");
    }

    private static NewPerimeter node(String localId, String name, Long parent) {
        return new NewPerimeter(
                localId,
                name,
                Optional.empty(),
                Optional.empty(),
                "unit",
                Optional.ofNullable(parent),
                Optional.empty());
    }

    private Perimeter byLocalId(String localId) {
        return env.sql
                .one(
                        "SELECT " + PerimeterServiceImpl.COLUMNS
                                + " FROM karyo_accesses.perimeters p WHERE p.local_id = ?",
                        PerimeterServiceImpl::perimeter,
                        localId)
                .orElseThrow();
    }

    private ImportReport importCsv(Caller caller, String csv) {
        return env.perimeters.importCsv(caller, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFullAdministratorCreatesNodesWithTheirDerivedColumns() {
        env.node("Root", null);
        Caller admin = env.admin();
        Perimeter child = env.perimeters.create(
                admin,
                new NewPerimeter(
                        " child-1 ",
                        " Child ",
                        Optional.of("C"),
                        Optional.of("SV"),
                        "hospital",
                        Optional.of(env.id("Root")),
                        Optional.of("cohort-9")));
        assertThat(child.localId()).isEqualTo("child-1");
        assertThat(child.name()).isEqualTo("Child");
        assertThat(child.level()).isEqualTo(2);
        assertThat(child.aboveLevelsIds()).containsExactly(env.id("Root"));
        assertThat(child.fullPath()).isEqualTo("Root/Child");
        assertThat(child.owner()).isEqualTo(AccessRights.MODULE);
        assertThat(child.cohortId()).contains("cohort-9");
        assertThat(child.countAllowedUsersAboveLevels()).isEqualTo(1); // the full admin on the root reads below
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.perimeter.create");
        // visible at once
        assertThat(env.perimeters.get(env.caller("root-admin"), child.id()).name())
                .isEqualTo("Child");

        assertThat(failure(() -> env.perimeters.create(admin, node("child-1", "Again", null)))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("local_id");
        assertThat(failure(() -> env.perimeters.create(admin, node("x", "X", 999_999L)))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("parent_id");
        assertThat(failure(() -> env.perimeters.create(
                                admin,
                                new NewPerimeter(
                                        "",
                                        "",
                                        Optional.empty(),
                                        Optional.empty(),
                                        " ",
                                        Optional.empty(),
                                        Optional.empty())))
                        .errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("local_id", "name", "type");
        env.role("READER", Set.of(AccessRights.READ_PATIENT_NOMINATIVE));
        env.grant("reader", "READER", "Root");
        assertThat(failure(() -> env.perimeters.create(env.caller("reader"), node("y", "Y", null)))
                        .kind())
                .isEqualTo(Kind.FORBIDDEN);
    }

    /** Issue 10 §3: an institution created without a parent became a second root, which an access on the root missed. */
    @Test
    void aNodeWithoutParentGoesUnderTheSiteRoot() {
        env.node("Root", null);
        Perimeter root = env.perimeters.root();
        assertThat(root.id()).isEqualTo(env.id("Root"));

        Perimeter created = env.perimeters.create(env.admin(), node("hospital-1", "Hospital", null));
        assertThat(created.parentId()).contains(root.id());
        assertThat(created.level()).isEqualTo(2);
        assertThat(created.fullPath()).isEqualTo("Root/Hospital");
        Perimeter attached =
                env.uow.required(() -> env.perimeters.attach("projects", node("inst-1", "Institute", null)));
        assertThat(attached.parentId()).contains(root.id());
        // the full administrator's access on the root covers them
        assertThat(env.perimeters.get(env.caller("root-admin"), attached.id()).name())
                .isEqualTo("Institute");
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE parent_id IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void theSiteRootIsTheConfiguredOneElseTheOldest() {
        assertThat(failure(() -> env.perimeters.root()).kind()).isEqualTo(Kind.NOT_FOUND);
        env.sql("INSERT INTO karyo_accesses.perimeters (local_id, name, type, level, above_levels_ids, full_path)"
                + " VALUES ('other', 'Other', 'unit', 1, '{}', 'Other')");
        assertThat(env.perimeters.root().localId()).isEqualTo("other");
        env.sql("INSERT INTO karyo_accesses.perimeters (local_id, name, type, level, above_levels_ids, full_path)"
                + " VALUES ('" + env.settings.rootLocalId() + "', 'Site', 'unit', 1, '{}', 'Site')");
        assertThat(env.perimeters.root().name()).isEqualTo("Site");
    }

    @Test
    void attachJoinsTheCallersUnitOfWork() {
        env.node("Root", null);
        // the module's write fails after attaching: the node goes with it
        try {
            env.uow.run(() -> {
                env.perimeters.attach("projects", node("project-1", "Project", env.id("Root")));
                throw new IllegalStateException("the module's own write failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE local_id = 'project-1'"))
                .isZero();
        env.audit.clear();
        Perimeter p =
                env.uow.required(() -> env.perimeters.attach("projects", node("project-1", "Project", env.id("Root"))));
        assertThat(p.owner()).isEqualTo("projects");
        assertThat(p.fullPath()).isEqualTo("Root/Project");
        assertThat(env.audit.entries()).isEmpty(); // the module audits its own write
        assertThat(env.resolver.tree().contains(p.id())).isTrue();
        assertThat(failure(() -> env.perimeters.attach("Bad Owner", node("z", "Z", null)))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("owner");
    }

    private static final String CSV =
            """
            id;name;short_name;type_source_value;source_value;local_id;cohort_id;parent_id;level;above_levels_ids
            1;Main Hospital;MH;hospital;MH1;local_01;1;;1;
            2;Department 1;D1;hospital_depart;HD1;local_02;11;1;2;1
            3;Department 2;D2;hospital_depart;HD2;local_03;12;1;2;1
            4;Service;S1;hospital_serv;HS1;local_04;13;2;3;1,2
            """;

    @Test
    void importCreatesThenUpdatesByLocalIdAndDerivesTheTree() {
        Caller admin = bootstrapAdmin();
        assertThat(importCsv(admin, CSV)).isEqualTo(new ImportReport(4, 0, 0));
        Perimeter service = byLocalId("local_04");
        assertThat(service.level()).isEqualTo(3);
        assertThat(service.aboveLevelsIds())
                .containsExactly(
                        byLocalId("local_01").id(), byLocalId("local_02").id());
        assertThat(service.fullPath()).isEqualTo("Main Hospital/Department 1/Service");
        assertThat(service.cohortId()).contains("13");
        assertThat(service.type()).isEqualTo("hospital_serv");
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.perimeter.import");
        assertThat(env.audit.last().event().details()).containsEntry("created", "4");

        // a module attached a project under the service; then the service moves to Department 2 and is renamed
        Perimeter project =
                env.uow.required(() -> env.perimeters.attach("projects", node("project-1", "Project", service.id())));
        assertThat(importCsv(
                        admin,
                        CSV.replace(
                                "4;Service;S1;hospital_serv;HS1;local_04;13;2",
                                "4;Service X;S1;hospital_serv;HS1;local_04;13;3")))
                .isEqualTo(new ImportReport(0, 1, 3));
        Perimeter moved = byLocalId("local_04");
        assertThat(moved.parentId()).contains(byLocalId("local_03").id());
        assertThat(moved.fullPath()).isEqualTo("Main Hospital/Department 2/Service X");
        Perimeter projectNow = byLocalId("project-1");
        assertThat(projectNow.aboveLevelsIds())
                .containsExactly(
                        byLocalId("local_01").id(), byLocalId("local_03").id(), moved.id());
        assertThat(projectNow.fullPath()).isEqualTo("Main Hospital/Department 2/Service X/Project");
        assertThat(projectNow.level()).isEqualTo(4);
        assertThat(projectNow.id()).isEqualTo(project.id());
        // the in-memory tree follows
        assertThat(env.resolver.tree().parentId(moved.id()))
                .isEqualTo(byLocalId("local_03").id());
        assertThat(importCsv(admin, CSV.replace("4;Service;", "4;Service X;").replace(";13;2;", ";13;3;")))
                .isEqualTo(new ImportReport(0, 0, 4));
    }

    @Test
    void importIsAllOrNothing() {
        Caller admin = bootstrapAdmin();
        importCsv(admin, CSV);
        env.audit.clear();
        long before = env.count("SELECT count(*) FROM karyo_accesses.perimeters");
        String bad = CSV.replace("3;Department 2;D2", "3;Department 2 renamed;D2")
                + "5;New;N;unit;N1;local_05;;1;;\n"
                + "6;;N;unit;N1;local_06;;1;;\n";
        KaryoException e = failure(() -> importCsv(admin, bad));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("line 7: name");
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(before);
        assertThat(byLocalId("local_03").name()).isEqualTo("Department 2");
        assertThat(env.audit.entries()).isEmpty();
        // inside a caller's unit of work that fails afterwards, a valid import rolls back with it
        try {
            env.uow.run(() -> {
                importCsv(admin, CSV.replace("Department 2", "Renamed"));
                throw new IllegalStateException("later failure");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(byLocalId("local_03").name()).isEqualTo("Department 2");
    }

    @Test
    void importNeedsAFullAdministrator() {
        env.node("Root", null);
        env.role("READER", Set.of(AccessRights.READ_PATIENT_NOMINATIVE));
        env.grant("reader", "READER", "Root");
        assertThat(failure(() -> importCsv(env.caller("reader"), CSV)).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(1);
    }

    @Test
    void importRecountsUsersAfterAMove() {
        Caller admin = bootstrapAdmin();
        importCsv(admin, CSV);
        env.role("READER", Set.of(AccessRights.READ_PATIENT_NOMINATIVE));
        env.p.put("D1", byLocalId("local_02").id());
        env.grant("reader", "READER", "D1");
        env.accesses.recountUsers();
        assertThat(byLocalId("local_04").countAllowedUsersAboveLevels()).isEqualTo(1);
        importCsv(admin, CSV.replace(";13;2;", ";13;3;"));
        assertThat(byLocalId("local_04").countAllowedUsersAboveLevels()).isZero();
        assertThat(byLocalId("local_03").countAllowedUsersInferiorLevels()).isZero();
        assertThat(byLocalId("local_02").countAllowedUsers()).isEqualTo(1);
    }

    /** A full administrator on a separate root. */
    private Caller bootstrapAdmin() {
        env.node("Karyo", null);
        Caller admin = env.admin();
        env.audit.clear();
        return admin;
    }

    @Test
    void listsOfAnImportedTreeFilterInSql() {
        Caller admin = bootstrapAdmin();
        importCsv(admin, CSV);
        PerimeterQuery departments = new PerimeterQuery(
                Optional.empty(), List.of("hospital_depart"), List.of(), List.of(), List.of(), List.of());
        assertThat(env.perimeters.list(admin, departments, ALL).results())
                .extracting(Perimeter::localId)
                .containsExactly("local_02", "local_03");
        PerimeterQuery byParent = new PerimeterQuery(
                Optional.empty(),
                List.of(),
                List.of(byLocalId("local_01").id()),
                List.of("local_03", "local_04"),
                List.of(),
                List.of());
        assertThat(env.perimeters.list(admin, byParent, ALL).results())
                .extracting(Perimeter::localId)
                .containsExactly("local_03");
        PerimeterQuery bySource =
                new PerimeterQuery(Optional.of("hs"), List.of(), List.of(), List.of(), List.of("HS1"), List.of());
        assertThat(env.perimeters.list(admin, bySource, ALL).results())
                .extracting(Perimeter::localId)
                .containsExactly("local_04");
    }
}
