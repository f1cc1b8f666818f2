package org.karyo.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;

/**
 * Filters of an audit list; {@code null} matches everything, the filters combine with AND.
 *
 * @param actorId entries done by this caller id ({@code ?actor=})
 * @param action entries with exactly this action, or, when it ends with {@code *}, with an action that starts with
 *     what precedes the {@code *} ({@code auth.login.*}); a lone {@code *} matches every action ({@code ?action=})
 * @param objectType entries on this kind of object ({@code ?object_type=})
 * @param objectId entries on the object with this id ({@code ?object_id=})
 * @param outcome entries with this outcome ({@code ?outcome=})
 * @param from entries appended at or after this instant ({@code ?from=}, inclusive)
 * @param to entries appended before this instant ({@code ?to=}, exclusive)
 */
public record AuditQuery(
        String actorId,
        String action,
        String objectType,
        String objectId,
        AuditEvent.Outcome outcome,
        Instant from,
        Instant to) {

    /** The fields a list may be ordered by ({@code ?ordering=seq} oldest first, {@code -seq} newest first). */
    public static final Set<String> ORDERABLE = Set.of("seq");

    /** The ordering when none is given: newest first. */
    public static final List<Sort> DEFAULT_ORDERING = List.of(new Sort("seq", true));

    /** The wildcard that turns {@link #action()} into a prefix match when it ends the value. */
    public static final String PREFIX_WILDCARD = "*";

    /** Every entry. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, null);
    }

    /** Whether {@link #action()} is a prefix match ({@code auth.login.*}). */
    public boolean actionIsPrefix() {
        return action != null && action.endsWith(PREFIX_WILDCARD);
    }
}
