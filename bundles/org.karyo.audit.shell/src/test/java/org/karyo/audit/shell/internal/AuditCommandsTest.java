package org.karyo.audit.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent.Outcome;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.audit.api.AuditEntry;
import org.karyo.audit.api.AuditQuery;
import org.karyo.audit.api.AuditService;
import org.karyo.audit.api.VerifyReport;

class AuditCommandsTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** A hand-written AuditService: answers with a fixed report and page, and checks the right like the real one. */
    private static final class FakeAudit implements AuditService {
        VerifyReport report = VerifyReport.intact(0, 0, null);
        List<AuditEntry> newestFirst = List.of();
        final List<Object[]> lists = new ArrayList<>();

        @Override
        public Page<AuditEntry> list(Caller caller, AuditQuery query, PageRequest page) {
            lists.add(new Object[] {caller, query, page});
            if (!caller.hasRight(READ_RIGHT)) {
                throw KaryoException.forbidden("reading the audit trail needs the right " + READ_RIGHT);
            }
            if (page.limit() > 100) {
                throw KaryoException.invalid("limit", "must be between 1 and 100");
            }
            return new Page<>(42, page.limit(), 0, newestFirst);
        }

        @Override
        public VerifyReport verify() {
            return report;
        }
    }

    private final FakeAudit audit = new FakeAudit();
    private final List<String> resolved = new ArrayList<>();
    private boolean consoleUserIsAdmin = true;
    private final ConsoleIdentity identity = user -> {
        resolved.add(String.valueOf(user));
        return caller("u-console", consoleUserIsAdmin);
    };
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static Caller caller(String id, boolean admin) {
        return new Caller() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String getName() {
                return id;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return admin;
            }
        };
    }

    private static AuditEntry entry(long seq, String action) {
        return new AuditEntry(
                seq,
                T.plusSeconds(seq),
                "u-" + seq,
                seq == 2 ? "admin-1" : null,
                seq == 3,
                action,
                "content",
                String.valueOf(seq),
                Outcome.SUCCESS,
                Map.of("version", "2"),
                "req-" + seq,
                "10.0.0." + seq,
                "0".repeat(64),
                "1".repeat(64));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private AuditTailCommand tail() {
        AuditTailCommand cmd = new AuditTailCommand();
        cmd.audit = audit;
        cmd.identity = identity;
        return cmd;
    }

    private AuditVerifyCommand verify() {
        AuditVerifyCommand cmd = new AuditVerifyCommand();
        cmd.audit = audit;
        return cmd;
    }

    @Test
    void everyCommandAndOptionHasHelpText() {
        for (Class<?> type : List.of(AuditVerifyCommand.class, AuditTailCommand.class)) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            assertThat(command.detailedDescription()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    assertThat(o.description()).as(f.getName()).isNotBlank();
                }
            }
        }
        assertThat(List.of(AuditVerifyCommand.class, AuditTailCommand.class))
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly("audit-verify", "audit-tail");
    }

    @Test
    void verifyPrintsAnIntactChain() {
        audit.report = VerifyReport.intact(1200, 3, null);
        verify().print(out);
        assertThat(printed()).contains("Entries checked:     1200", "Checkpoints checked: 3", "Audit chain: OK");
        assertThat(printed()).doesNotContain("Note");
    }

    @Test
    void verifyPrintsWhatCouldNotBeChecked() {
        audit.report = VerifyReport.intact(5, 0, "checkpoints not checked: no HMAC key (KARYO_AUDIT_HMAC_KEY)");
        verify().print(out);
        assertThat(printed()).contains("Audit chain: OK", "Note: checkpoints not checked");
    }

    @Test
    void aBrokenChainFailsTheCommandNamingTheFirstBrokenEntry() {
        audit.report =
                VerifyReport.broken(2, 1, 3, "entry 3's content does not match its hash (the entry was modified)");
        AuditVerifyCommand cmd = verify();
        assertThatThrownBy(() -> cmd.print(out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ERROR: the audit chain is broken at entry 3:")
                .hasMessageContaining("modified");
        assertThat(printed()).contains("Entries checked:     2", "Audit chain: BROKEN at entry 3");
    }

    @Test
    void tailAsksForTheNewestEntriesAsTheConsoleUserAndPrintsThemOldestFirst() {
        audit.newestFirst = List.of(entry(3, "auth.token.use"), entry(2, "content.content.update"));
        AuditTailCommand cmd = tail();
        cmd.lines = 2;
        cmd.action = "content.*";
        cmd.actor = " u-2 ";

        cmd.print(out);

        assertThat(resolved).hasSize(1);
        Object[] call = audit.lists.get(0);
        assertThat(((Caller) call[0]).id()).isEqualTo("u-console");
        assertThat(call[1]).isEqualTo(new AuditQuery("u-2", "content.*", null, null, null, null, null));
        assertThat(call[2]).isEqualTo(new PageRequest(2, 0, AuditQuery.DEFAULT_ORDERING));
        String text = printed();
        assertThat(text)
                .contains(
                        "Seq",
                        "Action",
                        "content.content.update",
                        "admin-1",
                        "u-3 (service)",
                        "content 2",
                        "{version=2}",
                        "req-2",
                        "10.0.0.2",
                        "2 of 42 entries shown");
        assertThat(text.indexOf("content.content.update")).isLessThan(text.indexOf("auth.token.use"));
    }

    @Test
    void tailExplainsRefusalsInTheConsolesTerms() {
        AuditTailCommand cmd = tail();
        cmd.lines = 500;
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("--lines must be between 1 and 100");

        consoleUserIsAdmin = false;
        AuditTailCommand denied = tail();
        assertThatThrownBy(() -> denied.print(out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accesses.full_admin")
                .hasCauseInstanceOf(KaryoException.class)
                .cause()
                .satisfies(c -> assertThat(((KaryoException) c).kind()).isEqualTo(Kind.FORBIDDEN));
    }
}
