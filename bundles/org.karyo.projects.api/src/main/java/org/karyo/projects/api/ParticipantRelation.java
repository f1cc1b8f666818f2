package org.karyo.projects.api;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * A relation between two participants of the same project (EBDMS {@code ParticipantRelation}): {@code from} is the
 * {@code type} of {@code to}. A participant is never related to itself, and two participants have at most one
 * relation of each type (in either direction).
 *
 * @param id the relation's id
 * @param projectId the project of both participants
 * @param fromParticipantId the first participant
 * @param toParticipantId the second participant
 * @param type how they are related
 * @param note free text, or {@code null}; {@code null} for pseudonymised readers
 * @param createdAt when it was recorded
 */
public record ParticipantRelation(
        long id,
        long projectId,
        long fromParticipantId,
        long toParticipantId,
        RelationType type,
        @Nullable String note,
        Instant createdAt) {}
