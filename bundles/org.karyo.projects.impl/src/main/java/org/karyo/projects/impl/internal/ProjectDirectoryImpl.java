package org.karyo.projects.impl.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.projects.api.ParticipantRef;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.projects.api.ProjectRef;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link ProjectDirectory} by the house rule ({@link Reads} queries): what other modules (omics) need to know about projects and participants. */
@Component(service = ProjectDirectory.class)
public final class ProjectDirectoryImpl implements ProjectDirectory {

    private static final String PROJECT = "project";

    private final ProjectsStore store;
    private final Sql sql;
    private final ProjectsSettings settings;

    @Activate
    public ProjectDirectoryImpl(@Reference ProjectsStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
        this.settings = store.settings();
    }

    @Override
    public ProjectRef require(Caller caller, long projectId, String right) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(right, "right");
        ProjectRef ref = find(projectId).orElseThrow(() -> KaryoException.notFound(PROJECT, projectId));
        if (!caller.hasRightOn(right, ref.perimeterId())) {
            throw KaryoException.notFound(PROJECT, projectId);
        }
        return ref;
    }

    @Override
    public Scope projects(Caller caller, String right) {
        Scope perimeters = caller.scope(right);
        if (perimeters.isAll()) {
            return Scope.all();
        }
        if (perimeters.isEmpty()) {
            return Scope.none();
        }
        List<Long> ids = sql.list(
                Select.of("p.id", Reads.SCHEMA + ".projects p").scope("p.perimeter_id", perimeters),
                rs -> rs.getLong(1));
        return Scope.of(ids);
    }

    @Override
    public ParticipantRef participant(long projectId, long participantId) {
        return sql.one(Participants.one(projectId, participantId), Reads::participant)
                .map(r -> Views.ref(r, settings.today()))
                .orElseThrow(() -> KaryoException.notFound("participant", participantId));
    }

    @Override
    public Map<String, ParticipantRef> participantsBySample(long projectId, Collection<String> names) {
        Map<String, ParticipantRef> out = new LinkedHashMap<>();
        if (names == null || names.isEmpty()) {
            return out;
        }
        String[] wanted = names.stream().filter(Objects::nonNull).distinct().toArray(String[]::new);
        List<Reads.ParticipantRow> rows = sql.list(
                Reads.PARTICIPANTS
                        .eq("p.project_id", projectId)
                        .where(
                                "(p.identifier = ANY(?) OR p.id IN (SELECT s.participant_id FROM " + Reads.SCHEMA
                                        + ".participant_samples s WHERE s.project_id = ? AND s.sample_id = ANY(?)))",
                                wanted,
                                projectId,
                                wanted),
                Reads::participant);
        Set<String> asked = Set.of(wanted);
        for (Reads.ParticipantRow r : rows) {
            ParticipantRef ref = Views.ref(r, settings.today());
            if (asked.contains(r.identifier())) {
                out.put(r.identifier(), ref);
            }
            for (String s : r.sampleIds()) {
                if (asked.contains(s)) {
                    out.put(s, ref);
                }
            }
        }
        return out;
    }

    private Optional<ProjectRef> find(long projectId) {
        return store.project(projectId).map(Project::ref);
    }
}
