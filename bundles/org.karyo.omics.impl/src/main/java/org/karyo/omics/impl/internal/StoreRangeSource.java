package org.karyo.omics.impl.internal;

import java.io.InputStream;
import org.karyo.omics.hts.RangeSource;
import org.karyo.storage.api.ObjectStore;

/** A stored object as the format readers see it: each {@link #open} is one ranged GET of the object store. */
final class StoreRangeSource implements RangeSource {
    private final ObjectStore store;
    private final String key;
    private final long length;

    StoreRangeSource(ObjectStore store, String key, long length) {
        this.store = store;
        this.key = key;
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public InputStream open(long offset, long len) {
        return store.get(key, offset, len);
    }
}
