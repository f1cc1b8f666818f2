package org.karyo.audit.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.RequiresRight;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.AuditService;
import org.karyo.audit.api.VerifyReport;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/audit}: the audit trail, for full administrators ({@value AuditService#READ_RIGHT}). Reading the trail
 * is not itself audited (it holds no patient data). The resource only decodes the request and calls
 * {@link AuditService}.
 */
@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_ID = 255;
    static final int MAX_ACTION = 129;
    static final int MAX_OBJECT_TYPE = 64;

    private final AuditService audit;

    @Activate
    public AuditResource(@Reference AuditService audit) {
        this.audit = audit;
    }

    /**
     * One page of entries, newest first by default ({@code ordering=seq} for oldest first). Filters, combined with
     * AND: {@code actor} (a user id), {@code action} (exact, or a prefix when it ends with {@code *}:
     * {@code auth.login.*}), {@code object_type}, {@code object_id}, {@code outcome} ({@code SUCCESS}, {@code FAILURE},
     * {@code DENIED}), {@code from} (inclusive) and {@code to} (exclusive), ISO-8601 instants such as
     * {@code 2026-03-01T10:00:00Z}; paging {@code limit}, {@code offset}. Every bad parameter is named in one 400.
     */
    @GET
    @RequiresRight(AuditService.READ_RIGHT)
    @Operation(id = "listAuditEntries", summary = "List audit trail entries")
    public Page<AuditEntry> list(
            @QueryParam("actor") @Param(description = "Only entries of this user id") String actor,
            @QueryParam("action")
                    @Param(description = "Only this action, or the actions starting with it when it ends with *")
                    String action,
            @QueryParam("object_type") @Param(description = "Only entries about objects of this type")
                    String objectType,
            @QueryParam("object_id") @Param(description = "Only entries about the object with this id") String objectId,
            @QueryParam("outcome")
                    @Param(
                            description = "Only entries with this outcome",
                            allowed = {"SUCCESS", "FAILURE", "DENIED"})
                    String outcome,
            @QueryParam("from")
                    @Param(kind = Param.Kind.DATE_TIME, description = "Only entries at or after this instant")
                    String from,
            @QueryParam("to") @Param(kind = Param.Kind.DATE_TIME, description = "Only entries before this instant")
                    String to,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "seq for oldest first; newest first by default",
                            allowed = {"seq", "-seq"})
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        String a = blankToNull(actor);
        String act = blankToNull(action);
        String type = blankToNull(objectType);
        String id = blankToNull(objectId);
        v.maxLength(a, "actor", MAX_ID);
        v.maxLength(act, "action", MAX_ACTION);
        v.check(
                act == null || act.indexOf('*') < 0 || act.indexOf('*') == act.length() - 1,
                "action",
                "'*' is allowed only at the end (a prefix match)");
        v.maxLength(type, "object_type", MAX_OBJECT_TYPE);
        v.maxLength(id, "object_id", MAX_ID);
        AuditEvent.Outcome out = outcome(v, blankToNull(outcome));
        Instant f = instant(v, "from", blankToNull(from));
        Instant t = instant(v, "to", blankToNull(to));
        v.check(f == null || t == null || f.isBefore(t), "to", "must be after from");
        PageRequest page = v.collect(
                // the service enforces the configured largest page (max.page.size)
                () -> PageRequest.parse(
                        limit, offset, ordering, AuditQuery.ORDERABLE, AuditQuery.DEFAULT_ORDERING, Integer.MAX_VALUE),
                null);
        v.throwIfInvalid();
        return audit.list(Callers.of(security), new AuditQuery(a, act, type, id, out, f, t), page);
    }

    /**
     * Walks the whole chain and its signed checkpoints: {@code {ok, entries, checkpoints_checked, first_broken_seq,
     * reason}}. Answers 200 whatever the outcome; {@code ok=false} names the first broken link.
     */
    @GET
    @Path("verify")
    @RequiresRight(AuditService.READ_RIGHT)
    @Operation(
            id = "verifyAuditTrail",
            summary = "Verify the audit trail's chain and signed checkpoints",
            description = "Answers 200 whatever the outcome; `ok` is false when a link is broken.")
    public VerifyReport verify() {
        return audit.verify();
    }

    private static AuditEvent.Outcome outcome(Validator v, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return AuditEvent.Outcome.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, "outcome", "must be SUCCESS, FAILURE or DENIED");
            return null;
        }
    }

    private static Instant instant(Validator v, String field, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e2) {
                v.check(false, field, "must be an ISO-8601 instant such as 2026-03-01T10:00:00Z");
                return null;
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
