package org.karyo.core.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.module.ModuleState;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.tx.DatabaseStatus;
import org.karyo.core.modules.ModuleChange;

class CommandsTest {

    private static String output(Consumer<PrintStream> command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            command.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What a command prints on the console: Karaf points System.out at the session. */
    private static String stdout(Runnable command) {
        PrintStream console = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.run();
        } finally {
            System.setOut(console);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String row(String text, String feature) {
        return text.lines().filter(l -> l.contains(feature)).findFirst().orElseThrow();
    }

    @Test
    void moduleListShowsStateDesireSchemaVersionAndWhatNeedsEachModule() {
        ModuleListCommand list = new ModuleListCommand();
        list.modules = new FakeModules()
                .with(
                        "accesses",
                        true,
                        true,
                        List.of("karyo-omics", "karyo-projects"),
                        new ModuleStatus(
                                "accesses", "org.karyo.accesses.impl", ModuleState.ACTIVE, "3", null, Instant.EPOCH),
                        null)
                .with("maintenance", false, true);

        String out = stdout(list::execute);

        assertThat(out).contains("Feature", "Module", "Installed", "Desired", "Schema", "Version", "Needed by");
        assertThat(row(out, "karyo-accesses"))
                .contains("accesses", "yes", "ACTIVE v3", "0.1.0.SNAPSHOT", "karyo-omics, karyo-projects");
        assertThat(row(out, "karyo-maintenance")).contains("no", "yes", "-");
    }

    @Test
    void moduleListNamesAFailedMigrationAndAChangeThatIsNotOver() {
        ModuleListCommand list = new ModuleListCommand();
        list.modules = new FakeModules()
                .with(
                        "content",
                        true,
                        true,
                        List.of(),
                        new ModuleStatus(
                                "content",
                                "org.karyo.content.impl",
                                ModuleState.FAILED,
                                null,
                                "V2__tags.sql failed",
                                Instant.EPOCH),
                        FakeModules.change(ModuleChange.State.RUNNING, List.of(), List.of(), null));

        String out = output(list::print);

        assertThat(row(out, "karyo-content")).contains("FAILED");
        assertThat(out).contains("content: V2__tags.sql failed");
        assertThat(out).contains("Change c-1 (install karyo-content) is running");
    }

    @Test
    void moduleListSaysWhenThereAreNoModules() {
        ModuleListCommand list = new ModuleListCommand();
        list.modules = new FakeModules();

        assertThat(output(list::print)).contains("No Karyo modules");
    }

    @Test
    void moduleInstallAsksAsTheConsoleUserWaitsForTheChangeAndPrintsWhatChanged() {
        FakeModules modules = new FakeModules();
        modules.outcome = FakeModules.change(
                ModuleChange.State.DONE, List.of("karyo-content"), List.of("karyo-maintenance"), null);
        ModuleInstallCommand install = new ModuleInstallCommand();
        install.modules = modules;
        install.names = List.of("content", "maintenance");
        install.env = EnvOverrides.of(Map.of());

        String out = stdout(() -> run(install));

        assertThat(modules.asked).containsExactly(List.of("content", "maintenance"));
        assertThat(modules.callers).singleElement().satisfies(c -> {
            assertThat(c.id()).startsWith("console:");
            assertThat(c.hasRight("platform.modules.manage")).isFalse();
        });
        assertThat(modules.waits).containsExactly(Duration.ofSeconds(600));
        assertThat(out).isEqualTo("Installed karyo-content\nkaryo-maintenance was already installed\n");
    }

    @Test
    void moduleUninstallOfAModuleOthersNeedIsRefusedWithTheirNames() {
        FakeModules modules = new FakeModules();
        modules.refusal = new KaryoException(
                Kind.CONFLICT,
                "conflict",
                "karyo-accesses is needed by karyo-omics, karyo-projects: uninstall them first, or in the same change",
                null,
                null,
                null);
        ModuleUninstallCommand uninstall = new ModuleUninstallCommand();
        uninstall.modules = modules;
        uninstall.names = List.of("accesses");

        assertThatThrownBy(() -> uninstall.execute())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("karyo-omics, karyo-projects");
        assertThat(modules.waits).isEmpty();
    }

    @Test
    void aFailedChangeIsAnErrorWithItsReasonAndOneThatIsNotOverSaysSo() {
        ModuleInstallCommand install = new ModuleInstallCommand();
        install.env = EnvOverrides.of(Map.of());
        ModuleChange failed =
                FakeModules.change(ModuleChange.State.FAILED, List.of(), List.of(), "Karaf could not install karyo-x");

        assertThatThrownBy(() -> install.print(failed, System.out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Karaf could not install karyo-x");
        assertThat(output(o ->
                        install.print(FakeModules.change(ModuleChange.State.QUEUED, List.of(), List.of(), null), o)))
                .isEqualTo("Change c-1 is still queued; karyo:module-list shows the modules when it is done.\n");
    }

    @Test
    void moduleUninstallPrintsWhatChangedAndNotesThatTheEnvironmentWinsAtNextStart() {
        ModuleUninstallCommand uninstall = new ModuleUninstallCommand();
        uninstall.env = EnvOverrides.of(Map.of("KARYO_FEATURES", "content"));

        ModuleChange change =
                FakeModules.change(ModuleChange.State.DONE, List.of("karyo-content"), List.of("karyo-omics"), null);
        String out = output(o -> uninstall.print(change, o));

        assertThat(out).contains("Uninstalled karyo-content (its tables and data stay)");
        assertThat(out).contains("karyo-omics was not installed");
        assertThat(out).contains("KARYO_FEATURES is set (content): at the next start the modules are reconciled to it");
    }

    @Test
    void noEnvironmentNoteWhenNothingChanged() {
        ModuleInstallCommand install = new ModuleInstallCommand();
        install.env = EnvOverrides.of(Map.of("KARYO_FEATURES", "content"));

        String out = output(o -> install.print(
                FakeModules.change(ModuleChange.State.DONE, List.of(), List.of("karyo-content"), null), o));

        assertThat(out).isEqualTo("karyo-content was already installed\n");
    }

    private static void run(ModuleInstallCommand command) {
        try {
            command.execute();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dbStatusSaysClearlyWhenTheDatabaseServiceIsAbsent() {
        String out = output(new DbStatusCommand()::print);

        assertThat(out).contains("database service").contains("not available");
    }

    @Test
    void dbStatusShowsTheDatabase() {
        DbStatusCommand status = new DbStatusCommand();
        status.database = () -> new DatabaseStatus(true, true, "PostgreSQL 16.4", "karyo", 2, 3, 10);

        String out = output(status::print);

        assertThat(row(out, "Up")).contains("yes");
        assertThat(row(out, "Embedded")).contains("yes");
        assertThat(row(out, "Server version")).contains("PostgreSQL 16.4");
        assertThat(row(out, "Database")).contains("karyo");
        assertThat(row(out, "Active connections")).contains("2");
        assertThat(row(out, "Idle connections")).contains("3");
        assertThat(row(out, "Maximum connections")).contains("10");
    }

    @Test
    void dbStatusShowsADownDatabase() {
        DbStatusCommand status = new DbStatusCommand();
        status.database = () -> new DatabaseStatus(false, false, null, "karyo", 0, 0, 10);

        String out = output(status::print);

        assertThat(row(out, "Up")).contains("no");
        assertThat(row(out, "Embedded")).contains("external");
        assertThat(row(out, "Server version")).contains("-");
    }

    @Test
    void completionOffersModulesByWhetherTheyAreInstalled() {
        FakeModules modules = new FakeModules().with("content", true, true).with("maintenance", false, false);
        ModuleNameCompleter notInstalled = new ModuleNameCompleter.NotInstalled();
        notInstalled.modules = modules;
        ModuleNameCompleter installed = new ModuleNameCompleter.Installed();
        installed.modules = modules;

        assertThat(complete(notInstalled, "")).containsExactly("maintenance ");
        assertThat(complete(installed, "")).containsExactly("content ");
        assertThat(complete(installed, "x")).isEmpty();
    }

    @Test
    void everyCommandArgumentAndOptionHasHelpText() {
        for (Class<?> c : List.of(
                ModuleListCommand.class,
                ModuleInstallCommand.class,
                ModuleUninstallCommand.class,
                DbStatusCommand.class)) {
            Command command = c.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(command.name()).isNotBlank().hasSizeLessThan(80);
            assertThat(command.detailedDescription()).as(command.name()).hasSizeGreaterThan(100);
            for (Field f : c.getDeclaredFields()) {
                Argument argument = f.getAnnotation(Argument.class);
                if (argument != null) {
                    assertThat(argument.description())
                            .as(command.name() + " " + argument.name())
                            .isNotBlank();
                }
                Option option = f.getAnnotation(Option.class);
                if (option != null) {
                    assertThat(option.description())
                            .as(command.name() + " " + option.name())
                            .isNotBlank();
                }
            }
        }
    }

    private static List<String> complete(ModuleNameCompleter completer, String typed) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, commandLine(typed), candidates);
        return candidates;
    }

    private static CommandLine commandLine(String typed) {
        String buffer = "karyo:module-install " + typed;
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return 1;
            }

            @Override
            public String getCursorArgument() {
                return typed;
            }

            @Override
            public int getArgumentPosition() {
                return typed.length();
            }

            @Override
            public String[] getArguments() {
                return new String[] {"karyo:module-install", typed};
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }
}
