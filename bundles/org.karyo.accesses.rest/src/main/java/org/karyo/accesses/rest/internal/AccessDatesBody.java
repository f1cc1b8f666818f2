package org.karyo.accesses.rest.internal;

import java.time.Instant;
import org.karyo.api.json.Nullable;

/**
 * {@code PATCH /api/accesses/accesses/{id}}: the only fields of an access that change (give at least one).
 *
 * @param startDatetime the new start (ISO-8601 instant)
 * @param endDatetime the new end (ISO-8601 instant)
 */
record AccessDatesBody(@Nullable Instant startDatetime, @Nullable Instant endDatetime) {}
