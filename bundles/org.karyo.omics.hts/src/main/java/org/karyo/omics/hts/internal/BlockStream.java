package org.karyo.omics.hts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The BGZF blocks of one ranged read, one after the other: read and inflated on the caller's thread ({@link #direct}),
 * or ahead of the caller on an executor's thread ({@link #readAhead}), so that inflating the next blocks overlaps with
 * what the caller does with the current one.
 */
public abstract sealed class BlockStream implements AutoCloseable {

    /** Blocks inflated ahead of the caller at most (with one more held by the caller: 1.1 MB a stream). */
    static final int AHEAD = 16;

    /** The blocks of {@code in} (whose first byte is at file offset {@code address}), inflated on the caller's thread. */
    public static BlockStream direct(InputStream in, long address) {
        return new Direct(new BlockReader(in, address));
    }

    /**
     * The blocks of {@code in}, inflated ahead on one of {@code executor}'s threads; on the caller's thread when the
     * executor refuses the task (all its threads busy, or shut down).
     */
    public static BlockStream readAhead(InputStream in, long address, Executor executor) {
        ReadAhead r = new ReadAhead(new BlockReader(in, address));
        try {
            executor.execute(r);
            return r;
        } catch (RejectedExecutionException e) {
            return new Direct(r.reader);
        }
    }

    /** The file offset just past the last block returned (where the next one starts). */
    public abstract long nextAddress();

    /** Moves to the next block, inflated; false at the clean end of the stream. */
    public abstract boolean next() throws IOException;

    /** Moves past the next block, whose data is not needed; false at the clean end of the stream. */
    public abstract boolean skip() throws IOException;

    /** The uncompressed bytes of the current block (valid until the next call). */
    public abstract byte[] data();

    /** The number of uncompressed bytes of the current block. */
    public abstract int length();

    @Override
    public abstract void close() throws IOException;

    private static final class Direct extends BlockStream {
        private final BlockReader reader;

        Direct(BlockReader reader) {
            this.reader = reader;
        }

        @Override
        public long nextAddress() {
            return reader.nextAddress();
        }

        @Override
        public boolean next() throws IOException {
            return reader.next();
        }

        @Override
        public boolean skip() throws IOException {
            return reader.skip();
        }

        @Override
        public byte[] data() {
            return reader.data();
        }

        @Override
        public int length() {
            return reader.length();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** A producer on another thread; blocks travel through two queues, so none is allocated per block. */
    private static final class ReadAhead extends BlockStream implements Runnable {
        private static final Block END = new Block(0);
        private static final Block STOP = new Block(0);

        private final BlockReader reader;
        private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(AHEAD + 2);
        private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(AHEAD + 2);
        private volatile Throwable failure;
        private volatile boolean closed;
        private Block current;
        private long consumedNext;
        private boolean ended;

        ReadAhead(BlockReader reader) {
            this.reader = reader;
            this.consumedNext = reader.nextAddress();
            for (int i = 0; i < AHEAD; i++) {
                free.add(new Block(Bgzf.MAX_BLOCK_SIZE));
            }
        }

        /** The producer: inflates blocks into free buffers until the stream ends, fails or the consumer closes. */
        @Override
        public void run() {
            try (BlockReader r = reader) {
                while (!closed) {
                    Block b = free.take();
                    if (b == STOP) {
                        return;
                    }
                    if (!r.next()) {
                        filled.put(END);
                        return;
                    }
                    System.arraycopy(r.data(), 0, b.data, 0, r.length());
                    b.length = r.length();
                    b.next = r.nextAddress();
                    filled.put(b);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
                filled.offer(END);
            } catch (Throwable e) { // handed to the consumer, which rethrows it
                failure = e;
                filled.offer(END);
            }
        }

        @Override
        public long nextAddress() {
            return consumedNext;
        }

        @Override
        public boolean next() throws IOException {
            if (current != null) {
                free.offer(current);
                current = null;
            }
            if (ended) {
                return false;
            }
            Block b;
            try {
                b = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading BGZF blocks");
            }
            if (b == END) {
                ended = true;
                Throwable f = failure;
                if (f instanceof IOException io) {
                    throw io;
                }
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                if (f != null) {
                    throw new InterruptedIOException("the read-ahead of BGZF blocks was interrupted");
                }
                return false;
            }
            current = b;
            consumedNext = b.next;
            return true;
        }

        @Override
        public boolean skip() throws IOException {
            return next(); // already inflated ahead: skipping is taking it
        }

        @Override
        public byte[] data() {
            return current.data;
        }

        @Override
        public int length() {
            return current.length;
        }

        /** Stops the producer after the block it is reading, which then closes the stream. */
        @Override
        public void close() {
            closed = true;
            free.offer(STOP);
        }
    }

    private static final class Block {
        final byte[] data;
        int length;
        long next;

        Block(int size) {
            data = new byte[size];
        }
    }
}
