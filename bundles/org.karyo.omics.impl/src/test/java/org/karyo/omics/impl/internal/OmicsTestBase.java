package org.karyo.omics.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.jobs.impl.internal.JobsComponent;
import org.karyo.jobs.impl.internal.PlatformJobs;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.Assembly;
import org.karyo.omics.api.IndexDeclaration;
import org.karyo.omics.api.Job;
import org.karyo.omics.api.NewUpload;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.Upload;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestConfigs;
import org.karyo.testing.TestDatabase;

/**
 * The omics service on a real PostgreSQL (migrated by the module's own migrations) and the real filesystem object
 * store on a temporary folder; projects, rights and consents come from a {@link FakeDirectory}.
 */
abstract class OmicsTestBase {

    static final long PROJECT = 1;
    static final long OTHER_PROJECT = 2;
    static final long MIB = 1L << 20;

    /** Holds every omics right on {@link #PROJECT}. */
    static final Caller ALICE = TestCallers.withEveryRight("alice");
    /** Holds the omics rights somewhere, but none on {@link #PROJECT}. */
    static final Caller BOB = TestCallers.withEveryRight("bob");

    static TestDatabase db;
    static JpaTemplate jpa;
    static UnitOfWork uow;
    static DataSource ds;

    @TempDir
    Path tmp;

    FakeDirectory directory;
    RecordingAuditTrail audit;
    ObjectStore store;
    Omics service;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("jobs", JobsComponent.class, "db/jobs");
        db.migrate("omics", OmicsStore.class, "db/omics");
        ds = db.dataSource();
        uow = db.unitOfWork();
        jpa = db.jpa("karyo-omics");
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void fresh() throws SQLException {
        sql("TRUNCATE karyo_omics.artifact, karyo_omics.upload CASCADE");
        sql("TRUNCATE karyo_jobs.job, karyo_jobs.task_run, karyo_jobs.task_node, karyo_jobs.node");
        directory = new FakeDirectory();
        directory.project(PROJECT);
        directory.project(OTHER_PROJECT);
        directory.grant(
                "alice", PROJECT, OmicsRights.READ, OmicsRights.READ_GENOTYPES, OmicsRights.UPLOAD, OmicsRights.MANAGE);
        directory.grant(
                "bob",
                OTHER_PROJECT,
                OmicsRights.READ,
                OmicsRights.READ_GENOTYPES,
                OmicsRights.UPLOAD,
                OmicsRights.MANAGE);
        audit = new RecordingAuditTrail(uow);
        store = new FsObjectStore(
                TestConfigs.of(
                        FsObjectStore.Config.class,
                        Map.of("root", tmp.resolve("store").toString(), "public_url", "http://127.0.0.1:8181")),
                TestConfigs.bundleContext(Map.of()));
        service = newService(settings(0));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
    }

    /** The module's components and the platform's job facility, wired as SCR wires them. */
    static final class Omics {
        final OmicsStore store;
        final PlatformJobs platform;
        final ValidationJob validation;
        final UploadServiceImpl uploads;
        final ArtifactDataServiceImpl data;
        final ArtifactServiceImpl artifacts;

        Omics(OmicsStore store, RecordingAuditTrail audit) {
            this.store = store;
            this.platform = new PlatformJobs(ds, uow, audit, "omics-test");
            this.validation = new ValidationJob(store);
            platform.handler(Job.TYPE, validation);
            this.uploads = new UploadServiceImpl(store, platform.service(), validation);
            this.data = new ArtifactDataServiceImpl(store);
            this.artifacts = new ArtifactServiceImpl(store, data);
        }

        private boolean stopped;

        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            platform.close();
            validation.shutdown();
            data.close();
        }
    }

    /** Stops the running service (one job node per test) and starts another. */
    Omics newService(Settings settings) {
        if (service != null) {
            service.stop();
        }
        return new Omics(new OmicsStore(jpa, ds, uow, audit, store, directory, settings, Clock.systemUTC()), audit);
    }

    static Settings settings(long quota) {
        return new Settings(
                1L << 30,
                quota,
                5 * MIB,
                Duration.ofHours(1),
                Duration.ofMinutes(10),
                Duration.ofMinutes(5),
                Duration.ofHours(24),
                64 * MIB,
                MIB,
                IngestLimits.defaults(),
                2,
                3,
                8,
                100,
                1000,
                2);
    }

    // ---- uploads ----------------------------------------------------------------------------------------------

    static NewUpload newUpload(byte[] data, ArtifactKind kind, String fileName, IndexDeclaration index) {
        return new NewUpload(
                PROJECT,
                kind,
                (long) data.length,
                Tools.sha256(data),
                UUID.randomUUID().toString(),
                fileName,
                Assembly.GRCH38,
                null,
                null,
                index);
    }

    /** Sends every part of {@code data} in order. */
    void sendParts(Caller caller, Upload u, byte[] data) {
        for (int n = 1; n <= u.partCount(); n++) {
            sendPart(caller, u, data, n);
        }
    }

    void sendPart(Caller caller, Upload u, byte[] data, int n) {
        int from = (int) ((n - 1) * u.partSize());
        int length = (int) u.expectedPartSize(n);
        service.uploads.putPart(caller, u.id(), n, new ByteArrayInputStream(data, from, length), length);
    }

    /** Uploads {@code data} (and its index), completes it and waits for its job to end. */
    Job upload(NewUpload body, byte[] data, byte[] index) {
        Upload u = service.uploads.create(ALICE, body).upload();
        sendParts(ALICE, u, data);
        if (index != null) {
            service.uploads.putIndex(ALICE, u.id(), new ByteArrayInputStream(index), index.length);
        }
        service.uploads.complete(ALICE, u.id());
        return awaitJob(u.id());
    }

    Job upload(byte[] data, ArtifactKind kind, String fileName) {
        return upload(newUpload(data, kind, fileName, null), data, null);
    }

    /** Waits until the upload's last job ended, then that job as the module shows it. */
    Job awaitJob(long uploadId) {
        Upload u = service.uploads.get(ALICE, uploadId);
        assertThat(u.jobId()).as("upload %s has a job", uploadId).isNotNull();
        service.platform.awaitEnd(u.jobId(), Duration.ofMinutes(2));
        return service.uploads.job(ALICE, u.jobId());
    }

    // ---- storage and SQL --------------------------------------------------------------------------------------

    List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix, null, 10_000)) {
            out.add(o.key());
        }
        return out;
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static long count(String query) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
