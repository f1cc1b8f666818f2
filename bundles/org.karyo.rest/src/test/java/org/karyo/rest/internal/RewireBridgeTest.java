package org.karyo.rest.internal;

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
        new RewireBridge(Duration.ofSeconds(5)).doFilter(request, response, chain);

        assertThat(calls).hasValue(3);
        verify(response, times(2)).reset();
        verify(response, never()).setContentType("text/html");
        verify(response).setContentType("application/json");
        assertThat(written.toString()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void karyoOwnNotFoundAnswersPassStraightThrough() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            HttpServletResponse r = (HttpServletResponse) res;
            r.setStatus(404);
            r.setContentType("application/problem+json");
            r.getOutputStream().write("{\"status\":404}".getBytes());
        };
        new RewireBridge(Duration.ofSeconds(5)).doFilter(request, response, chain);

        assertThat(calls).hasValue(1);
        verify(response, never()).reset();
        assertThat(written.toString()).isEqualTo("{\"status\":404}");
    }

    @Test
    void whenNoEndpointComesTheOriginalAnswerIsGivenAfterTheWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            calls.incrementAndGet();
            noEndpoint((HttpServletResponse) res);
        };
        long start = System.nanoTime();
        new RewireBridge(Duration.ofMillis(200)).doFilter(request, response, chain);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(calls.get()).isGreaterThan(1);
        verify(response).setContentType("text/html");
        assertThat(written.toString()).endsWith("No service was found.</body></html>");
    }
}
