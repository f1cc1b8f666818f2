package org.karyo.omics.impl.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ParticipantRef;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.projects.api.ProjectRef;

/**
 * A small in-test {@link ProjectDirectory} (our own API, not a server): projects, which caller holds which right on
 * which project, and participants with their samples and consent. It answers as the projects module's contract
 * says: NOT_FOUND for a project that is missing or that the caller may not see.
 */
final class FakeDirectory implements ProjectDirectory {

    private final Map<Long, ProjectRef> projects = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Set<String>>> grants = new ConcurrentHashMap<>();
    private final Map<Long, ParticipantRef> participants = new ConcurrentHashMap<>();

    ProjectRef project(long id) {
        return project(id, true);
    }

    ProjectRef project(long id, boolean active) {
        ProjectRef p = new ProjectRef(id, "P" + id, "Project " + id, 1000 + id, 1, active);
        projects.put(id, p);
        return p;
    }

    /** {@code callerId} holds {@code rights} on project {@code projectId}. */
    void grant(String callerId, long projectId, String... rights) {
        grants.computeIfAbsent(callerId, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(projectId, k -> ConcurrentHashMap.newKeySet())
                .addAll(List.of(rights));
    }

    void revoke(String callerId, long projectId, String right) {
        grants.getOrDefault(callerId, Map.of())
                .getOrDefault(projectId, new HashSet<>())
                .remove(right);
    }

    ParticipantRef participant(long id, long projectId, ConsentState consent, String... samples) {
        ParticipantRef p =
                new ParticipantRef(id, projectId, "INST-P" + projectId + "-" + id, List.of(samples), consent);
        participants.put(id, p);
        return p;
    }

    private boolean holds(Caller caller, long projectId, String right) {
        return grants.getOrDefault(caller.id(), Map.of())
                .getOrDefault(projectId, Set.of())
                .contains(right);
    }

    @Override
    public ProjectRef require(Caller caller, long projectId, String right) {
        ProjectRef p = projects.get(projectId);
        if (p == null || !holds(caller, projectId, right)) {
            throw KaryoException.notFound("project", projectId);
        }
        return p;
    }

    @Override
    public Scope projects(Caller caller, String right) {
        Set<Long> ids = new HashSet<>();
        grants.getOrDefault(caller.id(), Map.of()).forEach((project, rights) -> {
            if (rights.contains(right)) {
                ids.add(project);
            }
        });
        return Scope.of(ids);
    }

    @Override
    public ParticipantRef participant(long projectId, long participantId) {
        ParticipantRef p = participants.get(participantId);
        if (p == null || p.projectId() != projectId) {
            throw KaryoException.notFound("participant", participantId);
        }
        return p;
    }

    @Override
    public Map<String, ParticipantRef> participantsBySample(long projectId, Collection<String> names) {
        Map<String, ParticipantRef> out = new HashMap<>();
        for (ParticipantRef p : participants.values()) {
            if (p.projectId() != projectId) {
                continue;
            }
            for (String name : names) {
                if (p.identifier().equals(name) || p.sampleIds().contains(name)) {
                    out.put(name, p);
                }
            }
        }
        return out;
    }
}
