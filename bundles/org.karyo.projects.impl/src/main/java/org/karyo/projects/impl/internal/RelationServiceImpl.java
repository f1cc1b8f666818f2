package org.karyo.projects.impl.internal;

import java.util.Map;
import java.util.Objects;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.ParticipantRelation;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.RelationService;
import org.karyo.projects.api.RelationType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link RelationService} by the house rule: reads are {@link Reads} queries, writes go through the module's
 * {@link Writes}, with the project row locked so that the twin rule and the one-relation-per-type rule are checked
 * without races.
 */
@Component(service = RelationService.class)
public final class RelationServiceImpl implements RelationService {

    private static final String RELATION = "relation";
    private static final Map<String, String> RELATION_ORDER = Map.of("created_at", "r.created_at", "id", "r.id");

    private final ProjectsStore store;
    private final Sql sql;
    private final Writes writes;
    private final Participants participants;

    @Activate
    public RelationServiceImpl(@Reference ProjectsStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
        this.writes = store.writes();
        this.participants = new Participants(store);
    }

    @Override
    public Page<ParticipantRelation> list(Caller caller, long projectId, Long participantId, PageRequest page) {
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        Select q = Reads.RELATIONS
                .page(page, store.settings().maxPageSize(), RELATION_ORDER, "r.id")
                .eq("r.project_id", projectId);
        if (participantId != null) {
            participants.row(projectId, participantId);
            q = q.where("(r.from_participant_id = ? OR r.to_participant_id = ?)", participantId, participantId);
        }
        Page<ParticipantRelation> rows = sql.page(q, Reads::relation);
        return new Page<>(
                rows.count(),
                rows.limit(),
                rows.offset(),
                rows.results().stream().map(r -> Views.relation(r, view)).toList());
    }

    @Override
    public ParticipantRelation get(Caller caller, long projectId, long relationId) {
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        return Views.relation(find(sql, projectId, relationId), view);
    }

    @Override
    public ParticipantRelation create(Caller caller, long projectId, NewRelation relation) {
        Project project = participants.manage(caller, projectId);
        String note = Rules.relation(relation);
        Access.View view = Participants.readerView(caller, project);
        return writes.write(RELATION, tx -> {
            ProjectsStore.lockProject(tx, projectId);
            Reads.ParticipantRow from =
                    participantOf(tx.sql(), projectId, relation.fromParticipantId(), "from_participant_id");
            Reads.ParticipantRow to =
                    participantOf(tx.sql(), projectId, relation.toParticipantId(), "to_participant_id");
            if (relation.type() == RelationType.TWIN_MONOZYGOTIC
                    && (!from.birthDate().equals(to.birthDate()) || from.gender() != to.gender())) {
                throw KaryoException.invalid(
                        "type", "TWIN_MONOZYGOTIC needs both participants to have the same birth date and gender");
            }
            if (tx.sql()
                    .exists(Select.of("r.id", Reads.SCHEMA + ".participant_relations r")
                            .eq("r.relation_type", relation.type())
                            .where(
                                    "least(r.from_participant_id, r.to_participant_id) = ?",
                                    Math.min(from.id(), to.id()))
                            .where(
                                    "greatest(r.from_participant_id, r.to_participant_id) = ?",
                                    Math.max(from.id(), to.id())))) {
                throw KaryoException.conflict("These participants already have a " + relation.type() + " relation");
            }
            RelationEntity e = new RelationEntity(projectId, from.id(), to.id(), relation.type(), note, store.now());
            tx.persist(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.relation.create", RELATION, e.id())
                            .with("project_id", projectId)
                            .with("from_participant_id", from.id())
                            .with("to_participant_id", to.id())
                            .with("type", relation.type().name()));
            return Views.relation(find(tx.sql(), projectId, e.id()), view);
        });
    }

    @Override
    public void delete(Caller caller, long projectId, long relationId) {
        participants.manage(caller, projectId);
        writes.run(RELATION, tx -> {
            RelationEntity e = tx.lock(RelationEntity.class, relationId)
                    .filter(r -> r.projectId() == projectId)
                    .orElseThrow(() -> KaryoException.notFound(RELATION, relationId));
            tx.remove(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.relation.delete", RELATION, relationId)
                            .with("project_id", projectId));
        });
    }

    private static ParticipantRelation find(Sql sql, long projectId, long relationId) {
        return sql.one(Reads.RELATIONS.eq("r.id", relationId).eq("r.project_id", projectId), Reads::relation)
                .orElseThrow(() -> KaryoException.notFound(RELATION, relationId));
    }

    private static Reads.ParticipantRow participantOf(Sql sql, long projectId, long participantId, String field) {
        return sql.one(Participants.one(projectId, participantId), Reads::participant)
                .orElseThrow(() -> KaryoException.invalid(field, "is not a participant of the project"));
    }
}
