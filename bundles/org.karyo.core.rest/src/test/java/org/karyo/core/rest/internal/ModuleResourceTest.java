package org.karyo.core.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleRights;
import org.karyo.core.modules.ModuleService;

class ModuleResourceTest {

    private final ModuleService service = mock(ModuleService.class);
    private final ModuleResource resource = new ModuleResource(service);
    private final Caller caller = mock(Caller.class);
    private final SecurityContext security = mock(SecurityContext.class);
    private final UriInfo uri = mock(UriInfo.class);

    ModuleResourceTest() {
        when(security.getUserPrincipal()).thenReturn(caller);
        when(uri.getBaseUriBuilder()).thenAnswer(i -> UriBuilder.fromUri("http://localhost:8181/api/"));
        when(service.get("content")).thenReturn(info("karyo-content"));
    }

    private static ModuleInfo info(String feature) {
        return new ModuleInfo(
                feature, feature.substring(6), "0.1.0", true, true, null, List.of(), List.of(), null, null);
    }

    private static ModuleChange change(ModuleChange.Operation operation) {
        return new ModuleChange(
                "c-7",
                operation,
                List.of("karyo-content"),
                ModuleChange.State.QUEUED,
                List.of(),
                List.of(),
                null,
                "u-1",
                Instant.EPOCH,
                null);
    }

    @Test
    void everyOperationNeedsTheRightToManageModules() {
        List<Method> endpoints = Arrays.stream(ModuleResource.class.getMethods())
                .filter(m -> m.isAnnotationPresent(GET.class)
                        || m.isAnnotationPresent(POST.class)
                        || m.isAnnotationPresent(DELETE.class))
                .toList();
        assertThat(endpoints).hasSize(5);
        for (Method m : endpoints) {
            assertThat(Declarations.of(m)).as(m.getName()).contains(new Declarations.RightNeed(ModuleRights.MANAGE));
        }
        assertThat(ModuleRights.MANAGE).isEqualTo("platform.modules.manage");
    }

    @Test
    void installAndUninstallAnswer202WithTheChangeAndWhereToFollowIt() {
        when(service.install(any(), any())).thenReturn(change(ModuleChange.Operation.INSTALL));
        when(service.uninstall(any(), any())).thenReturn(change(ModuleChange.Operation.UNINSTALL));

        Response installed = resource.install("content", uri, security);
        Response uninstalled = resource.uninstall("content", uri, security);

        for (Response r : List.of(installed, uninstalled)) {
            assertThat(r.getStatus()).isEqualTo(202);
            assertThat(r.getLocation()).hasToString("http://localhost:8181/api/modules/changes/c-7");
        }
        assertThat(((ModuleChange) installed.getEntity()).operation()).isEqualTo(ModuleChange.Operation.INSTALL);
        verify(service).install(caller, List.of("karyo-content"));
        verify(service).uninstall(caller, List.of("karyo-content"));
    }

    @Test
    void anUnknownModuleIsNotFoundAndNothingIsAsked() {
        when(service.get("bogus")).thenThrow(KaryoException.notFound("module", "karyo-bogus"));

        assertThatThrownBy(() -> resource.install("bogus", uri, security))
                .isInstanceOfSatisfying(
                        KaryoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> resource.uninstall("bogus", uri, security)).isInstanceOf(KaryoException.class);
        verify(service, never()).install(any(), any());
        verify(service, never()).uninstall(any(), any());
    }

    @Test
    void theServicesRefusalOfAModuleOthersNeedGoesThroughAsIs() {
        KaryoException needed = new KaryoException(
                Kind.CONFLICT,
                "conflict",
                "karyo-content is needed by karyo-x: uninstall it first, or in the same change",
                null,
                Map.of("required_by", List.of("karyo-x")),
                null);
        when(service.uninstall(any(), any())).thenThrow(needed);

        assertThatThrownBy(() -> resource.uninstall("content", uri, security)).isSameAs(needed);
    }

    @Test
    void readsGoToTheService() {
        when(service.list()).thenReturn(List.of(info("karyo-content")));
        when(service.change("c-7")).thenReturn(change(ModuleChange.Operation.INSTALL));

        assertThat(resource.list()).extracting(ModuleInfo::feature).containsExactly("karyo-content");
        assertThat(resource.get("content").feature()).isEqualTo("karyo-content");
        assertThat(resource.change("c-7").id()).isEqualTo("c-7");
    }
}
