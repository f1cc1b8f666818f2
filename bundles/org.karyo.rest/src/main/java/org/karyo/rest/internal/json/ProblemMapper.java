package org.karyo.rest.internal.json;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.karyo.api.KaryoException;
import org.karyo.rest.internal.RequestIds;
import org.karyo.rest.internal.whiteboard.RewireBridge;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one exception mapper of the application ({@code karyo.problems}): every error becomes an RFC 9457
 * {@code application/problem+json} response. {@link KaryoException}s map by kind, unreadable JSON bodies to precise
 * 400s, JAX-RS exceptions keep their status, and anything else is a 500 with an incident id whose stack trace is
 * logged once, here, at ERROR. No exception message other than a {@code KaryoException}'s reaches the client.
 */
@Component(service = javax.ws.rs.ext.ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(ProblemMapper.NAME)
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
public final class ProblemMapper implements ExceptionMapper<Throwable> {
    public static final String NAME = "karyo.problems";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @javax.ws.rs.core.Context
    private javax.servlet.http.HttpServletRequest servletRequest;

    @Override
    public Response toResponse(Throwable t) {
        Response r = map(t);
        if (r.getEntity() instanceof Problem p) {
            p.requestIdIfAbsent(MDC.get(RequestIds.MDC_KEY));
        }
        return r;
    }

    Response map(Throwable t) {
        KaryoException karyo = find(t, KaryoException.class);
        if (karyo != null) {
            LOG.debug("Request refused: {} {}", karyo.kind(), karyo.type());
            return Problems.response(Problems.of(karyo), karyo.retryAfter());
        }
        JsonBodyException body = find(t, JsonBodyException.class);
        if (body != null) {
            LOG.debug("Unreadable request body: {}", body.problem().type());
            return Problems.response(body.problem(), null);
        }
        BodyTooLargeException large = find(t, BodyTooLargeException.class);
        if (large != null) {
            LOG.debug("Request body over {} bytes", large.limit());
            return Problems.response(Problems.tooLarge(large.limit()), null);
        }
        if (t instanceof WebApplicationException wae
                && wae.getResponse() != null
                && wae.getResponse().getStatus() < 400) {
            return wae.getResponse(); // a redirection is not an error
        }
        if (t instanceof WebApplicationException wae
                && wae.getResponse() != null
                && wae.getResponse().getStatus() != 500) {
            Problem p = Problems.of(wae);
            LOG.debug("Request failed: {} {}", p.status(), p.type());
            if (p.status() == 404 && p.type().endsWith(":not-found") && servletRequest != null) {
                servletRequest.setAttribute(RewireBridge.UNMATCHED, Boolean.TRUE); // no resource matched the path
            }
            Response.ResponseBuilder b =
                    Response.status(p.status()).type(Karyo.PROBLEM_JSON).entity(p);
            Problems.copyHeaders(wae, b);
            if (p.status() == 401 && !wae.getResponse().getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)) {
                b.header(HttpHeaders.WWW_AUTHENTICATE, Problems.challenge(p));
            }
            return b.build();
        }
        if (clientWentAway(t)) {
            // not an incident: the client closed the connection or sent less than it announced
            LOG.debug("The client went away mid-request: {}", t.getClass().getName());
            return Problems.response(
                    Problems.of(KaryoException.invalid("body", "the request ended before its body was complete")),
                    null);
        }
        String incident = Problems.newIncident();
        LOG.error("Unexpected error, incident {} (request {})", incident, MDC.get(RequestIds.MDC_KEY), t);
        return Problems.response(Problems.incident(incident), null);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Whether a failure is the client's connection ending (Jetty's {@code EofException}, an early end of the body, a
     * reset or broken connection) rather than a fault of the server.
     */
    static boolean clientWentAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true; // Jetty's EofException is one
            }
            String m = t.getMessage();
            if (t instanceof java.io.IOException
                    && m != null
                    && (m.contains("Broken pipe") || m.contains("Connection reset") || m.contains("Early EOF"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
