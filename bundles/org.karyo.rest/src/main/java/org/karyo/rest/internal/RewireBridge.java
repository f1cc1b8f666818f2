package org.karyo.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps requests to the other modules succeeding while a module is installed or removed.
 *
 * <p>When a resource joins or leaves the {@code karyo} application, the JAX-RS whiteboard replaces the application's
 * CXF endpoint: it destroys the old one, then creates the new one. A request that arrives in between finds no endpoint
 * and CXF answers {@code 404 text/html "No service was found."}, before reading the request body. This servlet filter,
 * in front of the application's servlet, recognises that answer before anything is committed, discards it and replays
 * the request once the new endpoint is in place, for at most {@link #MAX_WAIT}. Karyo's own 404s are problem+json and
 * pass through untouched.
 */
@Component(
        service = Filter.class,
        property = {
            "osgi.http.whiteboard.filter.name=karyo.rewire-bridge",
            "osgi.http.whiteboard.filter.pattern=/*",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=context.forkaryo)"
        })
public final class RewireBridge implements Filter {
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    private static final long PAUSE_MS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(RewireBridge.class);

    private final Duration maxWait;

    public RewireBridge() {
        this(MAX_WAIT);
    }

    RewireBridge(Duration maxWait) {
        this.maxWait = maxWait;
    }

    @Override
    public void init(javax.servlet.FilterConfig config) {
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
        int attempts = 0;
        while (true) {
            NoEndpointDetector attempt = new NoEndpointDetector(http);
            chain.doFilter(request, attempt);
            attempts++;
            if (!attempt.noEndpoint() || System.nanoTime() > deadline || http.isCommitted()) {
                if (attempt.noEndpoint()) {
                    attempt.replayDiscarded();
                }
                if (attempts > 1) {
                    LOG.debug("Request waited for the application to be rewired ({} attempts)", attempts);
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
     * Passes everything through, except CXF's "no endpoint" answer: a 404 whose content type is set to text/html.
     * From that moment the body is kept aside instead of written.
     */
    static final class NoEndpointDetector extends HttpServletResponseWrapper {
        private final HttpServletResponse target;
        private int status = SC_OK;
        private boolean noEndpoint;
        private final java.io.ByteArrayOutputStream discarded = new java.io.ByteArrayOutputStream();
        private PrintWriter discardedWriter;

        NoEndpointDetector(HttpServletResponse target) {
            super(target);
            this.target = target;
        }

        boolean noEndpoint() {
            return noEndpoint;
        }

        /** Writes the kept-aside answer after all: the wait is over and no endpoint came. */
        void replayDiscarded() throws IOException {
            if (discardedWriter != null) {
                discardedWriter.flush();
            }
            target.setStatus(SC_NOT_FOUND);
            target.setContentType("text/html");
            discarded.writeTo(target.getOutputStream());
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public void setContentType(String type) {
            if (status == SC_NOT_FOUND && type != null && type.startsWith("text/html") && !target.isCommitted()) {
                noEndpoint = true;
                return;
            }
            super.setContentType(type);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return noEndpoint ? new Sink(discarded) : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (!noEndpoint) {
                return super.getWriter();
            }
            if (discardedWriter == null) {
                discardedWriter = new PrintWriter(discarded, false, java.nio.charset.StandardCharsets.UTF_8);
            }
            return discardedWriter;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!noEndpoint) {
                super.flushBuffer();
            }
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
            throw new UnsupportedOperationException("synchronous only");
        }
    }
}
