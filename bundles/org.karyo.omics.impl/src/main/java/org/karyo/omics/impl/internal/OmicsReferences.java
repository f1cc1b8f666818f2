package org.karyo.omics.impl.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.karyo.api.module.SchemaReady;
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

    private final DataSource dataSource;
    private final Clock clock;

    @Activate
    public OmicsReferences(
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=omics)") SchemaReady schema) {
        this(dataSource, Clock.systemUTC());
    }

    OmicsReferences(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
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
        Set<Long> liveArtifacts;
        Set<Long> liveUploads;
        try (Connection c = dataSource.getConnection()) {
            liveArtifacts = OmicsSql.existingArtifacts(c, artifacts);
            liveUploads = OmicsSql.liveUploads(c, uploads, Instant.now(clock));
        } catch (SQLException e) {
            // the sweeper must not remove what it cannot check: fail the sweep of this prefix
            throw new IllegalStateException("checking omics object references failed", e);
        }
        Set<String> out = new HashSet<>();
        for (String key : keys) {
            if (liveArtifacts.contains(Keys.artifactOf(key)) || liveUploads.contains(Keys.uploadOf(key))) {
                out.add(key);
            }
        }
        return out;
    }
}
