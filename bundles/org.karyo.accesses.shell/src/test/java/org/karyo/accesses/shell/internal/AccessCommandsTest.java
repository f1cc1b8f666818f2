package org.karyo.accesses.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedAction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewAccess;
import org.karyo.accesses.api.Profile;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.PageRequest;

class AccessCommandsTest {

    private static final List<Class<?>> COMMANDS = List.of(
            RoleListCommand.class,
            AccessGrantCommand.class,
            AccessCloseCommand.class,
            AccessListCommand.class,
            PerimeterImportCommand.class,
            PerimeterListCommand.class);

    private final Fakes.Identity identity = new Fakes.Identity();
    private final Fakes.Roles roles = new Fakes.Roles()
            .add(3, "Data reader", AccessRights.READ_PATIENT_PSEUDONYMIZED, "content.manage")
            .add(4, "Data reader (nominative)", AccessRights.READ_PATIENT_NOMINATIVE);
    private final Fakes.Perimeters perimeters = new Fakes.Perimeters()
            .add(1, "APHP", Optional.empty())
            .add(2, "H01", Optional.of(1L))
            .add(12, "7", Optional.of(1L))
            .add(7, "H07", Optional.of(1L));
    private final Fakes.Accesses accesses = new Fakes.Accesses();
    private final Fakes.Profiles profiles = new Fakes.Profiles();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private AccessGrantCommand grant(String username, String role, String perimeter) {
        AccessGrantCommand cmd = new AccessGrantCommand();
        cmd.accesses = accesses;
        cmd.roles = roles;
        cmd.perimeters = perimeters;
        cmd.identity = identity;
        cmd.username = username;
        cmd.role = role;
        cmd.perimeter = perimeter;
        return cmd;
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description())
                            .as(type.getSimpleName() + "." + f.getName())
                            .isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description())
                            .as(type.getSimpleName() + "." + f.getName())
                            .isNotBlank();
                }
            }
        }
        assertThat(COMMANDS)
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly(
                        "role-list",
                        "access-grant",
                        "access-close",
                        "access-list",
                        "perimeter-import",
                        "perimeter-list");
    }

    @Test
    void commandsRunAsTheKaryoIdentityOfTheKarafUser() {
        RoleListCommand cmd = new RoleListCommand();
        cmd.roles = roles;
        cmd.identity = identity;
        Subject subject = new Subject(false, Set.of(new UserPrincipal("karaf")), Set.of(), Set.of());
        @SuppressWarnings("removal")
        Object ignored = Subject.doAs(subject, (PrivilegedAction<Object>) () -> {
            cmd.print(out);
            return null;
        });
        assertThat(identity.asked).containsExactly("karaf");
        assertThat(roles.caller).isSameAs(Fakes.ADMIN);

        cmd.print(out); // the local console has no logged-in user
        assertThat(identity.asked).containsExactly("karaf", null);
    }

    @Test
    void anUnmappedConsoleUserGetsTheServiceMessageAndNothingRuns() {
        identity.refuse = true;
        AccessCloseCommand cmd = new AccessCloseCommand();
        cmd.accesses = accesses;
        cmd.identity = identity;
        cmd.id = 5;
        assertThatThrownBy(() -> cmd.print(out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("console user null is not mapped to a Karyo user");
        assertThat(accesses.calls).isEmpty();
    }

    @Test
    void roleListPrintsEveryRoleWithItsKeys() {
        RoleListCommand cmd = new RoleListCommand();
        cmd.roles = roles;
        cmd.identity = identity;
        cmd.name = "reader";
        cmd.limit = 10;
        cmd.print(out);
        assertThat(roles.asked).containsExactly(Optional.of("reader"), new PageRequest(10, 0, List.of()));
        assertThat(printed())
                .contains("ID", "Name", "Keys", "Data reader", "accesses.read_patient_pseudonymized, content.manage")
                .contains("2 of 42 shown (offset 0)");
    }

    @Test
    void grantResolvesTheRoleByNameAndThePerimeterByLocalIdAndParsesTheDates() {
        AccessGrantCommand cmd = grant(" alice ", "Data reader", "H01");
        cmd.start = "2030-02-01T10:00:00+02:00";
        cmd.end = "2031-01-01T00:00:00Z";
        cmd.print(out);
        assertThat(accesses.caller).isSameAs(Fakes.ADMIN);
        assertThat(accesses.created)
                .isEqualTo(new NewAccess(
                        Optional.of("alice"),
                        Optional.empty(),
                        3,
                        2,
                        Optional.of(Instant.parse("2030-02-01T08:00:00Z")),
                        Optional.of(Instant.parse("2031-01-01T00:00:00Z"))));
        assertThat(printed())
                .contains("Granted access 31: alice is Data reader on Node 2 from 2030-02-01T08:00:00Z until"
                        + " 2031-01-01T00:00:00Z");
    }

    @Test
    void grantTakesIdsAndACaseInsensitiveName() {
        grant("bob", "4", "2").print(out);
        assertThat(accesses.created.roleId()).isEqualTo(4);
        assertThat(accesses.created.perimeterId()).isEqualTo(2);
        grant("bob", "4", "12").print(out); // the id of the node whose local_id is "7"
        assertThat(accesses.created.perimeterId()).isEqualTo(12);
        assertThat(accesses.created.start()).isEmpty();
        grant("bob", "data READER (nominative)", "APHP").print(out);
        assertThat(accesses.created.roleId()).isEqualTo(4);
        assertThat(accesses.created.perimeterId()).isEqualTo(1);
    }

    @Test
    void grantRefusesWhatItCannotResolveBeforeGranting() {
        assertThatThrownBy(() -> grant("bob", "Curator", "H01").print(out))
                .hasMessageContaining("no role is named 'Curator'");
        assertThatThrownBy(() -> grant("bob", "3", "H99").print(out))
                .hasMessageContaining("no perimeter you can see has the id or local_id 'H99'");
        // "7" is the id of node 7 (H07) and the local_id of node 12
        assertThatThrownBy(() -> grant("bob", "3", "7").print(out))
                .hasMessageContaining("'7' is the id of Node 7 and the local_id of Node 12");
        AccessGrantCommand badDate = grant("bob", "3", "H01");
        badDate.end = "next year";
        assertThatThrownBy(() -> badDate.print(out))
                .hasMessageStartingWith("--end must be an ISO-8601 instant")
                .hasMessageContaining("'next year'");
        assertThat(accesses.calls).isEmpty();
    }

    @Test
    void grantExplainsWhatTheServiceRefusesInTermsOfTheCommand() {
        accesses.failure = KaryoException.invalid(List.of(
                new FieldError("end_datetime", "must not be in the past"),
                new FieldError("role_id", "needs accesses.manage_data_accesses_same_level on this perimeter")));
        AccessGrantCommand cmd = grant("bob", "3", "H01");
        cmd.end = "2020-01-01T00:00:00Z";
        assertThatThrownBy(() -> cmd.print(out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--end must not be in the past; role needs accesses.manage_data_accesses_same_level on"
                        + " this perimeter");
    }

    @Test
    void closePrintsTheEndAndUnknownIdsSaySo() {
        AccessCloseCommand cmd = new AccessCloseCommand();
        cmd.accesses = accesses;
        cmd.identity = identity;
        cmd.id = 5;
        cmd.print(out);
        assertThat(accesses.calls).containsExactly("close 5");
        assertThat(printed()).contains("Closed access 5 (alice, Data reader), ended at 2030-01-02T03:05:05Z");

        accesses.failure = KaryoException.notFound("access", 9);
        cmd.id = 9;
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("access 9 does not exist");
    }

    @Test
    void listFiltersByUsernamePerimeterAndValidity() {
        profiles.profiles.add(new Profile(7, "u-alice", "alice", "Manual", true, Fakes.T));
        profiles.profiles.add(new Profile(8, "u-alicia", "alicia", "Manual", true, Fakes.T));
        AccessListCommand cmd = new AccessListCommand();
        cmd.accesses = accesses;
        cmd.perimeters = perimeters;
        cmd.profiles = profiles;
        cmd.identity = identity;
        cmd.user = "alice";
        cmd.perimeter = "H01";
        cmd.valid = true;
        cmd.limit = 5;
        cmd.print(out);
        assertThat(accesses.query)
                .isEqualTo(new AccessQuery(
                        Optional.of(2L),
                        false,
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("u-alice"),
                        Optional.empty(),
                        Optional.of(true)));
        assertThat(accesses.page).isEqualTo(new PageRequest(5, 0, List.of()));
        assertThat(printed())
                .contains("User", "Role", "Perimeter", "alice", "Data reader", "Node 2", "yes", "Manual")
                .contains("1 of 12 shown (offset 0)");
    }

    @Test
    void listTakesAUserIdAndWithoutOptionsListsEverything() {
        profiles.profiles.add(new Profile(7, "u-alice", "alice", "Manual", true, Fakes.T));
        AccessListCommand cmd = new AccessListCommand();
        cmd.accesses = accesses;
        cmd.perimeters = perimeters;
        cmd.profiles = profiles;
        cmd.identity = identity;
        cmd.print(out);
        assertThat(accesses.query).isEqualTo(AccessQuery.ALL);
        cmd.user = "u-alice";
        cmd.print(out);
        assertThat(accesses.query.userId()).contains("u-alice");
        cmd.user = "mallory";
        assertThatThrownBy(() -> cmd.print(out)).hasMessageStartingWith("--user: no user");
    }

    @Test
    void importReadsTheFileAndPrintsTheReport(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("perimeters.csv");
        String content = "id,local_id,name,short_name,source_value,type_source_value,parent_id\n1,APHP,AP-HP,,,root,\n";
        Files.writeString(csv, content);
        PerimeterImportCommand cmd = new PerimeterImportCommand();
        cmd.perimeters = perimeters;
        cmd.identity = identity;
        cmd.file = csv.toString();
        cmd.print(out);
        assertThat(perimeters.csv).isEqualTo(content);
        assertThat(perimeters.caller).isSameAs(Fakes.ADMIN);
        assertThat(printed()).contains("Imported perimeters.csv: 3 created, 1 updated, 0 unchanged");
    }

    @Test
    void importOfAMissingOrRefusedFileSaysWhy(@TempDir Path dir) throws Exception {
        PerimeterImportCommand cmd = new PerimeterImportCommand();
        cmd.perimeters = perimeters;
        cmd.identity = identity;
        cmd.file = dir.resolve("nope.csv").toString();
        assertThatThrownBy(() -> cmd.print(out)).hasMessageStartingWith("file: no such file: ");
        assertThat(perimeters.calls).isEmpty();

        Path csv = Files.writeString(dir.resolve("bad.csv"), "local_id\n");
        cmd.file = csv.toString();
        perimeters.importFailure = KaryoException.invalid("csv", "line 1: the header lacks name, type_source_value");
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("csv line 1: the header lacks name, type_source_value");
    }

    @Test
    void perimeterListShowsAllOrTheChildrenOfANode() {
        PerimeterListCommand cmd = new PerimeterListCommand();
        cmd.perimeters = perimeters;
        cmd.identity = identity;
        cmd.search = "node";
        cmd.print(out);
        assertThat(perimeters.query.search()).contains("node");
        assertThat(printed()).contains("Local id", "APHP", "H01", "hospital", "4 of 4 shown");

        bytes.reset();
        perimeters.calls.clear();
        cmd.parent = "APHP";
        cmd.limit = 2;
        cmd.print(out);
        assertThat(perimeters.calls).containsExactly("list", "children 1");
        assertThat(perimeters.page).isEqualTo(new PageRequest(2, 0, List.of()));
        assertThat(printed()).contains("H01", "H07").doesNotContain("APHP ");
    }
}
