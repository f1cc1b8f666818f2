package org.karyo.omics.hts;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives record lines from a {@link RegionReader}. */
@ConsumerType
@FunctionalInterface
public interface LineSink {
    /** One record line, without its {@code '\n'}; the buffer is reused after the call returns. */
    void line(byte[] buf, int off, int len) throws IOException;
}
