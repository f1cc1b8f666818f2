package org.karyo.omics.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to a region query, checked and audited but not yet read: every refusal happened before this was
 * returned, so a client gets a proper error status; writing streams the records by ranged reads of storage.
 */
@ProviderType
public interface RecordStream {

    /** The media type of what {@link #writeTo} writes. */
    String mediaType();

    /** The sample columns the output holds, in order (empty when none is shown). */
    List<String> samples();

    /**
     * Writes the records (and, for VCF, the header) to {@code out}, which it does not close.
     *
     * @return the number of records written
     */
    long writeTo(OutputStream out) throws IOException;
}
