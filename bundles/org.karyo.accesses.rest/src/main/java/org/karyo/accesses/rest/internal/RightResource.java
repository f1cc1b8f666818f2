package org.karyo.accesses.rest.internal;

import java.util.List;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.karyo.accesses.api.RightService;
import org.karyo.api.security.Authenticated;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /api/accesses/rights}: every right that roles may hold, from every module (Cohort360 {@code /rights}). */
@Component(service = RightResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("accesses/rights")
@Produces(MediaType.APPLICATION_JSON)
public class RightResource {

    private final RightService rights;

    @Activate
    public RightResource(@Reference RightService rights) {
        this.rights = rights;
    }

    /**
     * The rights grouped by category, each with its key, module, label, scope and dependency; {@code active} is false
     * for the rights of an uninstalled module, which grant nothing.
     */
    @GET
    @Authenticated
    @Operation(id = "listRights", summary = "List the rights, grouped by category")
    public List<RightCategoryJson> list() {
        return RightCategoryJson.group(rights.list());
    }
}
