package org.karyo.rest.internal.whiteboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import org.karyo.rest.support.Karyo;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps requests to the other modules succeeding while a module is installed or removed.
 *
 * <p>When a resource joins or leaves the {@code karyo} application, the JAX-RS whiteboard replaces the application's
 * CXF endpoint: it destroys the old one and builds a new one. A request that arrives meanwhile can find no endpoint
 * (CXF answers {@code 404 text/html "No service was found."}) or an endpoint that does not yet hold every resource
 * (Karyo answers its "no resource at this path" 404). Neither reads the request body. This servlet filter, in front
 * of the application's servlet, holds back the body of every 404, and replays the request when the 404 is CXF's
 * "no endpoint", or Karyo's "no resource" while the application was rewired within {@link #SETTLE}, until the new
 * endpoint answers, for at most {@link #MAX_WAIT}. It also replays a request whose endpoint was destroyed under it
 * (CXF's transport then throws a null pointer). The request body is kept as it is read (up to {@link #BODY_LIMIT}), so
 * a replay sends the same body even if the first attempt had read it; a request whose endpoint was destroyed under
 * it is replayed whenever that happens, since nothing else throws that failure. Any other response, any other failure,
 * and any 404 at a quiet time, pass through.
 */
@Component(
        service = Filter.class,
        property = {
            "osgi.http.whiteboard.filter.name=karyo.rewire-bridge",
            "osgi.http.whiteboard.filter.pattern=/*",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=context.forkaryo)"
        })
public final class RewireBridge implements Filter {
    /** The request attribute the problem mapper sets when no resource matched the path. */
    public static final String UNMATCHED = "org.karyo.rest.unmatched";

    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** The largest request body kept for a replay; larger ones are not replayed. */
    static final int BODY_LIMIT = 4 * 1024 * 1024;

    static final Duration SETTLE = Duration.ofSeconds(3);
    private static final long PAUSE_MS = 10;
    private static final String WIRING_EVENTS = "(|(objectClass=org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime)"
            + "(osgi.jaxrs.resource=true)(osgi.jaxrs.extension=true)(osgi.jaxrs.application.base=*))";
    private static final Logger LOG = LoggerFactory.getLogger(RewireBridge.class);
    private static final byte[] STARTING_PROBLEM = ("{\"type\":\"urn:karyo:problem:starting\","
                    + "\"title\":\"Service unavailable\",\"status\":503,"
                    + "\"detail\":\"Karyo is starting: the API is not served yet; retry shortly\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final Duration maxWait;
    private final LongSupplier lastRewire;
    private final BundleContext context;
    private final ServiceListener listener;
    private volatile long lastWiringEvent = System.nanoTime() - SETTLE.toNanos() - 1;
    /** Whether the application has answered once: before that, "no endpoint" means it does not exist yet. */
    private volatile boolean served;

    @Activate
    public RewireBridge(BundleContext context) throws InvalidSyntaxException {
        this.maxWait = MAX_WAIT;
        this.lastRewire = () -> lastWiringEvent;
        this.context = context;
        this.listener = event -> lastWiringEvent = System.nanoTime();
        context.addServiceListener(listener, WIRING_EVENTS);
    }

    /** For tests: a fixed wait and a given time of the last rewire ({@link System#nanoTime()} scale). */
    RewireBridge(Duration maxWait, LongSupplier lastRewire) {
        this(maxWait, lastRewire, true);
    }

    /** For tests: as above, with whether the application has answered before. */
    RewireBridge(Duration maxWait, LongSupplier lastRewire, boolean served) {
        this.served = served;
        this.maxWait = maxWait;
        this.lastRewire = lastRewire;
        this.context = null;
        this.listener = null;
    }

    @Deactivate
    void deactivate() {
        if (context != null) {
            context.removeServiceListener(listener);
        }
    }

    /**
     * Whether a request's body is worth keeping for a replay: not a declared-large body nor a binary upload (file
     * parts stream straight through; such a request that meets a rewire fails instead of being replayed).
     */
    static boolean keepsBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        String type = request.getContentType();
        return length <= BODY_LIMIT
                && (type == null || !type.regionMatches(true, 0, "application/octet-stream", 0, 24));
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing to release
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        ReplayableRequest replayable =
                request instanceof HttpServletRequest r && keepsBody(r) ? new ReplayableRequest(r, BODY_LIMIT) : null;
        if (replayable != null) {
            request = replayable;
        }
        for (int attempt = 1; ; attempt++) {
            if (replayable != null) {
                replayable.rewind();
            }
            request.removeAttribute(UNMATCHED);
            NotFoundHolder held = new NotFoundHolder(http);
            boolean rewiring;
            try {
                chain.doFilter(request, held);
                if (!held.cxfFoundNoEndpoint()) {
                    served = true;
                } else if (!served && !http.isCommitted()) {
                    // the platform is booting: the application does not exist yet, so waiting would only hold the
                    // client (a health probe, say) for nothing; a quick 503 tells it to come back
                    http.reset();
                    http.setStatus(503);
                    http.setHeader("Retry-After", "1");
                    http.setContentType(Karyo.PROBLEM_JSON);
                    http.getOutputStream().write(STARTING_PROBLEM);
                    return;
                }
                rewiring = held.cxfFoundNoEndpoint()
                        || (held.notFound() && request.getAttribute(UNMATCHED) != null && rewiredRecently());
            } catch (RuntimeException | ServletException | IOException e) {
                // No recency condition here: on a loaded machine the whiteboard can destroy the endpoint seconds
                // after the service event that caused it, and this failure cannot come from anything else.
                if (!(endpointTornDown(e) && !http.isCommitted() && System.nanoTime() < deadline)) {
                    throw e;
                }
                rewiring = true;
            }
            boolean bodyKept = replayable == null || replayable.replayable();
            if (!rewiring || !bodyKept || http.isCommitted() || System.nanoTime() > deadline) {
                held.release();
                if (attempt > 1) {
                    LOG.debug("Request waited for the application to be rewired ({} attempts)", attempt);
                }
                return;
            }
            http.reset();
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServletException("interrupted while the application was rewired", e);
            }
        }
    }

    /**
     * Whether the failure is CXF's transport meeting an endpoint that is being destroyed (a null pointer thrown inside
     * {@code org.apache.cxf.transport}, before any message processing, so before the request body is read).
     */
    static boolean endpointTornDown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            StackTraceElement[] trace = t.getStackTrace();
            if (t instanceof NullPointerException
                    && trace.length > 0
                    && trace[0].getClassName().startsWith("org.apache.cxf.transport.")) {
                return true;
            }
        }
        return false;
    }

    private boolean rewiredRecently() {
        return System.nanoTime() - lastRewire.getAsLong() < SETTLE.toNanos();
    }

    /** Passes everything through except the body of a 404, which it keeps until {@link #release()}. */
    static final class NotFoundHolder extends HttpServletResponseWrapper {
        private final HttpServletResponse target;
        private int status = SC_OK;
        private String contentType;
        private ByteArrayOutputStream heldBody;
        private PrintWriter heldWriter;

        NotFoundHolder(HttpServletResponse target) {
            super(target);
            this.target = target;
        }

        boolean notFound() {
            return status == SC_NOT_FOUND;
        }

        boolean cxfFoundNoEndpoint() {
            return notFound() && contentType != null && contentType.startsWith("text/html");
        }

        /** Writes the held body, if any. */
        void release() throws IOException {
            if (heldWriter != null) {
                heldWriter.flush();
            }
            if (heldBody != null && heldBody.size() > 0) {
                heldBody.writeTo(target.getOutputStream());
            }
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public void setContentType(String type) {
            contentType = type;
            super.setContentType(type);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return notFound() ? new Sink(held()) : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!notFound()) {
                return super.getWriter();
            }
            if (heldWriter == null) {
                heldWriter = new PrintWriter(held(), false, StandardCharsets.UTF_8);
            }
            return heldWriter;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!notFound()) {
                super.flushBuffer();
            }
        }

        private ByteArrayOutputStream held() {
            if (heldBody == null) {
                heldBody = new ByteArrayOutputStream(256);
            }
            return heldBody;
        }
    }

    private static final class Sink extends ServletOutputStream {
        private final OutputStream out;

        Sink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("404 bodies are written synchronously");
        }
    }
}
