package org.karyo.content.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.NewContent;
import org.mockito.ArgumentCaptor;

class ContentCommandsTest {

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

    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private final ContentService service = mock(ContentService.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandAndEveryParameterHasHelpText() {
        for (Class<?> type : List.of(ContentListCommand.class, ContentAddCommand.class, ContentRemoveCommand.class)) {
            Command command = type.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("karyo");
            assertThat(command.description()).as(type.getSimpleName()).isNotBlank();
            for (Field f : type.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                Argument a = f.getAnnotation(Argument.class);
                if (o != null) {
                    assertThat(o.description()).as(f.getName()).isNotBlank();
                }
                if (a != null) {
                    assertThat(a.description()).as(f.getName()).isNotBlank();
                }
            }
        }
        assertThat(List.of(ContentListCommand.class, ContentAddCommand.class, ContentRemoveCommand.class))
                .extracting(c -> c.getAnnotation(Command.class).name())
                .containsExactly("content-list", "content-add", "content-remove");
    }

    @Test
    void listPassesTheFiltersAndPrintsATable() {
        Content c = new Content(
                7, "Maintenance", "Sunday", "home", ContentType.BANNER_WARNING, Map.of("order", "1"), T, T, 2);
        when(service.list(any(), any())).thenReturn(new Page<>(31, 5, 0, List.of(c)));
        ContentListCommand cmd = new ContentListCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.type = "banner_warning,RELEASE_NOTE";
        cmd.page = "home";
        cmd.search = "maint";
        cmd.limit = 5;

        cmd.print(out);

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        ArgumentCaptor<ContentQuery> query = ArgumentCaptor.forClass(ContentQuery.class);
        verify(service).list(caller.capture(), query.capture());
        assertThat(caller.getValue().id()).isEqualTo("console-admin");
        assertThat(caller.getValue().authenticated()).isTrue();
        assertThat(caller.getValue().hasRight("content.manage")).isTrue();
        assertThat(query.getValue().types())
                .containsExactlyInAnyOrder(ContentType.BANNER_WARNING, ContentType.RELEASE_NOTE);
        assertThat(query.getValue().pages()).containsExactly("home");
        assertThat(query.getValue().search()).isEqualTo("maint");
        assertThat(query.getValue().page().limit()).isEqualTo(5);
        assertThat(printed())
                .contains("ID", "Title", "Maintenance", "BANNER_WARNING", "home", "{order=1}", "1 of 31 shown");
    }

    @Test
    void listNamesTheBadOption() {
        ContentListCommand cmd = new ContentListCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.type = "POPUP";
        assertThatThrownBy(() -> cmd.print(out)).hasMessageContaining("--type").hasMessageContaining("POPUP");
        verifyNoInteractions(service);
    }

    @Test
    void addParsesTypeAndMetadataAndPrintsTheNewId() {
        when(service.create(any(), any())).thenAnswer(inv -> {
            NewContent n = inv.getArgument(1);
            return new Content(12, n.title(), n.content(), n.page(), n.contentType(), n.metadata(), T, T, 1);
        });
        ContentAddCommand cmd = new ContentAddCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.type = "banner_info";
        cmd.page = "home";
        cmd.metadata = List.of("order=1", "style=color=red");
        cmd.title = "Welcome";
        cmd.content = "Hello";

        cmd.print(out);

        verify(service)
                .create(
                        any(),
                        eq(new NewContent(
                                "Welcome",
                                "Hello",
                                "home",
                                ContentType.BANNER_INFO,
                                Map.of("order", "1", "style", "color=red"))));
        assertThat(printed()).contains("Added content 12");
    }

    @Test
    void addRefusesMalformedMetadataAndUnknownTypesBeforeCallingTheService() {
        assertThatThrownBy(() -> ContentAddCommand.metadata(List.of("order"))).hasMessageContaining("key=value");
        assertThatThrownBy(() -> ContentAddCommand.metadata(List.of("order=1", "order=2")))
                .hasMessageContaining("twice");
        ContentAddCommand cmd = new ContentAddCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.type = "POPUP";
        cmd.title = "t";
        cmd.content = "c";
        assertThatThrownBy(() -> cmd.print(out)).hasMessageContaining("--type");
        verifyNoInteractions(service);
    }

    @Test
    void addExplainsEveryFieldTheServiceRefuses() {
        when(service.create(any(), any()))
                .thenThrow(KaryoException.invalid(List.of(
                        new FieldError("title", "must be at most 255 characters"),
                        new FieldError("metadata.colour", "is not a metadata key; allowed: order, style, tags"))));
        ContentAddCommand cmd = new ContentAddCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.type = "RELEASE_NOTE";
        cmd.title = "x".repeat(300);
        cmd.content = "c";
        cmd.metadata = List.of("colour=red");
        assertThatThrownBy(() -> cmd.print(out))
                .hasMessageContaining("title must be at most 255 characters")
                .hasMessageContaining("--metadata colour is not a metadata key");
    }

    @Test
    void removeSoftDeletesWithoutVersionCheck() {
        ContentRemoveCommand cmd = new ContentRemoveCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.id = 12;
        cmd.print(out);
        verify(service).delete(any(), eq(12L), eq(OptionalLong.empty()));
        assertThat(printed()).contains("Removed content 12");
    }

    @Test
    void removeOfAnUnknownIdSaysSo() {
        org.mockito.Mockito.doThrow(KaryoException.notFound("content", 99))
                .when(service)
                .delete(any(), eq(99L), any());
        ContentRemoveCommand cmd = new ContentRemoveCommand();
        cmd.contents = service;
        cmd.identity = CONSOLE;
        cmd.id = 99;
        assertThatThrownBy(() -> cmd.print(out)).hasMessage("content 99 does not exist");
    }
}
