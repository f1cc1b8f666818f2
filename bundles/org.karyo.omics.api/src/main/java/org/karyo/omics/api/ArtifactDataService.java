package org.karyo.omics.api;

import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The data of artifacts, with the consent rules: region queries, GA4GH htsget tickets and whole-file downloads, each
 * checked and audited before anything is read. An artifact the caller may not see ({@link OmicsRights#READ} on its
 * project) answers {@code NOT_FOUND}; genotypes (sample columns, the file's bytes) need
 * {@link OmicsRights#READ_GENOTYPES} as well, and only for samples whose participant's consent allows it: a visible
 * artifact whose genotypes the caller may not read answers {@code FORBIDDEN} with the reason. {@code UNPROCESSABLE}
 * answers a region query or htsget ticket on a file Karyo does not serve that way (BCF, Parquet).
 */
@ProviderType
public interface ArtifactDataService {

    /**
     * A region query, checked and audited before it streams ({@link OmicsRights#READ}). Sample columns are kept only
     * with {@link OmicsRights#READ_GENOTYPES} and only for samples whose participant's consent allows genotype reads
     * (and not at all when the artifact's own participant's consent does not); asking for a blocked sample by name is
     * {@code FORBIDDEN}, for an unknown one {@code INVALID} naming {@code samples}.
     */
    RecordStream records(Caller caller, long artifactId, RecordsRequest request);

    /**
     * A GA4GH htsget ticket for a VCF artifact: {@link OmicsRights#READ} to see it, {@link OmicsRights#READ_GENOTYPES}
     * and no sample of the file blocked by consent to get the ticket ({@code FORBIDDEN} otherwise); audited.
     */
    HtsgetTicket htsget(Caller caller, long artifactId, HtsgetRequest request);

    /**
     * A short-lived presigned URL of the whole stored file: {@link OmicsRights#READ} to see it,
     * {@link OmicsRights#READ_GENOTYPES} and no sample of the file blocked by consent to download it ({@code FORBIDDEN}
     * otherwise); audited.
     */
    Download download(Caller caller, long artifactId);
}
