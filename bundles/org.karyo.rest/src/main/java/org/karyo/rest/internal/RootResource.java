package org.karyo.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.security.Public;
import org.karyo.rest.internal.openapi.Undocumented;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /api} and {@code /api/}: a newcomer who opens the API's address is sent to its documentation. */
@Component(service = RootResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Path("")
@Public
@Undocumented
public final class RootResource {

    @GET
    public Response root(@Context UriInfo uri) {
        // the application's base is fixed ("api"); the whiteboard's base URI is not reliable here
        return Response.seeOther(uri.getRequestUri().resolve("/api/docs")).build();
    }
}
