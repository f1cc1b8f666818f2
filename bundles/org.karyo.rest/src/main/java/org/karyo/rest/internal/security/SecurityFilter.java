package org.karyo.rest.internal.security;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import org.karyo.api.security.Caller;
import org.karyo.rest.internal.EdgeFilter;
import org.karyo.rest.internal.JaxrsAnnotations;
import org.karyo.rest.internal.SecurityHeaders;
import org.karyo.rest.internal.json.Problem;
import org.karyo.rest.internal.json.Problems;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The security extension ({@code karyo.security}) that the application requires: nothing is served without it. For
 * every matched request it reads the resource method's declaration and lets the {@link Gatekeeper} admit the request
 * (undeclared methods are refused, request gates such as maintenance mode apply), then exposes the caller as the
 * security context's principal. Every response gets the security headers.
 *
 * <p>Prototype scope: it holds an injected {@link ResourceInfo} proxy, so each application wiring gets its own
 * instance.
 */
@Component(
        service = {ContainerRequestFilter.class, ContainerResponseFilter.class},
        scope = ServiceScope.PROTOTYPE)
@JaxrsExtension
@JaxrsName(SecurityFilter.NAME)
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Priority(Priorities.AUTHENTICATION)
public final class SecurityFilter implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String NAME = "karyo.security";
    private static final Pattern SLASHES = Pattern.compile("/{2,}");

    private final Gatekeeper gatekeeper;
    private final Map<Method, String> templates = new ConcurrentHashMap<>();

    @Context
    private ResourceInfo resourceInfo;

    @Activate
    public SecurityFilter(@Reference Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo == null ? null : resourceInfo.getResourceClass();
        if (method != null) {
            String template = templates.computeIfAbsent(method, m -> JaxrsAnnotations.template(type, m));
            request.setProperty(EdgeFilter.TEMPLATE, template);
            request.setProperty(Karyo.OPERATION_TEMPLATE, template);
        }
        String path = SLASHES.matcher("/" + request.getUriInfo().getPath(true)).replaceAll("/");
        Caller caller = gatekeeper.admit(method, request.getMethod(), path, request);
        request.setSecurityContext(new KaryoSecurityContext(caller, isHttps(request)));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        SecurityHeaders.apply(response.getHeaders(), isHttps(request));
        if (response.getStatus() == 401 && !response.getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)) {
            // a 401 that did not come through the problem mapper (htsget's own error shape): RFC 6750 §3 still holds
            response.getHeaders()
                    .add(
                            HttpHeaders.WWW_AUTHENTICATE,
                            response.getEntity() instanceof Problem p
                                    ? Problems.challenge(p)
                                    : Problems.BEARER_CHALLENGE);
        }
    }

    private static boolean isHttps(ContainerRequestContext request) {
        return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme());
    }
}
