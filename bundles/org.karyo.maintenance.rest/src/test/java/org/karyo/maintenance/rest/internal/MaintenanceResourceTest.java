package org.karyo.maintenance.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
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
import org.karyo.maintenance.api.MaintenancePatch;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.maintenance.api.MaintenanceQuery;
import org.karyo.maintenance.api.MaintenanceService;
import org.karyo.maintenance.api.MaintenanceType;
import org.karyo.maintenance.api.NewMaintenancePhase;
import org.mockito.ArgumentCaptor;

class MaintenanceResourceTest {

    private static final Instant T0 = Instant.parse("2030-03-01T10:00:00Z");
    private static final MaintenancePhase PHASE =
            new MaintenancePhase(5, "Upgrade", null, "partial", T0, T0.plusSeconds(60), true, T0, T0, 3);

    private final MaintenanceService service = mock(MaintenanceService.class);
    private final MaintenanceResource resource = new MaintenanceResource(service);

    @Test
    void readsArePublicAndWritesNeedMaintenanceManage() {
        List<Method> methods = Arrays.stream(MaintenanceResource.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()))
                .toList();
        assertThat(methods).hasSize(6);
        for (Method m : methods) {
            Declarations.Need need = Declarations.of(m).orElseThrow(() -> new AssertionError(m + " declares nothing"));
            if (m.isAnnotationPresent(GET.class)) {
                assertThat(need).as(m.getName()).isEqualTo(new Declarations.PublicNeed());
            } else {
                assertThat(m.isAnnotationPresent(POST.class)
                                || m.isAnnotationPresent(PATCH.class)
                                || m.isAnnotationPresent(DELETE.class))
                        .isTrue();
                assertThat(need).as(m.getName()).isEqualTo(new Declarations.RightNeed("maintenance.manage"));
            }
        }
    }

    @Test
    void anIdThatIsNotAPositiveNumberIsNotFound() {
        for (String id : List.of("abc", "1.5", "0", "-3", "99999999999999999999", " 4")) {
            KaryoException e = catchThrowableOfType(() -> resource.get(id, null), KaryoException.class);
            assertThat(e).as(id).isNotNull();
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            KaryoException d = catchThrowableOfType(() -> resource.delete(id, null, null), KaryoException.class);
            assertThat(d.kind()).isEqualTo(Kind.NOT_FOUND);
        }
        verifyNoInteractions(service);
    }

    @Test
    void getAnswersThePhaseWithItsETag() {
        when(service.get(any(), eq(5L))).thenReturn(PHASE);
        Response r = resource.get("5", null);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getEntity()).isEqualTo(PHASE);
        assertThat(r.getEntityTag().getValue()).isEqualTo("3");
        verify(service).get(Caller.ANONYMOUS, 5L);
    }

    @Test
    void nextAnswersAnEmptyObjectWhenNothingIsPlanned() {
        when(service.next(any())).thenReturn(Optional.empty());
        Response none = resource.next(null);
        assertThat(none.getStatus()).isEqualTo(200);
        assertThat(none.getEntity()).isEqualTo(Map.of());

        when(service.next(any())).thenReturn(Optional.of(PHASE));
        Response some = resource.next(null);
        assertThat(some.getEntity()).isEqualTo(PHASE);
        assertThat(some.getEntityTag().getValue()).isEqualTo("3");
    }

    @Test
    void createAnswers201WithLocationAndETag() {
        NewMaintenancePhase body = new NewMaintenancePhase("Upgrade", null, null, T0, T0.plusSeconds(60));
        when(service.create(any(), eq(body))).thenReturn(PHASE);
        UriInfo uri = mock(UriInfo.class);
        when(uri.getAbsolutePathBuilder()).thenReturn(UriBuilder.fromUri("http://localhost:8181/api/maintenances"));

        Response r = resource.create(body, uri, null);

        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(r.getLocation()).isEqualTo(URI.create("http://localhost:8181/api/maintenances/5"));
        assertThat(r.getEntityTag().getValue()).isEqualTo("3");
        assertThat(r.getEntity()).isEqualTo(PHASE);
    }

    @Test
    void patchAndDeletePassIfMatchToTheService() {
        HttpHeaders headers = mock(HttpHeaders.class);
        when(headers.getHeaderString(HttpHeaders.IF_MATCH)).thenReturn("\"3\"");
        MaintenancePatch patch = MaintenancePatch.endAt(T0);
        when(service.update(any(), anyLong(), any(), any())).thenReturn(PHASE);

        Response updated = resource.update("5", patch, headers, null);
        assertThat(updated.getStatus()).isEqualTo(200);
        assertThat(updated.getEntityTag().getValue()).isEqualTo("3");
        verify(service).update(Caller.ANONYMOUS, 5L, patch, OptionalLong.of(3));

        Response deleted = resource.delete("5", headers, null);
        assertThat(deleted.getStatus()).isEqualTo(204);
        verify(service).delete(Caller.ANONYMOUS, 5L, OptionalLong.of(3));
    }

    @Test
    void listPassesFiltersPagingAndOrdering() {
        when(service.list(any(), any(), any())).thenReturn(new Page<>(0, 5, 10, List.of()));
        resource.list(
                "5",
                "10",
                "subject,-end_datetime",
                " disk ",
                "full, partial",
                "TRUE",
                "2030-03-01T12:00:00+02:00",
                "2030-04-01T00:00:00Z",
                null);

        ArgumentCaptor<MaintenanceQuery> query = ArgumentCaptor.forClass(MaintenanceQuery.class);
        ArgumentCaptor<PageRequest> page = ArgumentCaptor.forClass(PageRequest.class);
        verify(service).list(eq(Caller.ANONYMOUS), query.capture(), page.capture());
        assertThat(query.getValue())
                .isEqualTo(new MaintenanceQuery(
                        Instant.parse("2030-03-01T10:00:00Z"),
                        Instant.parse("2030-04-01T00:00:00Z"),
                        Set.of(MaintenanceType.FULL, MaintenanceType.PARTIAL),
                        true,
                        " disk "));
        assertThat(page.getValue())
                .isEqualTo(new PageRequest(5, 10, List.of(new Sort("subject", false), new Sort("end_datetime", true))));
    }

    @Test
    void listDefaultsToLatestStartFirst() {
        when(service.list(any(), any(), any())).thenReturn(new Page<>(0, 20, 0, List.of()));
        resource.list(null, null, null, null, null, null, null, null, null);
        verify(service)
                .list(
                        Caller.ANONYMOUS,
                        MaintenanceQuery.all(),
                        new PageRequest(20, 0, List.of(new Sort("start_datetime", true))));
    }

    @Test
    void badListParametersAreAllNamed() {
        KaryoException e = catchThrowableOfType(
                () -> resource.list(
                        null, null, null, null, "total", "maybe", "yesterday", "2030-13-01T00:00:00Z", null),
                KaryoException.class);
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("type", "active", "min_start_datetime", "max_end_datetime");

        KaryoException paging = catchThrowableOfType(
                () -> resource.list("5000", "-1", "message", null, null, null, null, null, null), KaryoException.class);
        assertThat(paging.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("limit", "offset", "ordering");
        verifyNoInteractions(service);
    }
}
