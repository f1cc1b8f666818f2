package org.karyo.fhir.impl.internal.store;

import org.karyo.fhir.impl.internal.index.IndexExtractor;

/** The search parameters and the index extractor the store writes and searches with (one registry, shared). */
public interface Indexing {
    IndexExtractor extractor();

    ParamLookup params();

    /**
     * Records that every row now carries the index of the current format (a reindex of the whole store has ended);
     * searches use the range buckets from now on.
     */
    void indexFormatCurrent();
}
