package org.karyo.audit.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ChainHashTest {

    private static final AuditRow BASE = row(
            "u-1", "admin-1", "content.content.update", "content", "7", Map.of("a", "1", "b", "2"), "r-1", "10.0.0.1");

    private static AuditRow row(
            String actor,
            String impersonator,
            String action,
            String type,
            String id,
            Map<String, String> details,
            String request,
            String client) {
        return new AuditRow(
                7,
                Instant.parse("2026-03-01T10:00:00.123456Z"),
                actor,
                impersonator,
                false,
                action,
                type,
                id,
                "SUCCESS",
                new TreeMap<>(details),
                request,
                client,
                ChainHash.GENESIS,
                null);
    }

    private static String hex(AuditRow r) {
        return HexFormat.of().formatHex(ChainHash.of(r));
    }

    @Test
    void theHashIsStableAndIgnoresTheStoredHash() {
        assertThat(hex(BASE)).hasSize(64).isEqualTo(hex(BASE.withHash(new byte[32])));
    }

    @Test
    void everyFieldCountsInTheHash() {
        List<UnaryOperator<AuditRow>> changes = new ArrayList<>();
        changes.add(r -> new AuditRow(
                8,
                r.at(),
                r.actorId(),
                r.impersonatorId(),
                r.serviceAccount(),
                r.action(),
                r.objectType(),
                r.objectId(),
                r.outcome(),
                r.details(),
                r.requestId(),
                r.clientAddress(),
                r.prevHash(),
                null));
        changes.add(r -> new AuditRow(
                r.seq(),
                r.at().plusNanos(1000),
                r.actorId(),
                r.impersonatorId(),
                r.serviceAccount(),
                r.action(),
                r.objectType(),
                r.objectId(),
                r.outcome(),
                r.details(),
                r.requestId(),
                r.clientAddress(),
                r.prevHash(),
                null));
        changes.add(r -> new AuditRow(
                r.seq(),
                r.at(),
                r.actorId(),
                r.impersonatorId(),
                true,
                r.action(),
                r.objectType(),
                r.objectId(),
                r.outcome(),
                r.details(),
                r.requestId(),
                r.clientAddress(),
                r.prevHash(),
                null));
        changes.add(r -> new AuditRow(
                r.seq(),
                r.at(),
                r.actorId(),
                r.impersonatorId(),
                r.serviceAccount(),
                r.action(),
                r.objectType(),
                r.objectId(),
                "FAILURE",
                r.details(),
                r.requestId(),
                r.clientAddress(),
                r.prevHash(),
                null));
        changes.add(r -> new AuditRow(
                r.seq(),
                r.at(),
                r.actorId(),
                r.impersonatorId(),
                r.serviceAccount(),
                r.action(),
                r.objectType(),
                r.objectId(),
                r.outcome(),
                r.details(),
                r.requestId(),
                r.clientAddress(),
                Fixtures.flipped(ChainHash.GENESIS),
                null));
        changes.add(
                r -> row("u-2", "admin-1", "content.content.update", "content", "7", r.details(), "r-1", "10.0.0.1"));
        changes.add(r -> row("u-1", null, "content.content.update", "content", "7", r.details(), "r-1", "10.0.0.1"));
        changes.add(
                r -> row("u-1", "admin-1", "content.content.create", "content", "7", r.details(), "r-1", "10.0.0.1"));
        changes.add(r -> row("u-1", "admin-1", "content.content.update", null, "7", r.details(), "r-1", "10.0.0.1"));
        changes.add(
                r -> row("u-1", "admin-1", "content.content.update", "content", "8", r.details(), "r-1", "10.0.0.1"));
        changes.add(r ->
                row("u-1", "admin-1", "content.content.update", "content", "7", Map.of("a", "1"), "r-1", "10.0.0.1"));
        changes.add(r -> row(
                "u-1",
                "admin-1",
                "content.content.update",
                "content",
                "7",
                Map.of("a", "1", "b", "3"),
                "r-1",
                "10.0.0.1"));
        changes.add(
                r -> row("u-1", "admin-1", "content.content.update", "content", "7", r.details(), null, "10.0.0.1"));
        changes.add(
                r -> row("u-1", "admin-1", "content.content.update", "content", "7", r.details(), "r-1", "10.0.0.2"));
        List<String> hashes = new ArrayList<>();
        hashes.add(hex(BASE));
        for (UnaryOperator<AuditRow> change : changes) {
            hashes.add(hex(change.apply(BASE)));
        }
        assertThat(hashes).doesNotHaveDuplicates();
    }

    @Test
    void theEncodingIsUnambiguous() {
        // moving characters between adjacent fields, or absent versus empty, gives another hash
        assertThat(hex(row("ab", "c", "a.b", null, null, Map.of(), null, null)))
                .isNotEqualTo(hex(row("a", "bc", "a.b", null, null, Map.of(), null, null)));
        assertThat(hex(row("u", null, "a.b", "", null, Map.of(), null, null)))
                .isNotEqualTo(hex(row("u", null, "a.b", null, null, Map.of(), null, null)));
        assertThat(hex(row("u", null, "a.b", null, null, Map.of("ab", "c"), null, null)))
                .isNotEqualTo(hex(row("u", null, "a.b", null, null, Map.of("a", "bc"), null, null)));
        assertThat(hex(row("u", null, "a.b", null, null, Map.of(), "x", null)))
                .isNotEqualTo(hex(row("u", null, "a.b", null, null, Map.of(), null, "x")));
    }

    @Test
    void detailsCountInKeyOrderWhateverTheInsertionOrder() {
        TreeMap<String, String> ab = new TreeMap<>();
        ab.put("b", "2");
        ab.put("a", "1");
        assertThat(hex(row("u-1", "admin-1", "content.content.update", "content", "7", ab, "r-1", "10.0.0.1")))
                .isEqualTo(hex(BASE));
    }

    @Test
    void timesCountToTheMicrosecond() {
        assertThat(ChainHash.micros(Instant.parse("1970-01-01T00:00:01.000002999Z")))
                .isEqualTo(1_000_002);
    }
}
