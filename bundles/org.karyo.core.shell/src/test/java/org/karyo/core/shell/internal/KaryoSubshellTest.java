package org.karyo.core.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.jupiter.api.Test;

/** {@code help karyo} lists the commands of every Karyo shell bundle; {@code karyo} still enters the subshell. */
class KaryoSubshellTest {

    private static Command command(String scope, String name, String description) {
        Command c = mock(Command.class);
        when(c.getScope()).thenReturn(scope);
        when(c.getName()).thenReturn(name);
        when(c.getDescription()).thenReturn(description);
        return c;
    }

    private static String stdout(Runnable r) {
        PrintStream console = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(console);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryKaryoCommandSortedWithItsDescriptionAndNothingElse() throws Exception {
        Session session = mock(Session.class);
        Registry registry = mock(Registry.class);
        when(session.getRegistry()).thenReturn(registry);
        List<Command> commands = List.of(
                command("karyo", "module-list", "Lists the Karyo modules"),
                command("feature", "install", "Installs a feature"),
                command("karyo", "content-add", "Adds a web content"),
                command("*", "karyo", "Enter the subshell"));
        when(registry.getCommands()).thenReturn(commands);
        Command subshell = new KaryoSubshell.SubshellCommand();

        String out = stdout(() -> {
            try {
                subshell.execute(session, List.of("--help"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(out).contains("SUBSHELL", "COMMANDS");
        assertThat(out).contains("karyo:content-add", "Adds a web content", "karyo:module-list", "Lists the Karyo");
        assertThat(out.indexOf("karyo:content-add")).isLessThan(out.indexOf("karyo:module-list"));
        assertThat(out).doesNotContain("feature:install");
        verify(session, never()).put(any(), any());
    }

    @Test
    void karyoAloneEntersTheSubshellLikeKarafsOwnCommand() throws Exception {
        Session session = mock(Session.class);
        when(session.get(Session.SCOPE)).thenReturn("*");
        new KaryoSubshell.SubshellCommand().execute(session, List.of());
        verify(session).put(Session.SUBSHELL, "karyo");
        verify(session).put(Session.SCOPE, "karyo:*");
        assertThatThrownBy(() -> new KaryoSubshell.SubshellCommand().execute(session, List.of("x")))
                .hasMessageContaining("help karyo");
    }

    @Test
    void itStandsInForKarafsSubshellCommandAndPutsItBackWhenItStops() {
        SessionFactory sessions = mock(SessionFactory.class);
        Registry registry = mock(Registry.class);
        when(sessions.getRegistry()).thenReturn(registry);
        List<String> calls = new ArrayList<>();
        Command karafs = command("*", "karyo", "Enter the subshell");
        org.mockito.Mockito.doAnswer(i -> calls.add("register " + name(i.getArgument(0), karafs)))
                .when(registry)
                .register(any(Object.class));
        org.mockito.Mockito.doAnswer(i -> calls.add("unregister " + name(i.getArgument(0), karafs)))
                .when(registry)
                .unregister(any(Object.class));
        when(registry.getCommands()).thenReturn(List.of(karafs));

        KaryoSubshell component = new KaryoSubshell(sessions);
        component.deactivate();

        assertThat(calls)
                .containsExactly(
                        "register karyo:help",
                        "unregister Karaf's *:karyo",
                        "register *:karyo",
                        "unregister *:karyo",
                        "register Karaf's *:karyo",
                        "unregister karyo:help");
    }

    private static String name(Object o, Command karafs) {
        Command c = (Command) o;
        return (c == karafs ? "Karaf's " : "") + c.getScope() + ":" + c.getName();
    }
}
