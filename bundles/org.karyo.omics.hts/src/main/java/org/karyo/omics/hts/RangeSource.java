package org.karyo.omics.hts;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.annotation.versioning.ConsumerType;

/** Random access to the bytes of a stored file; each {@link #open} is one ranged read (an HTTP range GET in production). */
@ConsumerType
public interface RangeSource {
    /** The size of the file in bytes. */
    long length() throws IOException;

    /** Opens a stream over {@code length} bytes starting at {@code offset} (fewer when the file ends first). */
    InputStream open(long offset, long length) throws IOException;
}
