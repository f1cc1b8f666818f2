package org.karyo.rest.internal.whiteboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body can be read again: every byte read from the client is kept (up to a limit), and after
 * {@link #rewind()} the next reader gets the kept bytes first, then the rest of the client's stream. The rewire bridge
 * uses it so that a request replayed after an endpoint was torn down under it still has its body.
 */
final class ReplayableRequest extends HttpServletRequestWrapper {
    private final int limit;
    private byte[] kept = new byte[0];
    private int size;
    private int position;
    private boolean overflowed;
    private ServletInputStream client;

    ReplayableRequest(HttpServletRequest request, int limit) {
        super(request);
        this.limit = limit;
    }

    /** Starts the body again from its first byte. */
    void rewind() {
        position = 0;
    }

    /** Whether the body can still be replayed in full (it did not exceed the limit). */
    boolean replayable() {
        return !overflowed;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (client == null) {
            client = super.getInputStream();
        }
        return new ServletInputStream() {
            @Override
            public int read() throws IOException {
                if (position < size) {
                    return kept[position++] & 0xff;
                }
                int b = client.read();
                if (b >= 0) {
                    keep(b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (position < size) {
                    int n = Math.min(length, size - position);
                    System.arraycopy(kept, position, buffer, offset, n);
                    position += n;
                    return n;
                }
                int n = client.read(buffer, offset, length);
                if (n > 0) {
                    keep(buffer, offset, n);
                }
                return n;
            }

            @Override
            public boolean isFinished() {
                return position >= size && client.isFinished();
            }

            @Override
            public boolean isReady() {
                return position < size || client.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                client.setReadListener(listener);
            }
        };
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private void keep(byte[] buffer, int offset, int n) {
        if (!overflowed && size + n > limit) {
            overflowed = true;
            kept = new byte[0]; // the body can no longer be replayed: let the bytes kept so far go
        }
        if (overflowed) {
            position += n;
            return;
        }
        if (size + n > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(Math.max(256, size * 2), size + n)));
        }
        System.arraycopy(buffer, offset, kept, size, n);
        size += n;
        position = size;
    }

    private void keep(int b) {
        if (overflowed) {
            position++;
            return;
        }
        if (size == limit) {
            overflowed = true;
            kept = new byte[0];
            position++;
            return;
        }
        if (size == kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(256, size * 2)));
        }
        kept[size++] = (byte) b;
        position = size;
    }
}
