package org.karyo.rest.internal.whiteboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RewireBridgeTest {
    /** The application was last rewired long ago. */
    private static final java.util.function.LongSupplier QUIET =
            () -> System.nanoTime() - Duration.ofMinutes(1).toNanos();

    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @BeforeEach
    void wireOutput() throws IOException {
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {}
        });
        when(response.getWriter()).thenReturn(new PrintWriter(written, true));
    }

    /** What CXF does when the application has no endpoint at the moment. */
    private static void noEndpoint(HttpServletResponse r) throws IOException {
        r.setStatus(404);
        r.setContentType("text/html");
        r.getWriter().write("<html><body>No service was found.</body></html>");
    }

    @Test
    void keepsSmallBodiesForAReplayButStreamsFileUploads() {
        HttpServletRequest json = mock(HttpServletRequest.class);
        when(json.getContentLengthLong()).thenReturn(2_000L);
        when(json.getContentType()).thenReturn("application/json");
        HttpServletRequest part = mock(HttpServletRequest.class);
        when(part.getContentLengthLong()).thenReturn(64L << 20);
        when(part.getContentType()).thenReturn("application/json");
        HttpServletRequest binary = mock(HttpServletRequest.class);
        when(binary.getContentLengthLong()).thenReturn(-1L);
        when(binary.getContentType()).thenReturn("Application/Octet-Stream");

        assertThat(RewireBridge.keepsBody(json)).isTrue();
        assertThat(RewireBridge.keepsBody(part)).isFalse();
        assertThat(RewireBridge.keepsBody(binary)).isFalse();
    }

    @Test
    void aRequestArrivingWhileTheEndpointIsReplacedIsReplayedOnTheNewOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            HttpServletResponse r = (HttpServletResponse) res;
            if (calls.incrementAndGet() <= 2) {
                noEndpoint(r);
            } else {
                r.setStatus(200);
                r.setContentType("application/json");
                r.getOutputStream().write("{\"ok\":true}".getBytes());
            }
        };
        new RewireBridge(Duration.ofSeconds(5), QUIET).doFilter(request, response, chain);

        assertThat(calls).hasValue(3);
        verify(response, times(2)).reset(); // the two "no endpoint" answers are discarded, never written
        verify(response).setContentType("application/json");
        assertThat(written.toString()).isEqualTo("{\"ok\":true}");
    }

    /** Karyo's 404 for a path no resource matched. */
    private void unmatched(HttpServletResponse r) throws IOException {
        when(request.getAttribute(RewireBridge.UNMATCHED)).thenReturn(Boolean.TRUE);
        r.setStatus(404);
        r.setContentType("application/problem+json");
        r.getOutputStream().write("{\"status\":404}".getBytes());
    }

    @Test
    void anUnmatchedPathAtAQuietTimeIsANotFoundAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            unmatched((HttpServletResponse) res);
        };
        new RewireBridge(Duration.ofSeconds(5), QUIET).doFilter(request, response, chain);

        assertThat(calls).hasValue(1);
        verify(response, never()).reset();
        assertThat(written.toString()).isEqualTo("{\"status\":404}");
    }

    @Test
    void anUnmatchedPathRightAfterARewireIsRetriedUntilTheResourceIsBack() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            HttpServletResponse r = (HttpServletResponse) res;
            if (calls.incrementAndGet() == 1) {
                unmatched(r);
            } else {
                when(request.getAttribute(RewireBridge.UNMATCHED)).thenReturn(null);
                r.setStatus(200);
                r.getOutputStream().write("{\"count\":0}".getBytes());
            }
        };
        new RewireBridge(Duration.ofSeconds(5), System::nanoTime).doFilter(request, response, chain);

        assertThat(calls).hasValue(2);
        verify(response).reset();
        assertThat(written.toString()).isEqualTo("{\"count\":0}");
    }

    @Test
    void aResourceThatAnswersNotFoundRightAfterARewireIsNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            HttpServletResponse r = (HttpServletResponse) res;
            r.setStatus(404);
            r.setContentType("application/problem+json");
            r.getOutputStream().write("{\"detail\":\"content 7 does not exist\"}".getBytes());
        };
        new RewireBridge(Duration.ofSeconds(5), System::nanoTime).doFilter(request, response, chain);

        assertThat(calls).hasValue(1);
        assertThat(written.toString()).contains("content 7");
    }

    @Test
    void aRequestBeforeTheApplicationEverAnsweredGetsAQuick503() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            noEndpoint((HttpServletResponse) res);
        };
        new RewireBridge(Duration.ofSeconds(5), QUIET, false).doFilter(request, response, chain);

        assertThat(calls).hasValue(1); // not held and replayed while the platform boots
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "1");
        verify(response).setContentType("application/problem+json");
        assertThat(written.toString()).contains("\"status\":503").contains("starting");
    }

    @Test
    void onceTheApplicationAnsweredANoEndpointIsReplayedAgain() throws Exception {
        RewireBridge bridge = new RewireBridge(Duration.ofSeconds(5), QUIET, false);
        bridge.doFilter(request, response, (req, res) -> ((HttpServletResponse) res).setStatus(200));
        AtomicInteger calls = new AtomicInteger();
        bridge.doFilter(request, response, (req, res) -> {
            if (calls.incrementAndGet() == 1) {
                noEndpoint((HttpServletResponse) res);
            } else {
                ((HttpServletResponse) res).setStatus(204);
            }
        });
        assertThat(calls).hasValue(2);
        verify(response, never()).setStatus(503);
    }

    @Test
    void whenNoEndpointComesTheOriginalAnswerIsGivenAfterTheWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            noEndpoint((HttpServletResponse) res);
        };
        long start = System.nanoTime();
        new RewireBridge(Duration.ofMillis(200), QUIET).doFilter(request, response, chain);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(calls.get()).isGreaterThan(1);
        verify(response, times(calls.get() - 1)).reset();
        assertThat(written.toString()).isEqualTo("<html><body>No service was found.</body></html>");
    }

    /** What CXF throws when the endpoint is destroyed while a request passes through its transport. */
    private static javax.servlet.ServletException tornDown() {
        NullPointerException npe = new NullPointerException("incomingObserver is null");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.cxf.transport.http.AbstractHTTPDestination", "invoke", "x.java", 1)
        });
        return new javax.servlet.ServletException(npe);
    }

    @Test
    void aRequestWhoseEndpointIsDestroyedUnderItIsReplayedRightAfterARewire() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            if (calls.incrementAndGet() == 1) {
                throw tornDown();
            }
            HttpServletResponse r = (HttpServletResponse) res;
            r.setStatus(200);
            r.getOutputStream().write("{}".getBytes());
        };
        new RewireBridge(Duration.ofSeconds(5), System::nanoTime).doFilter(request, response, chain);

        assertThat(calls).hasValue(2);
        assertThat(written.toString()).isEqualTo("{}");
    }

    @Test
    void otherFailuresPropagateAtOnceAndATornDownEndpointAfterTheWait() {
        FilterChain other = (req, res) -> {
            throw new IllegalStateException("a real bug");
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new RewireBridge(Duration.ofSeconds(5), System::nanoTime).doFilter(request, response, other))
                .hasMessage("a real bug");
        AtomicInteger calls = new AtomicInteger();
        FilterChain tornDown = (req, res) -> {
            calls.incrementAndGet();
            throw tornDown();
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new RewireBridge(Duration.ofMillis(200), QUIET).doFilter(request, response, tornDown))
                .as("an endpoint that stays torn down fails the request once the wait is over")
                .isInstanceOf(javax.servlet.ServletException.class);
        assertThat(calls.get()).isGreaterThan(1);
    }

    @Test
    void aRequestWhoseEndpointIsDestroyedLongAfterTheLastRewireEventIsReplayedToo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            if (calls.incrementAndGet() == 1) {
                throw tornDown();
            }
            HttpServletResponse r = (HttpServletResponse) res;
            r.setStatus(200);
            r.getOutputStream().write("{}".getBytes());
        };
        new RewireBridge(Duration.ofSeconds(5), QUIET).doFilter(request, response, chain);

        assertThat(calls).hasValue(2);
        assertThat(written.toString()).isEqualTo("{}");
    }
}
