package org.karyo.omics.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;
import org.karyo.jobs.api.Progress;

/**
 * The validation of a completed upload: a platform job of type {@value #TYPE} (also readable at
 * {@code /api/jobs/{id}}), seen with what the omics module knows of it.
 *
 * @param id the job's id (the platform job's)
 * @param uploadId the upload it validates
 * @param projectId the upload's project
 * @param state where it is
 * @param artifactId the artifact, once {@link JobState#AVAILABLE}; else {@code null}
 * @param errorWhere where the file is wrong ({@code line 12}, {@code BGZF block at byte 65536}, {@code file},
 *     {@code index}, {@code checksum}) when {@link JobState#REJECTED}; else {@code null}
 * @param errorMessage what is wrong, client-safe, when {@link JobState#REJECTED} or {@link JobState#FAILED}
 * @param attempts how many times it started (a restart of the platform requeues it)
 * @param createdAt when the upload was completed
 * @param startedAt when validation last started, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 * @param progress how many bytes of the file were read, out of its size
 */
public record Job(
        long id,
        long uploadId,
        long projectId,
        JobState state,
        @Nullable Long artifactId,
        @Nullable String errorWhere,
        @Nullable String errorMessage,
        int attempts,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        Progress progress) {

    /** The platform job type of validations. */
    public static final String TYPE = "omics.validation";

    /** A job without progress (not started). */
    public Job(
            long id,
            long uploadId,
            long projectId,
            JobState state,
            Long artifactId,
            String errorWhere,
            String errorMessage,
            int attempts,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {
        this(
                id,
                uploadId,
                projectId,
                state,
                artifactId,
                errorWhere,
                errorMessage,
                attempts,
                createdAt,
                startedAt,
                finishedAt,
                new Progress(0, null, "bytes"));
    }
}
