package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantRelation;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.RelationType;
import org.karyo.projects.api.Upload;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ParticipantService} on PostgreSQL and object storage. Every participant write of a project first locks the
 * project row (the participant sequence lives there), so the checks that need the database (sample ids unique in the
 * project, identifiers of an import, twins) run in the same unit of work as the write, without races. Audit entries
 * carry opaque ids only: never names, identifiers or sample ids.
 */
@Component(service = ParticipantService.class)
public final class ParticipantServiceImpl implements ParticipantService {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantServiceImpl.class);
    private static final String PROJECT = "project";
    private static final String WHAT = "participant";
    private static final String RELATION = "relation";
    private static final Map<String, String> PARTICIPANT_ORDER =
            Map.of("identifier", "p.seq", "created_at", "p.created_at", "updated_at", "p.updated_at");
    private static final Map<String, String> RELATION_ORDER = Map.of("created_at", "r.created_at", "id", "r.id");
    private static final String EFFECTIVE_CONSENT = "(CASE WHEN p.consent_status = 'GIVEN'"
            + " AND p.consent_expires_on < ? THEN 'EXPIRED' ELSE p.consent_status END)";

    private final Tx tx;
    private final Sql sql;
    private final AuditTrail audit;
    private final ProjectsSettings settings;
    private final Documents documents;
    private final Pseudonyms pseudonyms;

    @Activate
    public ParticipantServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-projects)") JpaTemplate jpa,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=projects)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore store,
            @Reference ProjectsSettings settings) {
        this(jpa, dataSource, uow, audit, store, settings);
        LOG.info("Participant service active");
    }

    ParticipantServiceImpl(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            ObjectStore store,
            ProjectsSettings settings) {
        this.tx = new Tx(jpa, uow);
        this.sql = new Sql(dataSource);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.documents = new Documents(store, settings);
        this.pseudonyms = new Pseudonyms(settings, sql, uow);
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public Page<Participant> list(Caller caller, long projectId, ParticipantQuery query) {
        Objects.requireNonNull(query, "query");
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        Paging.check(query.page(), settings.maxPageSize(), ParticipantQuery.ORDERABLE);
        String term = Rules.search(query.search());
        LocalDate today = settings.today();
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("p.project_id = ?");
        params.add(projectId);
        if (query.active() != null) {
            where.append(" AND p.active = ?");
            params.add(query.active());
        }
        if (!query.consent().isEmpty()) {
            where.append(" AND ").append(EFFECTIVE_CONSENT).append(" = ANY(?)");
            params.add(today);
            params.add(query.consent().stream().map(Enum::name).toArray(String[]::new));
        }
        if (term != null) {
            String like = Sql.contains(term);
            where.append(" AND (EXISTS (SELECT 1 FROM ")
                    .append(Reads.SCHEMA)
                    .append(".participant_samples s WHERE s.participant_id = p.id AND s.sample_id ILIKE ?)");
            params.add(like);
            if (view == Access.View.NOMINATIVE) {
                where.append(" OR p.identifier ILIKE ? OR p.first_name ILIKE ? OR p.last_name ILIKE ?");
                params.add(like);
                params.add(like);
                params.add(like);
            }
            where.append(')');
        }
        Page<Reads.ParticipantRow> rows = Reads.pageByIds(
                sql,
                Reads.PARTICIPANTS,
                "p.id",
                where.toString(),
                params,
                query.page(),
                PARTICIPANT_ORDER,
                Reads.ParticipantRow::id,
                Reads::participant);
        audit.record(
                caller,
                AuditEvent.success("projects.participant.list", PROJECT, projectId)
                        .with("view", view.name().toLowerCase(Locale.ROOT))
                        .with("count", rows.results().size()));
        return new Page<>(
                rows.count(), rows.limit(), rows.offset(), Views.participants(rows.results(), view, pseudonyms, today));
    }

    @Override
    public Participant get(Caller caller, long projectId, long participantId) {
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        Reads.ParticipantRow row = row(projectId, participantId);
        audit.record(
                caller,
                AuditEvent.success("projects.participant.read", WHAT, participantId)
                        .with("project_id", projectId)
                        .with("view", view.name().toLowerCase(Locale.ROOT)));
        return show(row, view);
    }

    // ---- participant writes ---------------------------------------------------------------------------------------

    @Override
    public Participant create(Caller caller, long projectId, NewParticipant participant) {
        Project project = manage(caller, projectId);
        Rules.ParticipantInput in = validate(project, participant);
        Access.View view = readerView(caller, project);
        Participant created = tx.write(WHAT, "new", em -> {
            long n = sql.nextParticipantNumber(projectId);
            checkSamples(projectId, in.sampleIds(), Set.of(), "");
            String identifier = project.institutionCode() + "-" + project.code() + "-" + n;
            ParticipantEntity e = new ParticipantEntity(projectId, n, identifier, now());
            e.assign(in);
            em.persist(e);
            Tx.flush(em, WHAT, identifier);
            sql.insertChildren(e.id(), projectId, in.sampleIds(), in.diagnoses());
            audit.record(
                    caller,
                    AuditEvent.success("projects.participant.create", WHAT, e.id())
                            .with("project_id", projectId));
            return show(row(projectId, e.id()), view);
        });
        LOG.debug("Participant {} of project {} created by {}", created.id(), projectId, caller.id());
        return created;
    }

    @Override
    public Participant replace(
            Caller caller,
            long projectId,
            long participantId,
            NewParticipant participant,
            OptionalLong expectedVersion) {
        Project project = manage(caller, projectId);
        Rules.ParticipantInput in = validate(project, participant);
        Access.View view = readerView(caller, project);
        return tx.write(WHAT, participantId, em -> {
            sql.lockProject(projectId);
            ParticipantEntity e = lock(em, projectId, participantId, expectedVersion);
            checkSamples(projectId, in.sampleIds(), Set.of(participantId), "");
            checkTwins(participantId, in, Map.of(), "");
            e.assign(in);
            e.touch(now());
            Tx.flush(em, WHAT, participantId);
            sql.replaceChildren(participantId, projectId, in.sampleIds(), in.diagnoses());
            audit.record(
                    caller,
                    AuditEvent.success("projects.participant.update", WHAT, participantId)
                            .with("project_id", projectId));
            return show(row(projectId, participantId), view);
        });
    }

    @Override
    public void delete(Caller caller, long projectId, long participantId, OptionalLong expectedVersion) {
        manage(caller, projectId);
        tx.write(WHAT, participantId, em -> {
            sql.lockProject(projectId);
            ParticipantEntity e = lock(em, projectId, participantId, expectedVersion, LockModeType.PESSIMISTIC_WRITE);
            String key = e.documentKey();
            em.remove(e);
            Tx.flush(em, WHAT, participantId);
            audit.record(
                    caller,
                    AuditEvent.success("projects.participant.delete", WHAT, participantId)
                            .with("project_id", projectId));
            if (key != null) {
                tx.uow().afterCommit(() -> documents.delete(key));
            }
            return participantId;
        });
        LOG.debug("Participant {} of project {} deleted by {}", participantId, projectId, caller.id());
    }

    // ---- consent --------------------------------------------------------------------------------------------------

    @Override
    public Participant updateConsent(
            Caller caller, long projectId, long participantId, ConsentUpdate consent, OptionalLong expectedVersion) {
        Project project = manage(caller, projectId);
        Access.View view = readerView(caller, project);
        return tx.write(WHAT, participantId, em -> {
            ParticipantEntity e = lock(em, projectId, participantId, expectedVersion);
            ConsentState status = Rules.consent(consent, e.documentKey() != null, settings.today());
            e.consent(status, consent.givenOn(), consent.withdrawnOn(), consent.expiresOn());
            e.touch(now());
            Tx.flush(em, WHAT, participantId);
            audit.record(
                    caller,
                    AuditEvent.success("projects.consent.update", WHAT, participantId)
                            .with("project_id", projectId)
                            .with("status", status.name()));
            return show(row(projectId, participantId), view);
        });
    }

    @Override
    public Participant putConsentDocument(
            Caller caller, long projectId, long participantId, Upload upload, OptionalLong expectedVersion) {
        Project project = manage(caller, projectId);
        Access.View view = readerView(caller, project);
        row(projectId, participantId); // NOT_FOUND before anything is stored
        Validator v = new Validator();
        String fileName = upload == null ? null : Rules.optional(v, upload.fileName(), "file_name", Rules.NAME_MAX);
        v.throwIfInvalid();
        StoredObject object = documents.put(Documents.consentKey(projectId, participantId), Documents.Type.PDF, upload);
        String name = fileName == null ? "consent.pdf" : fileName;
        try {
            return tx.write(WHAT, participantId, em -> {
                ParticipantEntity e = lock(em, projectId, participantId, expectedVersion);
                String previous = e.documentKey();
                e.document(object, name, now());
                e.touch(now());
                Tx.flush(em, WHAT, participantId);
                audit.record(
                        caller,
                        AuditEvent.success("projects.consent_document.upload", WHAT, participantId)
                                .with("project_id", projectId)
                                .with("size", object.size()));
                if (previous != null) {
                    tx.uow().afterCommit(() -> documents.delete(previous));
                }
                return show(row(projectId, participantId), view);
            });
        } catch (RuntimeException e) {
            documents.delete(object.key());
            throw e;
        }
    }

    @Override
    public Participant deleteConsentDocument(
            Caller caller, long projectId, long participantId, OptionalLong expectedVersion) {
        Project project = manage(caller, projectId);
        Access.View view = readerView(caller, project);
        return tx.write(WHAT, participantId, em -> {
            ParticipantEntity e = lock(em, projectId, participantId, expectedVersion);
            String key = e.documentKey();
            if (key == null) {
                throw KaryoException.notFound("consent document of participant", participantId);
            }
            if (e.consentStatus() == ConsentState.GIVEN) {
                throw KaryoException.conflict("The consent is GIVEN: it keeps its signed document. Withdraw it or set"
                        + " it back to PENDING first");
            }
            e.document(null, null, null);
            e.touch(now());
            Tx.flush(em, WHAT, participantId);
            audit.record(
                    caller,
                    AuditEvent.success("projects.consent_document.delete", WHAT, participantId)
                            .with("project_id", projectId));
            tx.uow().afterCommit(() -> documents.delete(key));
            return show(row(projectId, participantId), view);
        });
    }

    @Override
    public Download consentDocument(Caller caller, long projectId, long participantId) {
        Reads.ParticipantRow r = document(caller, projectId, participantId, "read");
        return documents.open(
                r.documentKey(), r.documentName(), r.documentType(), r.documentSize(), r.documentSha256());
    }

    @Override
    public DownloadLink consentDocumentLink(Caller caller, long projectId, long participantId) {
        Reads.ParticipantRow r = document(caller, projectId, participantId, "link");
        return documents.link(r.documentKey(), r.documentName(), r.documentSha256());
    }

    private Reads.ParticipantRow document(Caller caller, long projectId, long participantId, String how) {
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        if (view != Access.View.NOMINATIVE) {
            throw KaryoException.forbidden("A consent document carries the participant's name: reading it needs "
                    + PARTICIPANT_READ_NOMINATIVE);
        }
        Reads.ParticipantRow r = row(projectId, participantId);
        if (r.documentKey() == null) {
            throw KaryoException.notFound("consent document of participant", participantId);
        }
        audit.record(
                caller,
                AuditEvent.success("projects.consent_document.read", WHAT, participantId)
                        .with("project_id", projectId)
                        .with("how", how));
        return r;
    }

    // ---- CSV ------------------------------------------------------------------------------------------------------

    @Override
    public ImportReport importCsv(Caller caller, long projectId, InputStream csv) {
        Project project = manage(caller, projectId);
        if (csv == null) {
            throw KaryoException.invalid("file", "is required");
        }
        List<ParticipantCsv.Row> rows =
                ParticipantCsv.parse(Csv.read(csv, settings.maxImportBytes()), settings.maxImportRows());
        Pattern identifiers = identifierPattern(project);
        LocalDate today = settings.today();
        List<FieldError> errors = new ArrayList<>();
        List<Rules.ParticipantInput> inputs = new ArrayList<>();
        Map<String, Integer> identifierLines = new HashMap<>();
        for (ParticipantCsv.Row row : rows) {
            String prefix = "line " + row.line() + ": ";
            Validator v = new Validator();
            inputs.add(Rules.participant(v, row.participant(), today, identifiers, prefix, true));
            collect(v, errors);
            if (row.identifier() != null) {
                Integer first = identifierLines.putIfAbsent(row.identifier(), row.line());
                if (first != null) {
                    errors.add(new FieldError(prefix + "identifier", "repeats the identifier of line " + first));
                }
            }
        }
        throwIfAny(errors);
        ImportReport report = tx.write(WHAT, "import", em -> {
            sql.lockProject(projectId);
            // identifiers of the rows that replace a participant
            Map<String, Long> known = new HashMap<>();
            String[] named = rows.stream()
                    .map(ParticipantCsv.Row::identifier)
                    .filter(Objects::nonNull)
                    .toArray(String[]::new);
            if (named.length > 0) {
                sql.list(
                        "SELECT id, identifier FROM " + Reads.SCHEMA + ".participants WHERE project_id = ?"
                                + " AND identifier = ANY(?)",
                        rs -> known.put(rs.getString(2), rs.getLong(1)),
                        projectId,
                        named);
            }
            Set<Long> replaced = new HashSet<>(known.values());
            Map<String, Integer> sampleLines = new HashMap<>();
            Map<Long, Rules.ParticipantInput> byId = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                ParticipantCsv.Row row = rows.get(i);
                String prefix = "line " + row.line() + ": ";
                if (row.identifier() != null && !known.containsKey(row.identifier())) {
                    errors.add(new FieldError(
                            prefix + "identifier", "is not a participant of the project (leave it empty to add one)"));
                }
                for (String s : inputs.get(i).sampleIds()) {
                    Integer first = sampleLines.putIfAbsent(s, row.line());
                    if (first != null) {
                        errors.add(new FieldError(prefix + "sample_ids", s + " is also a sample id on line " + first));
                    }
                }
                if (row.identifier() != null && known.containsKey(row.identifier())) {
                    byId.put(known.get(row.identifier()), inputs.get(i));
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                ParticipantCsv.Row row = rows.get(i);
                Rules.ParticipantInput in = inputs.get(i);
                String prefix = "line " + row.line() + ": ";
                collectInto(errors, () -> checkSamples(projectId, in.sampleIds(), replaced, prefix));
                Long id = row.identifier() == null ? null : known.get(row.identifier());
                if (id != null) {
                    collectInto(errors, () -> checkTwins(id, in, byId, prefix));
                }
            }
            throwIfAny(errors);
            if (!replaced.isEmpty()) {
                sql.deleteChildren(replaced);
            }
            int created = 0;
            int updated = 0;
            Instant now = now();
            for (int i = 0; i < rows.size(); i++) {
                ParticipantCsv.Row row = rows.get(i);
                Rules.ParticipantInput in = inputs.get(i);
                long id;
                if (row.identifier() == null) {
                    long n = sql.nextParticipantNumber(projectId);
                    ParticipantEntity e = new ParticipantEntity(
                            projectId, n, project.institutionCode() + "-" + project.code() + "-" + n, now);
                    e.assign(in);
                    em.persist(e);
                    Tx.flush(em, WHAT, "import");
                    id = e.id();
                    created++;
                } else {
                    id = known.get(row.identifier());
                    ParticipantEntity e =
                            em.find(ParticipantEntity.class, id, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
                    e.assign(in);
                    e.touch(now);
                    updated++;
                }
                sql.insertChildren(id, projectId, in.sampleIds(), in.diagnoses());
            }
            Tx.flush(em, WHAT, "import");
            audit.record(
                    caller,
                    AuditEvent.success("projects.participant.import", PROJECT, projectId)
                            .with("created", created)
                            .with("updated", updated));
            return new ImportReport(created, updated);
        });
        LOG.info(
                "Participant import into project {} by {}: {} created, {} updated",
                projectId,
                caller.id(),
                report.created(),
                report.updated());
        return report;
    }

    @Override
    public ParticipantExport exportCsv(Caller caller, long projectId) {
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        LocalDate today = settings.today();
        List<Participant> all = Views.participants(
                sql.list(
                        Reads.PARTICIPANTS.where("p.project_id = ?") + " ORDER BY p.seq",
                        Reads::participant,
                        projectId),
                view,
                pseudonyms,
                today);
        boolean pseudonymized = view == Access.View.PSEUDONYMIZED;
        audit.record(
                caller,
                AuditEvent.success("projects.participant.export", PROJECT, projectId)
                        .with("view", view.name().toLowerCase(Locale.ROOT))
                        .with("count", all.size()));
        String fileName = project.code() + "-participants" + (pseudonymized ? "-pseudonymized" : "") + ".csv";
        return new ParticipantExport() {
            @Override
            public boolean pseudonymized() {
                return pseudonymized;
            }

            @Override
            public String fileName() {
                return fileName;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                Csv.write(w, pseudonymized ? ParticipantCsv.PSEUDONYMIZED : ParticipantCsv.NOMINATIVE);
                for (Participant p : all) {
                    Csv.write(w, pseudonymized ? ParticipantCsv.pseudonymized(p) : ParticipantCsv.nominative(p));
                }
                w.flush();
            }
        };
    }

    // ---- relations ------------------------------------------------------------------------------------------------

    @Override
    public Page<ParticipantRelation> relations(Caller caller, long projectId, Long participantId, PageRequest page) {
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        Paging.check(page, settings.maxPageSize(), RELATION_ORDER.keySet());
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("r.project_id = ?");
        params.add(projectId);
        if (participantId != null) {
            row(projectId, participantId);
            where.append(" AND (r.from_participant_id = ? OR r.to_participant_id = ?)");
            params.add(participantId);
            params.add(participantId);
        }
        Page<ParticipantRelation> rows = Reads.page(
                sql, Reads.RELATIONS, where.toString(), params, page, RELATION_ORDER, "r.id", Reads::relation);
        return new Page<>(
                rows.count(),
                rows.limit(),
                rows.offset(),
                rows.results().stream().map(r -> Views.relation(r, view)).toList());
    }

    @Override
    public ParticipantRelation relation(Caller caller, long projectId, long relationId) {
        Project project = project(projectId);
        Access.View view = Access.participantView(caller, project.perimeterId(), PROJECT, projectId);
        return Views.relation(findRelation(projectId, relationId), view);
    }

    @Override
    public ParticipantRelation createRelation(Caller caller, long projectId, NewRelation relation) {
        Project project = manage(caller, projectId);
        String note = Rules.relation(relation);
        Access.View view = readerView(caller, project);
        return tx.write(RELATION, "new", em -> {
            sql.lockProject(projectId);
            Reads.ParticipantRow from = participantOf(projectId, relation.fromParticipantId(), "from_participant_id");
            Reads.ParticipantRow to = participantOf(projectId, relation.toParticipantId(), "to_participant_id");
            if (relation.type() == RelationType.TWIN_MONOZYGOTIC
                    && (!from.birthDate().equals(to.birthDate()) || from.gender() != to.gender())) {
                throw KaryoException.invalid(
                        "type", "TWIN_MONOZYGOTIC needs both participants to have the same birth date and gender");
            }
            if (sql.count(
                            "SELECT count(*) FROM " + Reads.SCHEMA + ".participant_relations WHERE relation_type = ?"
                                    + " AND least(from_participant_id, to_participant_id) = ?"
                                    + " AND greatest(from_participant_id, to_participant_id) = ?",
                            relation.type().name(),
                            Math.min(from.id(), to.id()),
                            Math.max(from.id(), to.id()))
                    > 0) {
                throw KaryoException.conflict("These participants already have a " + relation.type() + " relation");
            }
            RelationEntity e = new RelationEntity(projectId, from.id(), to.id(), relation.type(), note, now());
            em.persist(e);
            Tx.flush(em, RELATION, "new");
            audit.record(
                    caller,
                    AuditEvent.success("projects.relation.create", RELATION, e.id())
                            .with("project_id", projectId)
                            .with("from_participant_id", from.id())
                            .with("to_participant_id", to.id())
                            .with("type", relation.type().name()));
            return Views.relation(findRelation(projectId, e.id()), view);
        });
    }

    @Override
    public void deleteRelation(Caller caller, long projectId, long relationId) {
        manage(caller, projectId);
        tx.write(RELATION, relationId, em -> {
            RelationEntity e = em.find(RelationEntity.class, relationId, LockModeType.PESSIMISTIC_WRITE);
            if (e == null || e.projectId() != projectId) {
                throw KaryoException.notFound(RELATION, relationId);
            }
            em.remove(e);
            Tx.flush(em, RELATION, relationId);
            audit.record(
                    caller,
                    AuditEvent.success("projects.relation.delete", RELATION, relationId)
                            .with("project_id", projectId));
            return relationId;
        });
    }

    private ParticipantRelation findRelation(long projectId, long relationId) {
        return sql.one(Reads.RELATIONS.where("r.id = ? AND r.project_id = ?"), Reads::relation, relationId, projectId)
                .orElseThrow(() -> KaryoException.notFound(RELATION, relationId));
    }

    private Reads.ParticipantRow participantOf(long projectId, long participantId, String field) {
        return sql.one(
                        Reads.PARTICIPANTS.where("p.id = ? AND p.project_id = ?"),
                        Reads::participant,
                        participantId,
                        projectId)
                .orElseThrow(() -> KaryoException.invalid(field, "is not a participant of the project"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** The project (NOT_FOUND when it does not exist; visibility is the caller's business). */
    private Project project(long projectId) {
        return sql.one(
                        Reads.PROJECTS.where("p.id = ?"),
                        rs -> Reads.project(rs, settings.today()).project(),
                        projectId)
                .orElseThrow(() -> KaryoException.notFound(PROJECT, projectId));
    }

    /** The project, when the caller may manage its participants. */
    private Project manage(Caller caller, long projectId) {
        Project project = project(projectId);
        Access.require(caller, project.perimeterId(), PARTICIPANT_MANAGE, PROJECT, projectId);
        return project;
    }

    /**
     * How a write's result is shown: the caller's reading view, or pseudonymised for a caller who may manage but not
     * read participants (its own input is not echoed back beyond what it could read).
     */
    private static Access.View readerView(Caller caller, Project project) {
        return caller.hasRightOn(PARTICIPANT_READ_NOMINATIVE, project.perimeterId())
                ? Access.View.NOMINATIVE
                : Access.View.PSEUDONYMIZED;
    }

    private Participant show(Reads.ParticipantRow row, Access.View view) {
        return Views.participant(row, view, pseudonyms.of(row.id()), settings.today());
    }

    private Reads.ParticipantRow row(long projectId, long participantId) {
        return sql.one(
                        Reads.PARTICIPANTS.where("p.id = ? AND p.project_id = ?"),
                        Reads::participant,
                        participantId,
                        projectId)
                .orElseThrow(() -> KaryoException.notFound(WHAT, participantId));
    }

    /** The participant locked for this transaction, at the version the caller expects; its next version on flush. */
    private ParticipantEntity lock(EntityManager em, long projectId, long participantId, OptionalLong expected) {
        return lock(em, projectId, participantId, expected, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
    }

    private ParticipantEntity lock(
            EntityManager em, long projectId, long participantId, OptionalLong expected, LockModeType mode) {
        ParticipantEntity e = em.find(ParticipantEntity.class, participantId, mode);
        if (e == null || e.projectId() != projectId) {
            throw KaryoException.notFound(WHAT, participantId);
        }
        if (expected.isPresent() && expected.getAsLong() != e.version()) {
            throw KaryoException.stale(WHAT, participantId);
        }
        return e;
    }

    private Rules.ParticipantInput validate(Project project, NewParticipant participant) {
        Validator v = new Validator();
        if (participant == null) {
            v.required(null, "first_name")
                    .required(null, "last_name")
                    .required(null, "gender")
                    .required(null, "birth_date")
                    .throwIfInvalid();
        }
        Rules.ParticipantInput in =
                Rules.participant(v, participant, settings.today(), identifierPattern(project), "", false);
        v.throwIfInvalid();
        return in;
    }

    /** What the project's identifiers look like: a sample id must not (it would match another participant). */
    private static Pattern identifierPattern(Project project) {
        return Pattern.compile(
                Pattern.quote(project.institutionCode() + "-" + project.code() + "-") + "[0-9]+",
                Pattern.CASE_INSENSITIVE);
    }

    /**
     * Sample ids must be unique in the project: INVALID naming {@code sample_ids} when one belongs to a participant
     * other than those in {@code replaced} (whose sample ids are being rewritten).
     */
    private void checkSamples(long projectId, List<String> sampleIds, Set<Long> replaced, String prefix) {
        if (sampleIds.isEmpty()) {
            return;
        }
        List<String> taken = sql.list(
                "SELECT sample_id FROM " + Reads.SCHEMA + ".participant_samples WHERE project_id = ?"
                        + " AND sample_id = ANY(?) AND NOT (participant_id = ANY(?)) ORDER BY sample_id",
                rs -> rs.getString(1),
                projectId,
                sampleIds.toArray(String[]::new),
                replaced.toArray(Long[]::new));
        if (!taken.isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            for (String s : taken) {
                int i = sampleIds.indexOf(s);
                errors.add(new FieldError(
                        prefix + "sample_ids" + (prefix.isEmpty() ? "[" + i + "]" : ""),
                        (prefix.isEmpty() ? "is" : s + " is") + " already a sample id of another participant of the"
                                + " project"));
            }
            throw KaryoException.invalid(errors);
        }
    }

    /**
     * A participant with a monozygotic twin keeps the twin's birth date and gender: INVALID naming {@code birth_date}
     * or {@code gender} otherwise. {@code incoming} holds the new state of twins replaced in the same import.
     */
    private void checkTwins(
            long participantId, Rules.ParticipantInput in, Map<Long, Rules.ParticipantInput> incoming, String prefix) {
        List<Object[]> twins = sql.list(
                "SELECT p.id, p.birth_date, p.gender FROM " + Reads.SCHEMA + ".participant_relations r JOIN "
                        + Reads.SCHEMA + ".participants p ON p.id = CASE WHEN r.from_participant_id = ?"
                        + " THEN r.to_participant_id ELSE r.from_participant_id END"
                        + " WHERE r.relation_type = 'TWIN_MONOZYGOTIC' AND ? IN (r.from_participant_id,"
                        + " r.to_participant_id)",
                rs -> new Object[] {rs.getLong(1), Sql.date(rs, "birth_date"), rs.getString(3)},
                participantId,
                participantId);
        Validator v = new Validator();
        for (Object[] twin : twins) {
            long twinId = (Long) twin[0];
            Rules.ParticipantInput other = incoming.get(twinId);
            LocalDate birth = other != null ? other.birthDate() : (LocalDate) twin[1];
            String gender = other != null ? other.gender().name() : (String) twin[2];
            v.check(
                    in.birthDate().equals(birth),
                    prefix + "birth_date",
                    "must equal the birth date of the participant's monozygotic twin (participant " + twinId + ")");
            v.check(
                    in.gender().name().equals(gender),
                    prefix + "gender",
                    "must equal the gender of the participant's monozygotic twin (participant " + twinId + ")");
        }
        v.throwIfInvalid();
    }

    private static void collect(Validator v, List<FieldError> errors) {
        collectInto(errors, v::throwIfInvalid);
    }

    private static void collectInto(List<FieldError> errors, Runnable check) {
        try {
            check.run();
        } catch (KaryoException e) {
            if (e.errors().isEmpty()) {
                throw e;
            }
            errors.addAll(e.errors());
        }
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors.subList(0, Math.min(errors.size(), ParticipantCsv.MAX_ERRORS)));
        }
    }

    private Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
