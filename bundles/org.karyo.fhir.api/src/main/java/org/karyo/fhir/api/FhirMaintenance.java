package org.karyo.fhir.api;

import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** The store's administration, for callers with {@link FhirRights#ADMIN}: reindex and statistics. */
@ProviderType
public interface FhirMaintenance {

    /** The platform job type of reindexes. */
    String REINDEX_JOB_TYPE = "fhir.reindex";

    /**
     * Queues a reindex job: the search index of every current resource is extracted again (after search parameters
     * were registered or changed), in batches of its own short transactions, while searches keep answering correctly.
     * Its progress counts resources.
     *
     * @return the job's id (the platform's {@code /api/jobs/{id}})
     * @throws FhirException 403 without {@link FhirRights#ADMIN}
     */
    long reindex(Caller caller);

    /**
     * The store's contents and size: resources per type and the total size of each of its tables.
     *
     * @throws FhirException 403 without {@link FhirRights#ADMIN}
     */
    FhirStats stats(Caller caller);
}
