package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;
import static org.karyo.projects.impl.internal.Fixtures.person;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobState;
import org.karyo.jobs.impl.internal.JobsComponent;
import org.karyo.jobs.impl.internal.PlatformJobs;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.ImportStart;
import org.karyo.projects.api.ParticipantImports;
import org.karyo.projects.api.Project;
import org.karyo.storage.api.ObjectInfo;

/**
 * Participant imports of more than {@value ParticipantImports#JOB_ROWS} rows run as a platform job (the real job
 * facility on the test database) that counts rows; smaller ones are imported at once.
 */
class ParticipantImportJobTest {

    private static ProjectsTestEnv env;
    private static PlatformJobs platform;
    private static ParticipantImportsImpl imports;

    @BeforeAll
    static void start() {
        env = new ProjectsTestEnv();
        env.db.migrate("jobs", JobsComponent.class, "db/jobs");
        platform = new PlatformJobs(env.ds, env.uow, env.audit, "projects-test");
        imports = new ParticipantImportsImpl(env.participants, env.projectsStore, env.store, platform.service());
        platform.handler(ParticipantImports.JOB_TYPE, new ParticipantImportJob(env.participants, env.store));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (env != null) {
            env.close();
        }
    }

    private static Caller curator(Project p) {
        return env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_READ_NOMINATIVE, PARTICIPANT_MANAGE);
    }

    /** {@code rows} copies of one exported participant, without identifier (each adds a participant). */
    private static byte[] csv(Caller c, Project template, int rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        env.participants.exportCsv(c, template.id()).writeTo(out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\r\n");
        String row = lines[1].substring(lines[1].indexOf(','));
        StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
        for (int i = 0; i < rows; i++) {
            sb.append(row).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long participants(Project p) {
        return env.count("SELECT count(*) FROM karyo_projects.participants WHERE project_id = " + p.id());
    }

    @Test
    void anImportOfMoreThan10000RowsIsAJobThatCountsRows() throws Exception {
        Project template = Fixtures.project(env);
        Caller ct = curator(template);
        env.participants.create(ct, template.id(), person("Anna"));
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        int rows = ParticipantImports.JOB_ROWS + 1;

        ImportStart started = imports.start(c, p.id(), new ByteArrayInputStream(csv(ct, template, rows)));
        assertThat(started.report()).isNull();
        assertThat(started.jobId()).isNotNull();
        Job done = platform.awaitEnd(started.jobId(), Duration.ofMinutes(3));
        assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.type()).isEqualTo(ParticipantImports.JOB_TYPE);
        assertThat(done.key()).isEqualTo("project-" + p.id());
        assertThat(done.progress().unit()).isEqualTo("rows");
        assertThat(done.progress().total()).isEqualTo((long) rows);
        assertThat(done.progress().done()).isEqualTo(rows);
        assertThat(done.result())
                .containsEntry("created", Integer.toString(rows))
                .containsEntry("updated", "0");
        // the submitter follows it at GET /api/jobs/{id}
        assertThat(platform.service().get(c, done.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(participants(p)).isEqualTo(rows);
        assertThat(env.actions()).contains("jobs.job.submit", "projects.participant.import");
        // the kept file is gone once imported
        assertThat(env.store.list("projects/imports/", null, 100))
                .extracting(ObjectInfo::key)
                .isEmpty();
    }

    @Test
    void aSmallImportIsDoneAtOnceAndABadLargeFileIsRefusedBeforeAnyJob() throws Exception {
        Project template = Fixtures.project(env);
        Caller ct = curator(template);
        env.participants.create(ct, template.id(), person("Beata"));
        Project p = Fixtures.project(env);
        Caller c = curator(p);

        ImportStart now = imports.start(c, p.id(), new ByteArrayInputStream(csv(ct, template, 3)));
        assertThat(now.jobId()).isNull();
        assertThat(now.report()).isEqualTo(new ImportReport(3, 0));

        String bad = new String(csv(ct, template, ParticipantImports.JOB_ROWS + 5), StandardCharsets.UTF_8)
                .replaceFirst("1980-05-17", "1980-13-45"); // line 2's birth date is no date
        long jobsBefore = env.count("SELECT count(*) FROM karyo_jobs.job");
        assertThatThrownBy(
                        () -> imports.start(c, p.id(), new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        assertThat(env.count("SELECT count(*) FROM karyo_jobs.job")).isEqualTo(jobsBefore);
        assertThat(participants(p)).isEqualTo(3);

        // and the rights are checked when the job is submitted
        assertThatThrownBy(() -> imports.start(env.nobody(), p.id(), new ByteArrayInputStream(csv(ct, template, 3))))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }
}
