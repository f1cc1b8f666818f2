package org.karyo.omics.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pipe between two threads: the validation pass writes the stored object into {@link #output()} while the
 * object store reads it from {@link #input()}. At most {@code chunks} chunks of {@code chunkSize} bytes are in flight,
 * so memory stays flat whatever the file's size.
 *
 * <p>Either side can break the pipe: {@link #fail(Throwable)} from the writer makes the reader's next read throw (so
 * the store never keeps a truncated object as if it were whole), and a reader that fails or closes early makes the
 * writer's next write throw instead of blocking forever. (The JDK's piped streams poll once a second and break when a
 * pooled thread that wrote last is reused, hence this class.)
 */
final class Pipe {

    private static final byte[] EOF = new byte[0];
    private static final long POLL_MS = 200;

    private final BlockingQueue<byte[]> queue;
    private final int chunkSize;
    private volatile Throwable writerFailure;
    private volatile boolean readerGone;

    private final OutputStream output;
    private final InputStream input;

    Pipe(int chunks, int chunkSize) {
        this.queue = new ArrayBlockingQueue<>(chunks);
        this.chunkSize = chunkSize;
        this.output = new Writer();
        this.input = new Reader();
    }

    /** Makes the reader fail with {@code cause}: the bytes written so far must not be taken for the whole object. */
    void fail(Throwable cause) {
        writerFailure = cause;
        queue.clear();
        queue.offer(EOF);
    }

    private final class Writer extends OutputStream {
        private byte[] buffer = new byte[chunkSize];
        private int count;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            if (count == buffer.length) {
                flushChunk();
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (count == buffer.length) {
                    flushChunk();
                }
                int n = Math.min(len, buffer.length - count);
                System.arraycopy(b, off, buffer, count, n);
                count += n;
                off += n;
                len -= n;
            }
        }

        private void flushChunk() throws IOException {
            if (count == 0) {
                return;
            }
            byte[] chunk = count == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, count);
            put(chunk);
            buffer = new byte[chunkSize];
            count = 0;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            flushChunk();
            put(EOF);
        }

        private void put(byte[] chunk) throws IOException {
            try {
                while (!queue.offer(chunk, POLL_MS, TimeUnit.MILLISECONDS)) {
                    if (readerGone) {
                        throw new IOException("the object store stopped reading");
                    }
                }
                if (readerGone) {
                    throw new IOException("the object store stopped reading");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing to the object store");
            }
        }
    }

    private final class Reader extends InputStream {
        private byte[] current;
        private int position;
        private boolean eof;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || position == current.length) {
                if (eof) {
                    return -1;
                }
                byte[] next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the validated file");
                }
                if (writerFailure != null) {
                    throw new IOException("the validation pass failed", writerFailure);
                }
                if (next == EOF) {
                    eof = true;
                    return -1;
                }
                current = next;
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            if (eof) {
                return; // read to the end: the writer's end marker was taken, nothing was lost
            }
            readerGone = true;
            queue.clear();
        }
    }

    /** What the validation pass writes to; closing it ends the object. */
    OutputStream output() {
        return output;
    }

    /** What the object store reads; closing it before the end makes the writer fail. */
    InputStream input() {
        return input;
    }
}
