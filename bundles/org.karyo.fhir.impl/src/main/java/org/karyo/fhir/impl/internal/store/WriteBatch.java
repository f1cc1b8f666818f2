package org.karyo.fhir.impl.internal.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state one unit of work shares between the writes it makes: a single write, a transaction Bundle or an import
 * batch. In a transaction or an import, references are checked when the batch ends (entries may refer to each other in
 * any order); a Patient referred to before it is written gets its key reserved, and a reservation still empty at the
 * end is an unresolved reference.
 */
final class WriteBatch {
    /** Whether references are checked at the end rather than at each write. */
    final boolean deferred;
    /** Whether the batch belongs to a bulk import. */
    final boolean inImport;
    /** Every local reference written, to the place it was written from (a FHIRPath-ish location). */
    final Map<String, String> references = new LinkedHashMap<>();
    /** The keys (patient key, res_pk) of the resources placed in this batch, by {@code Type/id}. */
    final Map<String, long[]> placed = new HashMap<>();

    WriteBatch(boolean deferred, boolean inImport) {
        this.deferred = deferred;
        this.inImport = inImport;
    }

    static WriteBatch single() {
        return new WriteBatch(false, false);
    }
}
