package org.karyo.content.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentPatch;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentRights;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.NewContent;
import org.mockito.ArgumentCaptor;

class ContentResourceTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456Z");

    private final ContentService service = mock(ContentService.class);
    private final ContentResource resource = new ContentResource(service);
    private final Caller caller = mock(Caller.class);
    private final SecurityContext security = mock(SecurityContext.class);

    ContentResourceTest() {
        when(security.getUserPrincipal()).thenReturn(caller);
        when(service.list(any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
    }

    private static Content content(long id, long version) {
        return new Content(
                id,
                "Maintenance",
                "Sunday 8-10",
                "home",
                ContentType.BANNER_WARNING,
                Map.of("order", "1"),
                T,
                T,
                version);
    }

    private ContentQuery listed(
            String types, String pages, String search, String limit, String offset, String ordering) {
        resource.list(types, pages, search, limit, offset, ordering, security);
        ArgumentCaptor<ContentQuery> query = ArgumentCaptor.forClass(ContentQuery.class);
        verify(service).list(eq(caller), query.capture());
        return query.getValue();
    }

    @Test
    void everyEndpointDeclaresWhatItNeedsReadsArePublicWritesNeedContentManage() {
        List<Method> endpoints = Arrays.stream(ContentResource.class.getMethods())
                .filter(m -> m.isAnnotationPresent(GET.class)
                        || m.isAnnotationPresent(POST.class)
                        || m.isAnnotationPresent(PUT.class)
                        || m.isAnnotationPresent(PATCH.class)
                        || m.isAnnotationPresent(DELETE.class))
                .toList();
        assertThat(endpoints).hasSize(7);
        for (Method m : endpoints) {
            Declarations.Need need = Declarations.of(m).orElseThrow(() -> new AssertionError(m + " declares nothing"));
            if (m.isAnnotationPresent(GET.class)) {
                assertThat(need).as(m.getName()).isInstanceOf(Declarations.PublicNeed.class);
            } else {
                assertThat(need).as(m.getName()).isEqualTo(new Declarations.RightNeed("content.manage"));
            }
        }
    }

    @Test
    void listWithoutParametersAsksForTheFirstTwentyNewestFirst() {
        ContentQuery q = listed(null, null, null, null, null, null);
        assertThat(q.types()).isEmpty();
        assertThat(q.pages()).isEmpty();
        assertThat(q.search()).isNull();
        assertThat(q.page()).isEqualTo(new PageRequest(20, 0, List.of(new Sort("created_at", true))));
    }

    @Test
    void listPassesCommaSeparatedFiltersSearchPagingAndOrdering() {
        ContentQuery q = listed("BANNER_INFO, RELEASE_NOTE", "home,cohorts", "50%_off", "5", "10", "-title,page");
        assertThat(q.types()).containsExactlyInAnyOrder(ContentType.BANNER_INFO, ContentType.RELEASE_NOTE);
        assertThat(q.pages()).containsExactlyInAnyOrder("home", "cohorts");
        assertThat(q.search()).isEqualTo("50%_off");
        assertThat(q.page())
                .isEqualTo(new PageRequest(5, 10, List.of(new Sort("title", true), new Sort("page", false))));
    }

    @Test
    void listReportsEveryBadParameterAtOnceAndCallsNothing() {
        assertThatThrownBy(() -> resource.list("BANNER_INFO,POPUP", null, null, "many", "-1", "id", security))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors())
                            .extracting(FieldError::field)
                            .containsExactlyInAnyOrder("content_type", "limit", "offset", "ordering");
                    assertThat(e.errors().get(0).message()).contains("POPUP");
                });
        verifyNoInteractions(service);
    }

    @Test
    void typesAreNotGuessedFromTheWrongCase() {
        assertThatThrownBy(() -> resource.list("banner_info", null, null, null, null, null, security))
                .isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("content_type", "unknown value 'banner_info'")));
    }

    @Test
    void contentTypesComeFromTheService() {
        when(service.contentTypes()).thenReturn(List.of(ContentType.RELEASE_NOTE.info()));
        assertThat(resource.contentTypes()).containsExactly(ContentType.RELEASE_NOTE.info());
    }

    @Test
    void getAnswersWithTheVersionAsETag() {
        when(service.get(caller, 7)).thenReturn(content(7, 3));
        Response r = resource.get("7", security);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getEntityTag().getValue()).isEqualTo("3");
        assertThat(r.getEntity()).isEqualTo(content(7, 3));
    }

    @Test
    void aNonNumericIdIsNotFoundWithoutAskingTheService() {
        for (String id : List.of("abc", "1.5", "", "99999999999999999999", "x".repeat(500))) {
            assertThatThrownBy(() -> resource.get(id, security)).isInstanceOfSatisfying(KaryoException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                assertThat(e.getMessage()).hasSizeLessThan(80);
            });
        }
        assertThatThrownBy(() -> resource.delete("abc", null, security)).isInstanceOf(KaryoException.class);
        verifyNoInteractions(service);
    }

    @Test
    void createAnswers201WithLocationAndETag() {
        NewContent body =
                new NewContent("Maintenance", "Sunday 8-10", "home", ContentType.BANNER_WARNING, Map.of("order", "1"));
        when(service.create(caller, body)).thenReturn(content(42, 1));
        UriInfo uri = mock(UriInfo.class);
        when(uri.getAbsolutePathBuilder())
                .thenReturn(UriBuilder.fromUri("http://localhost:8181/api/webcontent/contents"));

        Response r = resource.create(body, uri, security);

        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/webcontent/contents/42"));
        assertThat(r.getEntityTag().getValue()).isEqualTo("1");
        assertThat(r.getEntity()).isEqualTo(content(42, 1));
    }

    @Test
    void patchAndPutPassIfMatchToTheService() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("\"4\"");
        ContentPatch patch = new ContentPatch("New title", null, null, null, null);
        when(service.update(caller, 9, patch, OptionalLong.of(4))).thenReturn(content(9, 5));
        NewContent whole = new NewContent("t", "c", null, ContentType.BANNER_INFO, null);
        when(service.replace(caller, 9, whole, OptionalLong.of(4))).thenReturn(content(9, 6));

        Response patched = resource.update("9", patch, headers, security);
        Response replaced = resource.replace("9", whole, headers, security);

        assertThat(patched.getStatus()).isEqualTo(200);
        assertThat(patched.getEntityTag().getValue()).isEqualTo("5");
        assertThat(replaced.getEntityTag().getValue()).isEqualTo("6");
    }

    @Test
    void writesWithoutIfMatchSkipTheVersionCheck() {
        ContentPatch patch = new ContentPatch(null, null, "", null, Map.of());
        when(service.update(caller, 9, patch, OptionalLong.empty())).thenReturn(content(9, 2));
        assertThat(resource.update("9", patch, mock(HttpHeaders.class), security)
                        .getStatus())
                .isEqualTo(200);
    }

    @Test
    void aMalformedIfMatchIsABadRequestAndWritesNothing() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("\"abc\"");
        assertThatThrownBy(() -> resource.delete("9", headers, security))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
        verifyNoInteractions(service);
    }

    @Test
    void deleteAnswers204() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("W/\"2\"");
        Response r = resource.delete("9", headers, security);
        assertThat(r.getStatus()).isEqualTo(204);
        verify(service).delete(caller, 9, OptionalLong.of(2));
    }

    @Test
    void anAnonymousRequestReachesTheServiceAsTheAnonymousCaller() {
        SecurityContext none = mock(SecurityContext.class);
        resource.list(null, null, null, null, null, null, none);
        verify(service).list(eq(Caller.ANONYMOUS), any());
        when(service.get(eq(Caller.ANONYMOUS), anyLong())).thenReturn(content(1, 1));
        assertThat(resource.get("1", none).getStatus()).isEqualTo(200);
        assertThat(Set.of(ContentRights.MANAGE)).containsExactly("content.manage");
    }
}
