package org.karyo.core.shell.internal;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Parser;
import org.apache.karaf.shell.api.console.Registry;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes {@code help karyo} (and {@code karyo --help}) list Karyo's console commands.
 *
 * <p>Karaf's help lists a scope's commands only when they all come from one bundle (its {@code ShellHelpProvider}
 * checks that), and otherwise runs the scope's subshell command with {@code --help}, which asks that same provider: so
 * with one shell bundle per Karyo module, {@code help karyo} printed nothing and only {@code help karyo:} worked. This
 * component puts its own {@code karyo} command in the place of Karaf's subshell command: it enters the subshell as
 * Karaf's does, and lists the scope's commands for {@code --help}, which is what {@code help karyo} runs.
 *
 * <p>The console's command processor keeps every command registered under a name and runs the first one, and it
 * forgets a name as a whole when one of its commands is unregistered. So the component first registers
 * {@code karyo:help} (which makes Karaf create its subshell command for the scope, and keeps it for as long as this
 * component runs), then takes Karaf's subshell command out of the registry, registers its own, and at deactivation
 * puts Karaf's back.
 */
@Component(
        service = {},
        immediate = true)
public final class KaryoSubshell {

    static final String SCOPE = "karyo";

    private final Registry registry;
    private final Command help = new HelpCommand();
    private final Command subshell = new SubshellCommand();
    /** Karaf's subshell command for the scope, while this component stands in for it; or {@code null}. */
    private final Command karafs;

    @Activate
    public KaryoSubshell(@Reference SessionFactory sessions) {
        this.registry = sessions.getRegistry();
        registry.register(help);
        this.karafs = registry.getCommands().stream()
                .filter(c -> c != subshell && Session.SCOPE_GLOBAL.equals(c.getScope()) && SCOPE.equals(c.getName()))
                .findFirst()
                .orElse(null);
        if (karafs != null) {
            registry.unregister(karafs);
        }
        registry.register(subshell);
    }

    @Deactivate
    void deactivate() {
        registry.unregister(subshell);
        if (karafs != null) {
            registry.register(karafs);
        }
        // Karaf drops its subshell command with the scope's last command, which this may be
        registry.unregister(help);
    }

    /** Prints the commands of the {@code karyo} scope, with their descriptions, sorted by name. */
    static void printCommands(List<Command> commands, PrintStream out) {
        out.println("SUBSHELL");
        out.println("        " + SCOPE);
        out.println();
        out.println("COMMANDS");
        ShellTable table = new ShellTable().noHeaders().separator(" ");
        table.column("");
        table.column("Command");
        table.column("Description");
        commands.stream()
                .filter(c -> SCOPE.equals(c.getScope()))
                .sorted(Comparator.comparing(Command::getName))
                .forEach(c -> table.addRow()
                        .addContent(
                                "       ",
                                SCOPE + ":" + c.getName(),
                                c.getDescription() == null ? "" : c.getDescription()));
        table.print(out, true);
    }

    /** {@code karyo:help}: the list of Karyo's commands. */
    static final class HelpCommand implements Command {
        @Override
        public String getScope() {
            return SCOPE;
        }

        @Override
        public String getName() {
            return "help";
        }

        @Override
        public String getDescription() {
            return "Lists Karyo's console commands (as help karyo does)";
        }

        @Override
        public Completer getCompleter(boolean scoped) {
            return null;
        }

        @Override
        public Parser getParser() {
            return null;
        }

        @Override
        public Object execute(Session session, List<Object> arguments) {
            printCommands(session.getRegistry().getCommands(), System.out);
            return null;
        }
    }

    /** {@code karyo}: enters the subshell, or lists its commands with {@code --help}. */
    static final class SubshellCommand implements Command {
        @Override
        public String getScope() {
            return Session.SCOPE_GLOBAL;
        }

        @Override
        public String getName() {
            return SCOPE;
        }

        @Override
        public String getDescription() {
            return "Enter the subshell";
        }

        @Override
        public Completer getCompleter(boolean scoped) {
            return null;
        }

        @Override
        public Parser getParser() {
            return null;
        }

        @Override
        public Object execute(Session session, List<Object> arguments) {
            if (arguments.contains("--help")) {
                printCommands(session.getRegistry().getCommands(), System.out);
                return null;
            }
            if (!arguments.isEmpty()) {
                throw new IllegalArgumentException(SCOPE + " takes no argument (help karyo lists the commands)");
            }
            session.put(Session.SUBSHELL, SCOPE);
            session.put(Session.SCOPE, SCOPE + ":" + session.get(Session.SCOPE));
            return null;
        }
    }
}
