package org.karyo.accesses.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/** A request body read up to a limit: reading past it fails with a 413 ({@link Kind#TOO_LARGE}). */
final class CappedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    CappedInputStream(InputStream in, long limit) {
        super(in == null ? InputStream.nullInputStream() : in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw new KaryoException(
                    Kind.TOO_LARGE,
                    "too-large",
                    "The request body is larger than " + limit + " bytes",
                    null,
                    null,
                    null);
        }
    }
}
