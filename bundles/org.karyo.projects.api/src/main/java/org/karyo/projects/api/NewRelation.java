package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/** A relation to record: {@code from} is the {@code type} of {@code to}; the note is at most 1000 characters. */
public record NewRelation(long fromParticipantId, long toParticipantId, RelationType type, @Nullable String note) {}
