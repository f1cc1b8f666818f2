package org.karyo.rest.internal;

import javax.ws.rs.core.Application;
import org.karyo.rest.internal.json.JsonProvider;
import org.karyo.rest.internal.json.ProblemMapper;
import org.karyo.rest.internal.security.Gatekeeper;
import org.karyo.rest.internal.security.SecurityFilter;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The one Karyo JAX-RS application, {@code karyo} at {@code /api}. It requires the platform's extensions: the whiteboard
 * serves it only while the request-id/proxy/CORS filter, the security extension, the JSON provider and the problem
 * mapper are all registered, so nothing is ever served without access checks or with non-problem errors. Its
 * resources are whiteboard services that select it with {@link Karyo#APPLICATION_SELECT}.
 */
@Component(service = Application.class)
@JaxrsName(Karyo.APPLICATION)
@JaxrsApplicationBase("api")
@JaxrsExtensionSelect({
    "(osgi.jaxrs.name=" + EdgeFilter.NAME + ")",
    "(osgi.jaxrs.name=" + SecurityFilter.NAME + ")",
    "(osgi.jaxrs.name=" + JsonProvider.NAME + ")",
    "(osgi.jaxrs.name=" + ProblemMapper.NAME + ")"
})
public final class KaryoApplication extends Application {

    /**
     * Takes the services the required extensions are built on: if one cannot be activated (a wrong configuration),
     * the whiteboard cannot get the application either and serves nothing, rather than an application missing an
     * extension whose service was registered but failed to activate.
     */
    @Activate
    public KaryoApplication(@Reference Settings settings, @Reference Gatekeeper gatekeeper) {
        // nothing to keep: the references are the point
    }
}
