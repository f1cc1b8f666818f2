package org.karyo.omics.hts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A file as a {@link RangeSource}, counting ranged reads and bytes served. */
final class FileRangeSource implements RangeSource {

    private final Path path;
    final AtomicInteger opens = new AtomicInteger();
    final AtomicLong requested = new AtomicLong();
    final AtomicLong served = new AtomicLong();

    FileRangeSource(Path path) {
        this.path = path;
    }

    @Override
    public long length() throws IOException {
        return java.nio.file.Files.size(path);
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range");
        }
        opens.incrementAndGet();
        requested.addAndGet(length);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        long end = Math.min(offset + length, ch.size());
        return new InputStream() {
            long pos = offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) {
                    return -1;
                }
                int n = (int) Math.min(len, end - pos);
                int r = ch.read(ByteBuffer.wrap(b, off, n), pos);
                if (r > 0) {
                    pos += r;
                    served.addAndGet(r);
                }
                return r;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
