package org.karyo.omics.impl.internal;

import java.util.Map;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.Compression;
import org.karyo.omics.api.IndexType;

/**
 * What a validation job wrote to storage and read from the file: everything an artifact row needs besides what the
 * upload declared.
 */
record StoredFile(
        long artifactId,
        String dataKey,
        String indexKey,
        IndexType indexType,
        Compression compression,
        String uploadSha256,
        long uploadSize,
        String storedSha256,
        String storedMd5,
        long storedSize,
        ArtifactMetadata metadata,
        Map<String, String> aliases) {}
