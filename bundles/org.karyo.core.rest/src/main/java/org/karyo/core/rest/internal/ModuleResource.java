package org.karyo.core.rest.internal;

import java.net.URI;
import java.util.List;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.security.RequiresRight;
import org.karyo.core.modules.ModuleChange;
import org.karyo.core.modules.ModuleInfo;
import org.karyo.core.modules.ModuleRights;
import org.karyo.core.modules.ModuleService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/modules}: the domain modules, installed and available, with their versions, what they need and what needs
 * them, their schema state and their latest change; {@code POST} and {@code DELETE} of a module install and uninstall it
 * as the console's {@code karyo:module-install} and {@code karyo:module-uninstall} do: {@code 202} with the change, to
 * follow at {@code /api/modules/changes/{id}}; refused with {@code 409} when installed modules need the module (named in
 * {@code required_by}). Everything needs {@value ModuleRights#MANAGE}.
 */
@Component(service = ModuleResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("modules")
@Produces(MediaType.APPLICATION_JSON)
public class ModuleResource {

    private final ModuleService modules;

    @Activate
    public ModuleResource(@Reference ModuleService modules) {
        this.modules = modules;
    }

    /** Every domain module of the features repositories, installed or not, ordered by feature name. */
    @GET
    @RequiresRight(ModuleRights.MANAGE)
    @Operation(id = "listModules", summary = "List the platform's modules, installed or not")
    public List<ModuleInfo> list() {
        return modules.list();
    }

    /** One module, by module or feature name ({@code content} or {@code karyo-content}); 404 for an unknown name. */
    @GET
    @Path("{name}")
    @RequiresRight(ModuleRights.MANAGE)
    @Operation(id = "getModule", summary = "Get a module")
    public ModuleInfo get(
            @PathParam("name")
                    @Param(description = "The module's name or its feature's name (content or karyo-content)")
                    String name) {
        return modules.get(name);
    }

    /**
     * Installs a module (with the modules it needs): {@code 202} with the change and its {@code Location}; the change
     * runs after the changes accepted before it. Installing an installed module is a change that changes nothing.
     */
    @POST
    @Path("{name}")
    @RequiresRight(ModuleRights.MANAGE)
    @Operation(id = "installModule", summary = "Install a module and the modules it needs")
    @Returns(value = ModuleChange.class, status = 202, description = "The change is queued; its state is at Location")
    public Response install(
            @PathParam("name")
                    @Param(description = "The module's name or its feature's name (content or karyo-content)")
                    String name,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        String feature = modules.get(name).feature();
        return accepted(modules.install(Callers.of(security), List.of(feature)), uri);
    }

    /**
     * Uninstalls a module; its tables and data stay. {@code 202} with the change and its {@code Location};
     * {@code 409} naming the installed modules that need it ({@code required_by}).
     */
    @DELETE
    @Path("{name}")
    @RequiresRight(ModuleRights.MANAGE)
    @Operation(
            id = "uninstallModule",
            summary = "Uninstall a module, keeping its data",
            description = "Refused with 409 (naming `required_by`) while an installed module needs it.")
    @Returns(value = ModuleChange.class, status = 202, description = "The change is queued; its state is at Location")
    @Fails(409)
    public Response uninstall(
            @PathParam("name")
                    @Param(description = "The module's name or its feature's name (content or karyo-content)")
                    String name,
            @Context UriInfo uri,
            @Context SecurityContext security) {
        String feature = modules.get(name).feature();
        return accepted(modules.uninstall(Callers.of(security), List.of(feature)), uri);
    }

    /** A change's state: {@code QUEUED}, {@code RUNNING}, {@code DONE} or {@code FAILED} (with its {@code error}). */
    @GET
    @Path("changes/{id}")
    @RequiresRight(ModuleRights.MANAGE)
    @Operation(id = "getModuleChange", summary = "Get the state of a module change")
    public ModuleChange change(
            @PathParam("id") @Param(kind = Param.Kind.UUID, description = "The change's id") String id) {
        return modules.change(id);
    }

    private static Response accepted(ModuleChange change, UriInfo uri) {
        URI location = uri.getBaseUriBuilder()
                .path(ModuleResource.class)
                .path("changes")
                .path(change.id())
                .build();
        return Response.accepted(change).location(location).build();
    }
}
