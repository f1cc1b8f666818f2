package org.karyo.omics.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.karyo.omics.hts.GenomicIndex;
import org.karyo.storage.api.ObjectStore;

/**
 * The indexes of the artifacts queried last, by artifact id: an index object is read (one GET) and parsed once, then
 * served from memory until it is among the least recently used beyond the configured number of entries, or its
 * artifact is deleted.
 */
final class IndexCache {

    private final int capacity;
    private final Map<Long, GenomicIndex> entries;
    private final Map<Long, byte[]> headers;

    /** Reads a file's header (one ranged read from the start of the stored file). */
    @FunctionalInterface
    interface HeaderReader {
        byte[] read() throws IOException;
    }

    IndexCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, GenomicIndex> eldest) {
                return size() > IndexCache.this.capacity;
            }
        };
        this.headers = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > IndexCache.this.capacity;
            }
        };
    }

    /**
     * The header lines of artifact {@code artifactId} (a stored file never changes, so they are read once and kept
     * with its index); the caller must not modify the array.
     */
    byte[] header(long artifactId, HeaderReader reader) throws IOException {
        synchronized (headers) {
            byte[] cached = headers.get(artifactId);
            if (cached != null) {
                return cached;
            }
        }
        byte[] read = reader.read();
        synchronized (headers) {
            headers.put(artifactId, read);
        }
        return read;
    }

    /** The index of artifact {@code artifactId}, stored under {@code key}. */
    GenomicIndex get(long artifactId, ObjectStore store, String key) {
        synchronized (entries) {
            GenomicIndex cached = entries.get(artifactId);
            if (cached != null) {
                return cached;
            }
        }
        GenomicIndex read;
        try (InputStream in = store.get(key)) {
            read = GenomicIndex.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the index of artifact " + artifactId + " failed", e);
        }
        synchronized (entries) {
            entries.put(artifactId, read);
        }
        return read;
    }

    void evict(long artifactId) {
        synchronized (entries) {
            entries.remove(artifactId);
        }
        synchronized (headers) {
            headers.remove(artifactId);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
