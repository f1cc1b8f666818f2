package org.karyo.omics.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.storage.api.ObjectReferences;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Tells the storage sweeper which objects under {@code omics/} rows still need: everything under
 * {@code omics/artifacts/{id}/} while artifact {@code id} exists, and the staged objects of an upload while it is
 * receiving and not expired, or its validation job is queued or running. An upload never completed stops being
 * referenced at its expiry, so the sweeper removes what it left.
 */
@Component(service = ObjectReferences.class)
public final class OmicsReferences implements ObjectReferences {

    private final Sql sql;
    private final Clock clock;

    @Activate
    public OmicsReferences(@Reference OmicsStore omics) {
        this(omics.sql(), omics.clock());
    }

    OmicsReferences(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public String prefix() {
        return Keys.PREFIX;
    }

    @Override
    public Set<String> referenced(Collection<String> keys) {
        List<Long> artifacts = new ArrayList<>();
        List<Long> uploads = new ArrayList<>();
        for (String key : keys) {
            long a = Keys.artifactOf(key);
            if (a > 0) {
                artifacts.add(a);
            }
            long u = Keys.uploadOf(key);
            if (u > 0) {
                uploads.add(u);
            }
        }
        // a failure propagates: the sweeper must not remove what it cannot check, so the sweep of this prefix fails
        Set<Long> liveArtifacts = artifacts.isEmpty()
                ? Set.of()
                : new HashSet<>(sql.list(
                        Select.of("a.id", OmicsReads.SCHEMA + ".artifact a").in("a.id", artifacts),
                        rs -> rs.getLong(1)));
        Set<Long> liveUploads = uploads.isEmpty()
                ? Set.of()
                : new HashSet<>(sql.list(
                        Select.of("u.id", OmicsReads.SCHEMA + ".upload u")
                                .in("u.id", uploads)
                                .where(
                                        // a completing upload's objects wait for its validation job (which
                                        // may be queued, running, or ended and then completed again)
                                        "(u.state = 'RECEIVING' AND u.expires_at > ?) OR u.state = 'COMPLETING'",
                                        Instant.now(clock)),
                        rs -> rs.getLong(1)));
        Set<String> out = new HashSet<>();
        for (String key : keys) {
            if (liveArtifacts.contains(Keys.artifactOf(key)) || liveUploads.contains(Keys.uploadOf(key))) {
                out.add(key);
            }
        }
        return out;
    }
}
