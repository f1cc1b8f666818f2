package org.karyo.omics.api;

import java.time.Instant;

/**
 * The validation of a completed upload.
 *
 * @param id the job's id
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
 */
public record Job(
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
        Instant finishedAt) {}
