package org.karyo.audit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.audit.AuditEvent;

class AuditRecordsTest {

    @Test
    void entryDetailsAreSortedByKeyAndImmutable() {
        AuditEntry e = new AuditEntry(
                1,
                Instant.EPOCH,
                "u1",
                null,
                false,
                "content.content.create",
                "content",
                "7",
                AuditEvent.Outcome.SUCCESS,
                Map.of("b", "2", "a", "1"),
                null,
                null,
                "0".repeat(64),
                "f".repeat(64));
        assertThat(e.details().keySet()).containsExactly("a", "b");
        assertThatThrownBy(() -> e.details().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTrailingStarMakesTheActionAPrefix() {
        assertThat(new AuditQuery(null, "auth.login.*", null, null, null, null, null).actionIsPrefix())
                .isTrue();
        assertThat(new AuditQuery(null, "auth.login", null, null, null, null, null).actionIsPrefix())
                .isFalse();
        assertThat(AuditQuery.all().actionIsPrefix()).isFalse();
    }

    @Test
    void aReportIsEitherIntactOrBrokenWithAReason() {
        assertThat(VerifyReport.intact(3, 1, null).ok()).isTrue();
        VerifyReport broken = VerifyReport.broken(4, 0, 5, "row 5 modified");
        assertThat(broken.ok()).isFalse();
        assertThat(broken.firstBrokenSeq()).isEqualTo(5);
        assertThatThrownBy(() -> new VerifyReport(true, 1, 0, 1L, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerifyReport(false, 1, 0, 1L, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
