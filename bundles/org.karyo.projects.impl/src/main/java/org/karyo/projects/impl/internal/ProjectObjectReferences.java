package org.karyo.projects.impl.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.karyo.persistence.Sql;
import org.karyo.storage.api.ObjectReferences;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Tells the storage sweeper which objects under {@code projects/} a row still references: project files and consent
 * documents. Anything else there (an upload whose row never committed) is an orphan the sweeper may remove once it is
 * older than its grace period.
 */
@Component(service = ObjectReferences.class)
public final class ProjectObjectReferences implements ObjectReferences {

    private final Sql sql;

    @Activate
    public ProjectObjectReferences(@Reference ProjectsStore store) {
        this.sql = store.sql();
    }

    @Override
    public String prefix() {
        return Documents.PREFIX;
    }

    @Override
    public Set<String> referenced(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        String[] wanted = keys.toArray(String[]::new);
        return new HashSet<>(sql.list(
                "SELECT object_key FROM " + Reads.SCHEMA + ".project_files WHERE object_key = ANY(?)"
                        + " UNION SELECT consent_document_key FROM " + Reads.SCHEMA + ".participants"
                        + " WHERE consent_document_key = ANY(?)",
                rs -> rs.getString(1),
                wanted,
                wanted));
    }
}
