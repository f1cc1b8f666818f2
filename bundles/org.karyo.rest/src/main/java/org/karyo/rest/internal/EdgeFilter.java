package org.karyo.rest.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.karyo.rest.internal.json.Problem;
import org.karyo.rest.support.ClientAddress;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The first and last filter of every request ({@code karyo.edge}, pre-matching, so it also sees unmatched paths):
 * the request id (MDC {@code requestId}, {@code X-Request-Id} header, problem bodies), the public URL behind a
 * trusted reverse proxy, CORS, and one DEBUG line per request (method, path template, status, time; never bodies or
 * query values).
 *
 * <p>Prototype scope: it holds injected request proxies, so each application wiring gets its own instance.
 */
@Component(
        service = {ContainerRequestFilter.class, ContainerResponseFilter.class},
        scope = ServiceScope.PROTOTYPE)
@JaxrsExtension
@JaxrsName(EdgeFilter.NAME)
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@PreMatching
@Priority(EdgeFilter.PRIORITY)
public final class EdgeFilter implements ContainerRequestFilter, ContainerResponseFilter {
    static final String NAME = "karyo.edge";
    /** Runs before every other request filter, and after every other response filter. */
    static final int PRIORITY = 100;

    static final String REQUEST_ID = "karyo.requestId";
    static final String START = "karyo.start";
    public static final String TEMPLATE = "karyo.template";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeFilter.class);

    private final Settings settings;

    @Context
    private HttpServletRequest servletRequest;

    @Activate
    public EdgeFilter(@Reference Settings settings) {
        this.settings = settings;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        String id = RequestIds.accept(request.getHeaderString(RequestIds.HEADER));
        request.setProperty(REQUEST_ID, id);
        request.setProperty(START, System.nanoTime());
        MDC.put(RequestIds.MDC_KEY, id);

        String peer = peer();
        MDC.put(ClientAddress.MDC_KEY, clientAddress(peer, request.getHeaderString("X-Forwarded-For")));
        if (peer != null && settings.trustsProxy(peer)) {
            ForwardedHeaders.rewrite(
                            request.getUriInfo().getBaseUri(),
                            request.getUriInfo().getRequestUri(),
                            request.getHeaderString("X-Forwarded-Proto"),
                            request.getHeaderString("X-Forwarded-Host"),
                            request.getHeaderString("X-Forwarded-Port"),
                            request.getHeaderString("X-Forwarded-Prefix"))
                    .ifPresent(u -> request.setRequestUri(u.base(), u.request()));
        }

        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (acceptsOnlyProblems(accept)) {
            // a client that accepts only our error format (a generated client does so for an operation whose success
            // has no body: a 204, a 303) still gets the operation, not a 406: problem+json is a kind of JSON
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, accept + ", " + MediaType.APPLICATION_JSON + ";q=0.5");
        }

        Cors cors = settings.cors();
        String origin = request.getHeaderString("Origin");
        if (cors.enabled()
                && Cors.isPreflight(
                        request.getMethod(), origin, request.getHeaderString("Access-Control-Request-Method"))
                && cors.allows(origin)) {
            Response.ResponseBuilder preflight = Response.noContent();
            Response r = preflight.build();
            cors.preflightHeaders(origin, r.getMetadata());
            request.abortWith(r);
        }
    }

    /** Whether an {@code Accept} header names {@code application/problem+json} and no other JSON or wildcard. */
    static boolean acceptsOnlyProblems(String accept) {
        if (accept == null || !accept.toLowerCase(java.util.Locale.ROOT).contains(Karyo.PROBLEM_JSON)) {
            return false;
        }
        for (String part : accept.split(",", -1)) {
            String type = part.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (type.equals(MediaType.APPLICATION_JSON) || type.equals("*/*") || type.equals("application/*")) {
                return false;
            }
        }
        return true;
    }

    /** Whether the per-request DEBUG line is on (so that other filters prepare what it shows only then). */
    static boolean logsRequests() {
        return LOG.isDebugEnabled();
    }

    private String peer() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return null; // no servlet request behind this call
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        Object id = request.getProperty(REQUEST_ID);
        String requestId = id instanceof String s ? s : RequestIds.accept(null);
        response.getHeaders().putSingle(RequestIds.HEADER, requestId);

        Cors cors = settings.cors();
        if (cors.enabled()) {
            String origin = request.getHeaderString("Origin");
            if (cors.allows(origin)) {
                cors.actualHeaders(origin, response.getHeaders());
            } else if (origin != null) {
                response.getHeaders().add("Vary", "Origin");
            }
        }

        if (response.getEntity() instanceof Problem problem) {
            problem.instanceIfAbsent(request.getUriInfo().getRequestUri().getRawPath())
                    .requestIdIfAbsent(requestId);
        }

        if (LOG.isDebugEnabled()) {
            Object start = request.getProperty(START);
            long ms = start instanceof Long s ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s) : -1;
            Object template = request.getProperty(TEMPLATE);
            LOG.debug(
                    "{} {} -> {} ({} ms)",
                    request.getMethod(),
                    template != null ? template : "(unmatched)",
                    response.getStatus(),
                    ms);
        }
        MDC.remove(RequestIds.MDC_KEY);
        MDC.remove(ClientAddress.MDC_KEY);
    }

    /**
     * The client's address: the peer, unless the peer is a trusted proxy, in which case the rightmost address of
     * {@code X-Forwarded-For} that is not itself a trusted proxy (the leftmost entries are client-controlled).
     */
    String clientAddress(String peer, String forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (forwardedFor == null || forwardedFor.isBlank() || !settings.trustsProxy(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        String candidate = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty() || hop.length() > 64 || !hop.matches("[0-9A-Fa-f:.]+")) {
                return candidate;
            }
            candidate = hop;
            if (!settings.trustsProxy(hop)) {
                return hop;
            }
        }
        return candidate;
    }
}
