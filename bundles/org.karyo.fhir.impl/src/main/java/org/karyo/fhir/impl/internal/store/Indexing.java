package org.karyo.fhir.impl.internal.store;

import org.karyo.fhir.impl.internal.index.IndexExtractor;

/** The search parameters and the index extractor the store writes and searches with (one registry, shared). */
public interface Indexing {
    IndexExtractor extractor();

    ParamLookup params();
}
