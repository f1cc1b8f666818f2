package org.karyo.omics.impl.internal;

import org.karyo.api.security.Caller;
import org.karyo.omics.api.ArtifactDataService;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link ArtifactDataService}: the artifact looked up by its visibility ({@code omics.read} on its project, else
 * NOT_FOUND), then {@link Reading} checks the genotype right and consent and serves the data. Owns the index cache
 * and the read-ahead threads of region queries (shut down with the component); {@link ArtifactServiceImpl} evicts a
 * deleted artifact's index through it.
 */
@Component(service = {ArtifactDataService.class, ArtifactDataServiceImpl.class})
public final class ArtifactDataServiceImpl implements ArtifactDataService {

    private final OmicsStore omics;
    private final Reading reading;

    @Activate
    public ArtifactDataServiceImpl(@Reference OmicsStore omics) {
        this.omics = omics;
        this.reading = new Reading(omics);
    }

    @Deactivate
    void close() {
        reading.close();
    }

    @Override
    public RecordStream records(Caller caller, long artifactId, RecordsRequest request) {
        Reading.Parsed parsed = reading.parse(request);
        return reading.records(caller, ArtifactServiceImpl.visible(omics, caller, artifactId), parsed);
    }

    @Override
    public HtsgetTicket htsget(Caller caller, long artifactId, HtsgetRequest request) {
        Reading.checkHtsget(request);
        return reading.htsget(caller, ArtifactServiceImpl.visible(omics, caller, artifactId), request);
    }

    @Override
    public Download download(Caller caller, long artifactId) {
        return reading.download(caller, ArtifactServiceImpl.visible(omics, caller, artifactId));
    }

    /** Forgets a deleted artifact's index and header. */
    void evict(long artifactId) {
        reading.evict(artifactId);
    }
}
