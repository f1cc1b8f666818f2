package org.karyo.maintenance.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.mockito.ArgumentCaptor;

class MaintenanceCommandsTest {

    /** The console user, mapped (as the access module would) to a Karyo user with the right to manage. */
    static final ConsoleIdentity CONSOLE = user -> new Caller() {
        @Override
        public String id() {
            return "console-admin";
        }

        @Override
        public String getName() {
            return "console-admin";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return true;
        }
    };

    private static final Instant T0 = Instant.parse("2030-03-01T10:00:00Z");

    private final MaintenanceService service = mock(MaintenanceService.class);
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static MaintenancePhase phase(long id, String type, Instant start, Instant end) {
        boolean active = !start.isAfter(T0) && T0.isBefore(end);
        return new MaintenancePhase(id, "Upgrade " + id, null, type, start, end, active, T0, T0, 1);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private MaintenanceStartCommand start(String subject) {
        MaintenanceStartCommand c = new MaintenanceStartCommand();
        c.maintenance = service;
        c.identity = CONSOLE;
        c.clock = clock;
        c.out = out;
        c.subject = subject;
        return c;
    }

    @Test
    void startCreatesAPartialPhaseOfThirtyMinutesFromNowByDefault() {
        when(service.create(any(), any())).thenReturn(phase(9, "partial", T0, T0.plusSeconds(1800)));
        start("Database upgrade").execute();

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        verify(service)
                .create(
                        caller.capture(),
                        eq(new NewMaintenancePhase("Database upgrade", null, "partial", T0, T0.plusSeconds(1800))));
        assertThat(caller.getValue().id()).isEqualTo("console-admin");
        assertThat(caller.getValue().authenticated()).isTrue();
        assertThat(caller.getValue().hasRight("maintenance.manage")).isTrue();
        assertThat(output())
                .contains("Maintenance phase 9 (partial) started")
                .contains("Upgrade 9")
                .contains("ends in 30m");
    }

    @Test
    void startTakesTypeMinutesOrUntilAndMessage() {
        when(service.create(any(), any())).thenReturn(phase(1, "full", T0, T0.plusSeconds(300)));
        MaintenanceStartCommand c = start("Move");
        c.type = "full";
        c.minutes = 5;
        c.message = "Back at noon";
        c.execute();
        verify(service)
                .create(any(), eq(new NewMaintenancePhase("Move", "Back at noon", "full", T0, T0.plusSeconds(300))));

        MaintenanceStartCommand u = start("Move");
        u.until = "2030-03-01T13:00:00+02:00";
        u.execute();
        verify(service).create(any(), eq(new NewMaintenancePhase("Move", null, "partial", T0, T0.plusSeconds(3600))));
    }

    @Test
    void startRefusesBadDurations() {
        MaintenanceStartCommand both = start("x");
        both.minutes = 5;
        both.until = "2030-03-01T13:00:00Z";
        assertThatThrownBy(both::execute)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");

        MaintenanceStartCommand zero = start("x");
        zero.minutes = 0;
        assertThatThrownBy(zero::execute).hasMessageContaining("--minutes must be at least 1");

        MaintenanceStartCommand garbage = start("x");
        garbage.until = "tomorrow";
        assertThatThrownBy(garbage::execute).hasMessageContaining("--until must be an ISO-8601 instant");
        verify(service, never()).create(any(), any());
    }

    @Test
    void startShowsEveryInvalidFieldTheServiceNames() {
        when(service.create(any(), any()))
                .thenThrow(KaryoException.invalid(List.of(
                        new FieldError("end_datetime", "must not be before start_datetime"),
                        new FieldError("type", "must be 'partial' or 'full'"))));
        MaintenanceStartCommand c = start("x");
        c.type = "total";
        c.until = "2000-01-01T00:00:00Z";
        assertThatThrownBy(c::execute)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("end_datetime: must not be before start_datetime; type: must be 'partial' or 'full'");
    }

    @Test
    void stopEndsEveryActivePhaseNow() {
        MaintenancePhase a = phase(1, "partial", T0.minusSeconds(600), T0.plusSeconds(600));
        MaintenancePhase b = phase(2, "full", T0.minusSeconds(60), T0.plusSeconds(6000));
        when(service.current(any())).thenReturn(List.of(b, a));
        when(service.update(any(), anyLong(), any(), any())).thenAnswer(inv -> {
            long id = inv.getArgument(1);
            MaintenancePhase p = id == 1 ? a : b;
            return new MaintenancePhase(id, p.subject(), null, p.type(), p.startDatetime(), T0, false, T0, T0, 2);
        });
        MaintenanceStopCommand c = new MaintenanceStopCommand();
        c.maintenance = service;
        c.identity = CONSOLE;
        c.clock = clock;
        c.out = out;
        c.execute();

        verify(service).update(any(), eq(1L), eq(MaintenancePatch.endAt(T0)), eq(OptionalLong.empty()));
        verify(service).update(any(), eq(2L), eq(MaintenancePatch.endAt(T0)), eq(OptionalLong.empty()));
        assertThat(output())
                .contains("Stopped 2 maintenance phase(s)")
                .contains("Upgrade 1")
                .contains("Upgrade 2")
                .contains("over");
    }

    @Test
    void stopSaysSoWhenNothingIsActive() {
        when(service.current(any())).thenReturn(List.of());
        MaintenanceStopCommand c = new MaintenanceStopCommand();
        c.maintenance = service;
        c.identity = CONSOLE;
        c.clock = clock;
        c.out = out;
        c.execute();
        assertThat(output()).contains("No maintenance phase is active.");
        verify(service, never()).update(any(), anyLong(), any(), any());
    }

    @Test
    void statusShowsTheActivePhasesAndTheNextOne() {
        when(service.current(any())).thenReturn(List.of(phase(1, "full", T0.minusSeconds(60), T0.plusSeconds(3660))));
        when(service.list(any(), any(), any()))
                .thenReturn(new Page<>(
                        1,
                        1,
                        0,
                        List.of(phase(2, "partial", T0.plusSeconds(86_400 * 2 + 7200), T0.plusSeconds(86_400 * 3)))));
        MaintenanceStatusCommand c = new MaintenanceStatusCommand();
        c.maintenance = service;
        c.identity = CONSOLE;
        c.clock = clock;
        c.out = out;
        c.execute();

        ArgumentCaptor<MaintenanceQuery> query = ArgumentCaptor.forClass(MaintenanceQuery.class);
        verify(service).list(any(), query.capture(), any());
        assertThat(query.getValue().minStartDatetime()).isEqualTo(T0);
        assertThat(query.getValue().active()).isFalse();
        assertThat(output())
                .contains("Active:")
                .contains("active, ends in 1h 1m")
                .contains("Next:")
                .contains("starts in 2d 2h")
                .contains("2030-03-03T12:00:00Z");
    }

    @Test
    void statusSaysSoWhenNothingIsActiveOrPlanned() {
        when(service.current(any())).thenReturn(List.of());
        when(service.list(any(), any(), any())).thenReturn(new Page<>(0, 1, 0, List.of()));
        MaintenanceStatusCommand c = new MaintenanceStatusCommand();
        c.maintenance = service;
        c.identity = CONSOLE;
        c.clock = clock;
        c.out = out;
        c.execute();
        assertThat(output()).contains("No maintenance phase is active.").contains("No maintenance phase is planned.");
    }

    @Test
    void everyCommandIsAKarafServiceWithHelpOnEverything() {
        List<Class<?>> commands =
                List.of(MaintenanceStartCommand.class, MaintenanceStopCommand.class, MaintenanceStatusCommand.class);
        for (Class<?> type : commands) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.name()).startsWith("maintenance-");
            assertThat(command.description()).as(type.getSimpleName()).hasSizeGreaterThan(30);
            assertThat(type.isAnnotationPresent(Service.class)).isTrue();
            for (Field f : type.getDeclaredFields()) {
                Option option = f.getAnnotation(Option.class);
                Argument argument = f.getAnnotation(Argument.class);
                if (option != null) {
                    assertThat(option.description()).as(option.name()).isNotBlank();
                }
                if (argument != null) {
                    assertThat(argument.description()).as(argument.name()).isNotBlank();
                }
            }
        }
    }

    @Test
    void durationsArePrintedForHumans() {
        assertThat(Phases.human(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(Phases.human(Duration.ofSeconds(250))).isEqualTo("4m 10s");
        assertThat(Phases.human(Duration.ofMinutes(65))).isEqualTo("1h 5m");
        assertThat(Phases.human(Duration.ofHours(51))).isEqualTo("2d 3h");
    }
}
