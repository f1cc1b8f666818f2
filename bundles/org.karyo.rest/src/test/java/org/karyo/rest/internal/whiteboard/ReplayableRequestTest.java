package org.karyo.rest.internal.whiteboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

/** A request replayed after its endpoint was torn down keeps its body. */
class ReplayableRequestTest {

    private static HttpServletRequest client(String body) throws IOException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        });
        return r;
    }

    @Test
    void aRewoundRequestReadsTheWholeBodyAgainEvenAfterAPartialRead() throws IOException {
        ReplayableRequest r = new ReplayableRequest(client("{\"username\":\"marie\"}"), 1024);
        byte[] first = new byte[5];
        assertThat(r.getInputStream().read(first, 0, 5)).isEqualTo(5);
        r.rewind();
        assertThat(new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"username\":\"marie\"}");
        r.rewind();
        assertThat(r.getReader().readLine()).isEqualTo("{\"username\":\"marie\"}");
        assertThat(r.replayable()).isTrue();
    }

    @Test
    void aBodyOverTheLimitIsNotReplayable() throws IOException {
        ReplayableRequest r = new ReplayableRequest(client("0123456789"), 4);
        assertThat(r.getInputStream().readAllBytes()).hasSize(10);
        assertThat(r.replayable()).isFalse();
    }
}
