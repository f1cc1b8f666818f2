package org.karyo.projects.impl.internal;

import static org.karyo.projects.impl.internal.Participants.PROJECT;
import static org.karyo.projects.impl.internal.Participants.WHAT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.ImportProgress;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ParticipantService} by the house rule: reads are {@link Reads} queries, writes go through the module's
 * {@link Writes}. Every participant write of a project first locks the project row (the participant sequence lives
 * there), so the checks that need the database (sample ids unique in the project, identifiers of an import, twins)
 * run in the same unit of work as the write, without races. Audit entries carry opaque ids only: never names,
 * identifiers or sample ids.
 */
@Component(service = {ParticipantService.class, ParticipantServiceImpl.class})
public final class ParticipantServiceImpl implements ParticipantService {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantServiceImpl.class);
    /** How many imported rows the entity manager holds at most before it is flushed and cleared. */
    private static final int FLUSH_ROWS = 200;

    private static final Map<String, String> PARTICIPANT_ORDER =
            Map.of("identifier", "p.seq", "created_at", "p.created_at", "updated_at", "p.updated_at");
    private static final String EFFECTIVE_CONSENT = "(CASE WHEN p.consent_status = 'GIVEN'"
            + " AND p.consent_expires_on < ? THEN 'EXPIRED' ELSE p.consent_status END)";

    private final ProjectsStore store;
    private final Sql sql;
    private final Writes writes;
    private final Participants participants;
    private final Documents documents;

    @Activate
    public ParticipantServiceImpl(
            @Reference ProjectsStore store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
        this.writes = store.writes();
        this.participants = new Participants(store);
        this.documents = new Documents(objects, store.settings());
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public Page<Participant> list(Caller caller, long projectId, ParticipantQuery query) {
        Objects.requireNonNull(query, "query");
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        Select q = Reads.PARTICIPANTS.page(query.page(), store.settings().maxPageSize(), PARTICIPANT_ORDER, "p.id");
        String term = Rules.search(query.search());
        LocalDate today = store.settings().today();
        q = q.eq("p.project_id", projectId).eq("p.active", query.active());
        if (!query.consent().isEmpty()) {
            q = q.where(
                    EFFECTIVE_CONSENT + " = ANY(?)",
                    today,
                    query.consent().stream().map(Enum::name).toArray(String[]::new));
        }
        if (term != null) {
            String like = Select.containsPattern(term);
            String sample = "EXISTS (SELECT 1 FROM " + Reads.SCHEMA + ".participant_samples s"
                    + " WHERE s.participant_id = p.id AND s.sample_id ILIKE ? ESCAPE '\\')";
            // the pseudonymised view searches sample ids only: a name must not be guessable from what matches
            q = view == Access.View.NOMINATIVE
                    ? q.where(
                            sample + " OR p.identifier ILIKE ? ESCAPE '\\' OR p.first_name ILIKE ? ESCAPE '\\'"
                                    + " OR p.last_name ILIKE ? ESCAPE '\\'",
                            like,
                            like,
                            like,
                            like)
                    : q.where(sample, like);
        }
        Page<Reads.ParticipantRow> rows = sql.pageByIds(q, "p.id", Reads.PARTICIPANTS, Reads::participant);
        store.audit(
                caller,
                AuditEvent.success("projects.participant.list", PROJECT, projectId)
                        .with("view", view.name().toLowerCase(Locale.ROOT))
                        .with("count", rows.results().size()));
        return new Page<>(rows.count(), rows.limit(), rows.offset(), participants.show(rows.results(), view));
    }

    @Override
    public Participant get(Caller caller, long projectId, long participantId) {
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        Reads.ParticipantRow row = participants.row(projectId, participantId);
        store.audit(
                caller,
                AuditEvent.success("projects.participant.read", WHAT, participantId)
                        .with("project_id", projectId)
                        .with("view", view.name().toLowerCase(Locale.ROOT)));
        return participants.show(row, view);
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    @Override
    public Participant create(Caller caller, long projectId, NewParticipant participant) {
        Project project = participants.manage(caller, projectId);
        Rules.ParticipantInput in = participants.validate(project, participant);
        Access.View view = Participants.readerView(caller, project);
        Participant created = writes.write(WHAT, tx -> {
            long n = ProjectsStore.reserveParticipantNumbers(tx, projectId, 1);
            Participants.checkSamples(tx.sql(), projectId, in.sampleIds(), Set.of(), "");
            ParticipantEntity e = new ParticipantEntity(projectId, n, Participants.identifier(project, n), store.now());
            e.assign(in);
            tx.persist(e);
            Participants.insertChildren(tx, e.id(), projectId, in.sampleIds(), in.diagnoses());
            tx.audit(
                    caller,
                    AuditEvent.success("projects.participant.create", WHAT, e.id())
                            .with("project_id", projectId));
            return participants.show(Participants.row(tx.sql(), projectId, e.id()), view);
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
        Project project = participants.manage(caller, projectId);
        Rules.ParticipantInput in = participants.validate(project, participant);
        Access.View view = Participants.readerView(caller, project);
        return writes.write(WHAT, tx -> {
            ProjectsStore.lockProject(tx, projectId);
            ParticipantEntity e = Participants.lock(tx, projectId, participantId, expectedVersion, true);
            Participants.checkSamples(tx.sql(), projectId, in.sampleIds(), Set.of(participantId), "");
            Participants.checkTwins(tx.sql(), participantId, in, Map.of(), "");
            e.assign(in);
            e.touch(store.now());
            Participants.replaceChildren(tx, participantId, projectId, in.sampleIds(), in.diagnoses());
            tx.audit(
                    caller,
                    AuditEvent.success("projects.participant.update", WHAT, participantId)
                            .with("project_id", projectId));
            return participants.show(Participants.row(tx.sql(), projectId, participantId), view);
        });
    }

    @Override
    public void delete(Caller caller, long projectId, long participantId, OptionalLong expectedVersion) {
        participants.manage(caller, projectId);
        writes.run(WHAT, tx -> {
            ProjectsStore.lockProject(tx, projectId);
            ParticipantEntity e = Participants.lock(tx, projectId, participantId, expectedVersion, false);
            String key = e.documentKey();
            tx.remove(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.participant.delete", WHAT, participantId)
                            .with("project_id", projectId));
            if (key != null) {
                tx.afterCommit(() -> documents.delete(key));
            }
        });
        LOG.debug("Participant {} of project {} deleted by {}", participantId, projectId, caller.id());
    }

    // ---- CSV ------------------------------------------------------------------------------------------------------

    @Override
    public ImportReport importCsv(Caller caller, long projectId, InputStream csv) {
        return importCsv(caller, projectId, csv, ImportProgress.NONE);
    }

    @Override
    public ImportReport importCsv(Caller caller, long projectId, InputStream csv, ImportProgress progress) {
        Objects.requireNonNull(progress, "progress");
        Project project = participants.manage(caller, projectId);
        List<ParticipantCsv.Row> rows = readCsv(csv);
        return importRows(caller, project, rows, check(project, rows), progress, r -> {});
    }

    /** The project, when the caller may manage its participants (NOT_FOUND or FORBIDDEN otherwise). */
    Project manageable(Caller caller, long projectId) {
        return participants.manage(caller, projectId);
    }

    /** The project, without a rights check (a job whose submitter's rights were checked at submission). */
    Project project(long projectId) {
        return participants.project(projectId);
    }

    /** The rows of a participant CSV, within the import limits (INVALID naming {@code file} otherwise). */
    List<ParticipantCsv.Row> readCsv(InputStream csv) {
        if (csv == null) {
            throw KaryoException.invalid("file", "is required");
        }
        return ParticipantCsv.read(
                csv, store.settings().maxImportBytes(), store.settings().maxImportRows());
    }

    /** Checks every row on its own (INVALID naming {@code line N: column} for each error); returns their inputs. */
    List<Rules.ParticipantInput> check(Project project, List<ParticipantCsv.Row> rows) {
        Pattern identifiers = Participants.identifierPattern(project);
        LocalDate today = store.settings().today();
        List<FieldError> errors = new ArrayList<>();
        List<Rules.ParticipantInput> inputs = new ArrayList<>();
        Map<String, Integer> identifierLines = new HashMap<>();
        for (ParticipantCsv.Row row : rows) {
            String prefix = "line " + row.line() + ": ";
            Validator v = new Validator();
            inputs.add(Rules.participant(v, row.participant(), today, identifiers, prefix, true));
            collectInto(errors, v::throwIfInvalid);
            if (row.identifier() != null) {
                Integer first = identifierLines.putIfAbsent(row.identifier(), row.line());
                if (first != null) {
                    errors.add(new FieldError(prefix + "identifier", "repeats the identifier of line " + first));
                }
            }
        }
        throwIfAny(errors);
        return inputs;
    }

    /**
     * Writes checked rows in one unit of work, all or nothing, telling {@code progress} how many rows are done;
     * {@code inUnit} runs with the report at the end of that unit of work (a job's checkpoint commits with the rows).
     */
    ImportReport importRows(
            Caller caller,
            Project project,
            List<ParticipantCsv.Row> rows,
            List<Rules.ParticipantInput> inputs,
            ImportProgress progress,
            Consumer<ImportReport> inUnit) {
        long projectId = project.id();
        List<FieldError> errors = new ArrayList<>();
        ImportReport report = writes.write(WHAT, tx -> {
            ProjectsStore.lockProject(tx, projectId);
            // the participants that rows with an identifier replace
            Map<String, Long> known = new HashMap<>();
            List<String> named = rows.stream()
                    .map(ParticipantCsv.Row::identifier)
                    .filter(Objects::nonNull)
                    .toList();
            if (!named.isEmpty()) {
                tx.sql()
                        .list(
                                Select.of("p.id, p.identifier", Reads.SCHEMA + ".participants p")
                                        .eq("p.project_id", projectId)
                                        .in("p.identifier", named),
                                rs -> known.put(rs.getString(2), rs.getLong(1)));
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
                collectInto(
                        errors, () -> Participants.checkSamples(tx.sql(), projectId, in.sampleIds(), replaced, prefix));
                Long id = row.identifier() == null ? null : known.get(row.identifier());
                if (id != null) {
                    collectInto(errors, () -> Participants.checkTwins(tx.sql(), id, in, byId, prefix));
                }
            }
            throwIfAny(errors);
            if (!replaced.isEmpty()) {
                Participants.deleteChildren(tx, replaced);
            }
            int fresh = (int) rows.stream().filter(r -> r.identifier() == null).count();
            long next = fresh == 0 ? 0 : ProjectsStore.reserveParticipantNumbers(tx, projectId, fresh);
            int created = 0;
            int updated = 0;
            Instant now = store.now();
            progress.rows(0, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                ParticipantCsv.Row row = rows.get(i);
                Rules.ParticipantInput in = inputs.get(i);
                long id;
                if (row.identifier() == null) {
                    long n = next + created;
                    ParticipantEntity e = new ParticipantEntity(projectId, n, Participants.identifier(project, n), now);
                    e.assign(in);
                    tx.persist(e);
                    id = e.id();
                    created++;
                } else {
                    id = known.get(row.identifier());
                    ParticipantEntity e = Participants.lock(tx, projectId, id, OptionalLong.empty(), true);
                    e.assign(in);
                    e.touch(now);
                    updated++;
                }
                Participants.insertChildren(tx, id, projectId, in.sampleIds(), in.diagnoses());
                if ((i + 1) % FLUSH_ROWS == 0) {
                    // each statement flushes the entity manager, which compares every entity it holds: keep it
                    // small, or a large import slows down with the square of its rows
                    tx.em().flush();
                    tx.em().clear();
                }
                progress.rows(i + 1L, rows.size());
            }
            tx.audit(
                    caller,
                    AuditEvent.success("projects.participant.import", PROJECT, projectId)
                            .with("created", created)
                            .with("updated", updated));
            ImportReport done = new ImportReport(created, updated);
            inUnit.accept(done);
            return done;
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
        Project project = participants.project(projectId);
        Access.View view = participants.view(caller, project);
        List<Participant> all = participants.show(
                sql.list(Reads.PARTICIPANTS.eq("p.project_id", projectId).orderBy("p.seq"), Reads::participant), view);
        boolean pseudonymized = view == Access.View.PSEUDONYMIZED;
        store.audit(
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
                ParticipantCsv.write(w, all, pseudonymized);
                w.flush();
            }
        };
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
}
