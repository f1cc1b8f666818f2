package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;
import static org.karyo.projects.impl.internal.Fixtures.fields;
import static org.karyo.projects.impl.internal.Fixtures.kind;
import static org.karyo.projects.impl.internal.Fixtures.pdf;
import static org.karyo.projects.impl.internal.Fixtures.person;
import static org.karyo.projects.impl.internal.Fixtures.upload;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightDefinition;
import org.karyo.api.security.Scope;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantRef;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.projects.api.ProjectFile;
import org.karyo.projects.api.ProjectRef;
import org.karyo.projects.api.ProjectRights;
import org.karyo.projects.api.Upload;

/**
 * Project files in object storage (the filesystem store in a temporary folder), and the
 * {@link ProjectDirectory} that other modules use.
 */
class ProjectFileAndDirectoryTest {

    private static ProjectsTestEnv env;

    @BeforeAll
    static void start() {
        env = new ProjectsTestEnv();
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    // ---- files ----------------------------------------------------------------------------------------------------

    @Test
    void aProjectFileIsStoredListedStreamedAndDeleted() throws Exception {
        Project p = Fixtures.project(env);
        Caller manager = env.user(p.perimeterId(), PROJECT_READ, PROJECT_MANAGE);
        byte[] csv = "site,count\nSzczecin,12\n".getBytes(StandardCharsets.UTF_8);
        ProjectFile f = env.projects.addFile(
                manager,
                p.id(),
                "Recruitment.csv",
                FileCategory.DOCUMENTS,
                new Upload("ignored.csv", "text/plain", csv.length, null, new ByteArrayInputStream(csv)));
        assertThat(f.contentType()).isEqualTo("text/csv");
        assertThat(f.size()).isEqualTo(csv.length);
        assertThat(f.sha256()).hasSize(64);
        assertThat(f.createdBy()).isEqualTo(manager.id());
        ProjectFile protocol =
                env.projects.addFile(manager, p.id(), "protocol.pdf", FileCategory.PROTOCOLS, upload("x", pdf("v1")));

        assertThat(env.projects
                        .files(manager, p.id(), new PageRequest(20, 0, List.of()))
                        .results())
                .extracting(ProjectFile::name)
                .containsExactly("Recruitment.csv", "protocol.pdf");
        Caller reader = env.user(p.perimeterId(), PROJECT_READ);
        Download d = env.projects.openFile(reader, p.id(), f.id());
        try (InputStream in = d.data()) {
            assertThat(in.readAllBytes()).isEqualTo(csv);
        }
        assertThat(env.projects.fileLink(reader, p.id(), f.id()).url().toString())
                .isNotBlank();
        assertThat(kind(() -> env.projects.deleteFile(reader, p.id(), f.id()))).isEqualTo(Kind.FORBIDDEN);

        String key = env.projectsStore
                .sql()
                .one("SELECT object_key FROM karyo_projects.project_files WHERE id = ?", rs -> rs.getString(1), f.id())
                .orElseThrow();
        assertThat(key).startsWith("projects/" + p.id() + "/files/").endsWith(".csv");
        env.projects.deleteFile(manager, p.id(), f.id());
        assertThat(env.exists(key)).isFalse();
        assertThat(kind(() -> env.projects.file(manager, p.id(), f.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(env.projects.file(manager, p.id(), protocol.id()).category()).isEqualTo(FileCategory.PROTOCOLS);
        assertThat(env.actions()).contains("projects.file.create", "projects.file.delete");
    }

    @Test
    void projectFilesAreCheckedByNameTypeAndContent() {
        Project p = Fixtures.project(env);
        Caller manager = env.user(p.perimeterId(), PROJECT_READ, PROJECT_MANAGE);
        env.projects.addFile(manager, p.id(), "SOP.pdf", FileCategory.PROTOCOLS, upload("x", pdf("sop")));
        assertThat(kind(() -> env.projects.addFile(
                        manager, p.id(), "sop.PDF", FileCategory.PROTOCOLS, upload("x", pdf("again")))))
                .isEqualTo(Kind.CONFLICT);
        assertThat(fields(() -> env.projects.addFile(manager, p.id(), "tool.exe", null, upload("x", pdf("x")))))
                .containsExactlyInAnyOrder("name", "category");
        assertThat(fields(() -> env.projects.addFile(
                        manager, p.id(), "../evil.pdf", FileCategory.DOCUMENTS, upload("x", pdf("x")))))
                .containsExactly("name");
        assertThat(fields(() -> env.projects.addFile(
                        manager, p.id(), "fake.xlsx", FileCategory.DOCUMENTS, upload("x", pdf("not a zip")))))
                .containsExactly("file");
        assertThat(fields(() -> env.projects.addFile(
                        manager, p.id(), "binary.csv", FileCategory.DOCUMENTS, upload("x", new byte[] {'a', 0, 'b'}))))
                .containsExactly("file");
        assertThat(env.keys("projects/" + p.id() + "/files/")).hasSize(1);
    }

    // ---- the directory --------------------------------------------------------------------------------------------

    @Test
    void requireAnswersTheProjectOnlyToCallersWithTheRightOnIt() {
        Project p = Fixtures.project(env);
        Project q = Fixtures.project(env);
        Caller onP = env.user(p.perimeterId(), PROJECT_READ);
        ProjectRef ref = env.directory.require(onP, p.id(), PROJECT_READ);
        assertThat(ref).isEqualTo(new ProjectRef(p.id(), p.code(), p.name(), p.perimeterId(), p.institutionId(), true));
        assertThat(kind(() -> env.directory.require(onP, q.id(), PROJECT_READ))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.directory.require(onP, p.id(), PROJECT_MANAGE)))
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.directory.require(onP, 987_654, PROJECT_READ)))
                .isEqualTo(Kind.NOT_FOUND);

        Scope scope = env.directory.projects(onP, PROJECT_READ);
        assertThat(scope.isAll()).isFalse();
        assertThat(scope.perimeterIds()).containsExactly(p.id());
        assertThat(env.directory.projects(onP, PROJECT_MANAGE).isEmpty()).isTrue();
        assertThat(env.directory.projects(env.admin(), PROJECT_READ).isAll()).isTrue();
        Caller onInstitution = env.user(
                env.projectsStore
                        .sql()
                        .one(
                                "SELECT perimeter_id FROM karyo_projects.institutions WHERE id = ?",
                                rs -> rs.getLong(1),
                                q.institutionId())
                        .orElseThrow(),
                PROJECT_READ);
        assertThat(env.directory.projects(onInstitution, PROJECT_READ).perimeterIds())
                .containsExactly(q.id());
    }

    @Test
    void participantsAreFoundBySampleIdOrIdentifierWithTheirConsentToday() {
        Project p = Fixtures.project(env);
        Project q = Fixtures.project(env);
        Caller c = env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_READ_NOMINATIVE, PARTICIPANT_MANAGE);
        Participant a = env.participants.create(c, p.id(), person("Ala", "NA001", "NA001-bis"));
        Participant b = env.participants.create(c, p.id(), person("Basia"));
        env.participants.create(
                env.user(q.perimeterId(), PROJECT_READ, PARTICIPANT_READ_NOMINATIVE, PARTICIPANT_MANAGE),
                q.id(),
                person("Celina", "NA002"));
        env.consents.putDocument(c, p.id(), a.id(), upload("a.pdf", pdf("a")), OptionalLong.empty());
        env.consents.update(
                c,
                p.id(),
                a.id(),
                new ConsentUpdate(ConsentState.GIVEN, LocalDate.of(2025, 1, 1), null, null),
                OptionalLong.empty());

        Map<String, ParticipantRef> found =
                env.directory.participantsBySample(p.id(), List.of("NA001", "NA001-bis", b.identifier(), "NA002", "?"));
        assertThat(found).containsOnlyKeys("NA001", "NA001-bis", b.identifier());
        ParticipantRef ra = found.get("NA001");
        assertThat(ra.id()).isEqualTo(a.id());
        assertThat(ra.identifier()).isEqualTo(a.identifier());
        assertThat(ra.sampleIds()).containsExactly("NA001", "NA001-bis");
        assertThat(ra.consent()).isEqualTo(ConsentState.GIVEN);
        assertThat(ra.consent().allowsGenotypes()).isTrue();
        assertThat(found.get(b.identifier()).consent()).isEqualTo(ConsentState.PENDING);
        assertThat(found.get(b.identifier()).consent().allowsGenotypes()).isFalse();
        assertThat(env.directory.participantsBySample(p.id(), List.of())).isEmpty();

        assertThat(env.directory.participant(p.id(), a.id())).isEqualTo(ra);
        assertThat(kind(() -> env.directory.participant(q.id(), a.id()))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void theRightsAreTheModulesAndInheritedDownTheTree() {
        var rights = new ProjectRightsContributor().rights();
        assertThat(rights)
                .extracting(RightDefinition::key)
                .containsExactlyInAnyOrder(
                        PROJECT_READ,
                        PROJECT_MANAGE,
                        PARTICIPANT_READ_NOMINATIVE,
                        ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED,
                        PARTICIPANT_MANAGE);
        assertThat(rights).allSatisfy(r -> {
            assertThat(r.key()).startsWith(new ProjectRightsContributor().module() + ".");
            assertThat(r.module()).isEqualTo("projects");
            assertThat(r.scope()).isEqualTo(RightDefinition.RightScope.INHERITED);
        });
    }
}
