package org.karyo.storage.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic test bytes of any length, produced on the fly so that a multi-gigabyte object never sits in memory:
 * the same {@code (length, seed)} always gives the same bytes, whose digests {@link #sha256} and {@link #md5} compute
 * by generating them again.
 */
public final class TestData {
    private static final int BUFFER = 64 * 1024;

    private TestData() {}

    /** A stream of {@code length} pseudo-random bytes from {@code seed}; {@code available()} is always 0. */
    public static InputStream stream(long length, long seed) {
        return new Generated(length, seed);
    }

    /** {@code length} bytes from {@code seed}, in memory (for small objects). */
    public static byte[] bytes(int length, long seed) {
        try (InputStream in = stream(length, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 (lower-case hex) of {@link #stream}{@code (length, seed)}. */
    public static String sha256(long length, long seed) {
        return digest("SHA-256", stream(length, seed));
    }

    /** The MD5 (lower-case hex) of {@link #stream}{@code (length, seed)}. */
    public static String md5(long length, long seed) {
        return digest("MD5", stream(length, seed));
    }

    /** The SHA-256 (lower-case hex) of what {@code in} holds; closes it. */
    public static String sha256(InputStream in) {
        return digest("SHA-256", in);
    }

    /** The MD5 (lower-case hex) of what {@code in} holds; closes it. */
    public static String md5(InputStream in) {
        return digest("MD5", in);
    }

    /** The SHA-256 (lower-case hex) of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(md("SHA-256").digest(bytes));
    }

    /** The MD5 (lower-case hex) of {@code bytes}. */
    public static String md5(byte[] bytes) {
        return HexFormat.of().formatHex(md("MD5").digest(bytes));
    }

    /** How many bytes {@code in} holds; closes it. */
    public static long count(InputStream in) {
        try (in) {
            byte[] buffer = new byte[BUFFER];
            long n = 0;
            for (int r; (r = in.read(buffer)) >= 0; ) {
                n += r;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String algorithm, InputStream stream) {
        MessageDigest md = md(algorithm);
        try (InputStream in = stream) {
            byte[] buffer = new byte[BUFFER];
            for (int r; (r = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest md(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm, e);
        }
    }

    /** xorshift64* bytes, eight at a time. */
    private static final class Generated extends InputStream {
        private long remaining;
        private long state;
        private long word;
        private int left;

        Generated(long length, long seed) {
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative");
            }
            this.remaining = length;
            this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        private int next() {
            if (left == 0) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                word = state * 0x2545F4914F6CDD1DL;
                left = 8;
            }
            int b = (int) (word & 0xff);
            word >>>= 8;
            left--;
            return b;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return next();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) next();
            }
            remaining -= n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
