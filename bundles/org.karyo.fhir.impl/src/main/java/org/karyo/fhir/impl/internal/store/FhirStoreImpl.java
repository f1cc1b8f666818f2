package org.karyo.fhir.impl.internal.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.hl7.fhir.r5.model.Bundle.HTTPVerb;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.EnvOverrides;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.fhir.api.CompiledQuery;
import org.karyo.fhir.api.Deidentification;
import org.karyo.fhir.api.FhirCursor;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirQueryCompiler;
import org.karyo.fhir.api.FhirScopePolicy;
import org.karyo.fhir.api.FhirStore;
import org.karyo.fhir.api.FhirWriteHook;
import org.karyo.fhir.api.Interaction;
import org.karyo.fhir.api.JsonResource;
import org.karyo.fhir.api.PatientPerimeters;
import org.karyo.fhir.api.QueryStrings;
import org.karyo.fhir.api.SearchExtension;
import org.karyo.fhir.api.SearchRequest;
import org.karyo.fhir.api.WriteOptions;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.fhir.impl.internal.deid.Deidentifier;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR store: every interaction of {@code /fhir/r5} for a caller, with the perimeter rules, pseudonymisation,
 * hooks, scope policies and audit. Reads are plain SQL over the index columns; writes run in the platform's unit of
 * work through {@link Writer}.
 */
@Component(
        service = {
            FhirStore.class,
            FhirCursor.class,
            PatientPerimeters.class,
            FhirQueryCompiler.class,
            Deidentification.class,
            StoreInternals.class,
            FhirStoreLimits.class
        },
        configurationPid = FhirStoreImpl.PID)
@Designate(ocd = FhirConfig.class)
public final class FhirStoreImpl
        implements FhirStore,
                FhirCursor,
                PatientPerimeters,
                FhirQueryCompiler,
                Deidentification,
                StoreInternals,
                FhirStoreLimits {
    static final String PID = "org.karyo.fhir";
    private static final Logger LOG = LoggerFactory.getLogger(FhirStoreImpl.class);
    private static final String S = Schema.NAME;
    private static final String WHAT = "FHIR resource";
    /** Who matches the conditional references of a bulk import: every resource, whatever its perimeter. */
    private static final Caller IMPORT = new Caller() {
        @Override
        public String id() {
            return "system";
        }

        @Override
        public String getName() {
            return "system";
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean hasRight(String right) {
            return Access.ADMIN.equals(right) || org.karyo.accesses.api.AccessRights.FULL_ADMIN.equals(right);
        }
    };

    private final Sql sql;
    private final Writes writes;
    private final Writer writer;
    private final ParamLookup params;
    private final Deidentifier deid;
    private final ReadAudit readAudit;
    private final FhirConfig config;
    private final Searches searches;
    private final List<FhirWriteHook> hooks = new CopyOnWriteArrayList<>();
    private final List<SearchExtension> extensions = new CopyOnWriteArrayList<>();
    private final List<FhirScopePolicy> policies = new CopyOnWriteArrayList<>();

    @Activate
    public FhirStoreImpl(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=fhir)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference PerimeterService perimeters,
            @Reference Indexing indexing,
            FhirConfig config) {
        this(dataSource, uow, audit, perimeters, indexing, config, EnvOverrides.system(), Clock.systemUTC());
        LOG.info(
                "FHIR store active (schema {} at version {}, default _count {}, max _count {})",
                schema.schema(),
                schema.version(),
                config.default_count(),
                config.max_count());
    }

    FhirStoreImpl(
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            PerimeterService perimeters,
            Indexing indexing,
            FhirConfig config,
            EnvOverrides env,
            Clock clock) {
        this.sql = new Sql(dataSource, Schema.MODULE).planningEachExecution();
        this.writes = Writes.statements(uow, sql, audit);
        this.config = config;
        long parent = Long.parseLong(env.get(
                "KARYO_FHIR_ORGANIZATION_PARENT",
                config.organization_parent().isBlank() ? "0" : config.organization_parent()));
        this.params = indexing.params();
        this.writer = new Writer(indexing.extractor(), () -> hooks, new Organizations(perimeters, parent), clock);
        this.deid = new Deidentifier(PseudonymKey.load(sql, writes, env));
        this.readAudit = new ReadAudit(audit, uow, config.read_audit_flush_ms());
        this.searches = new Searches(sql);
    }

    @Deactivate
    void deactivate() {
        readAudit.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHook(FhirWriteHook hook) {
        hooks.add(hook);
    }

    void removeHook(FhirWriteHook hook) {
        hooks.remove(hook);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addExtension(SearchExtension ext) {
        extensions.add(ext);
    }

    void removeExtension(SearchExtension ext) {
        extensions.remove(ext);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(FhirScopePolicy policy) {
        policies.add(policy);
    }

    void removePolicy(FhirScopePolicy policy) {
        policies.remove(policy);
    }

    // ---- reads

    @Override
    public Resource read(Caller caller, String type, String id) {
        return materialize(readRow(caller, type, id));
    }

    @Override
    public JsonResource readJson(Caller caller, String type, String id) {
        Row row = readRow(caller, type, id);
        return new JsonResource(type, id, Integer.toString(row.version()), row.lastUpdated(), json(row));
    }

    /** The current, visible, not deleted row of a read, audited. */
    private Row readRow(Caller caller, String type, String id) {
        Access access = enter(caller, type, Interaction.READ);
        Row row = visibleRow(access, type, id).orElseThrow(() -> FhirException.notFound(type, id));
        if (row.deleted()) {
            throw FhirException.of(
                    410, OperationOutcome.IssueType.DELETED, null, "Resource " + type + "/" + id + " was deleted");
        }
        readAudit.read(caller, "fhir.resource.read", type, id, null, 1);
        return row;
    }

    /**
     * A row as the JSON the caller gets: the stored body as it is for a nominative reader (it was written with its id
     * and meta), the de-identified resource for a pseudonymised one; a Group with its members.
     */
    String json(Row row) {
        if (row.nominative() && !"Group".equals(row.type())) {
            return row.body();
        }
        return Bodies.write(materialize(row));
    }

    @Override
    public Resource vread(Caller caller, String type, String id, long version) {
        Access access = enter(caller, type, Interaction.VREAD);
        Row cur = visibleRow(access, type, id).orElseThrow(() -> FhirException.notFound(type, id));
        Row row;
        if (cur.version() == version) {
            row = cur;
        } else {
            row = sql.one(
                            "SELECT h.patient_key, h.res_pk, ?::text, ?::text, h.version, h.last_updated, h.deleted,"
                                    + " h.body FROM " + S + ".resource_history h WHERE h.res_pk = ? AND h.version = ?",
                            rs -> Row.read(rs, cur.nominative()),
                            type,
                            id,
                            cur.resPk(),
                            (int) version)
                    .orElseThrow(() -> FhirException.of(
                            404,
                            OperationOutcome.IssueType.NOTFOUND,
                            null,
                            "No version " + version + " of " + type + "/" + id));
        }
        if (row.deleted()) {
            throw FhirException.of(
                    410,
                    OperationOutcome.IssueType.DELETED,
                    null,
                    "Version " + version + " of " + type + "/" + id + " is a deletion");
        }
        readAudit.read(caller, "fhir.resource.vread", type, id, null, 1);
        return materialize(row);
    }

    @Override
    public Bundle search(Caller caller, String type, SearchRequest request) {
        return searchPage(caller, type, request).materialized(this::materialize);
    }

    @Override
    public String searchJson(Caller caller, String type, SearchRequest request) {
        return searchPage(caller, type, request).json(this::json);
    }

    /** A search's page, its resources still rows, audited. */
    private Searches.Page searchPage(Caller caller, String type, SearchRequest request) {
        Access access = enter(caller, type, type == null ? Interaction.SEARCH_SYSTEM : Interaction.SEARCH_TYPE);
        Query q = compiler(access).compile(type, request.parameters(), request.lenient());
        Searches.Page page =
                searches.run(access, q, request.baseUrl(), type == null ? "" : "/" + type, request.parameters());
        readAudit.read(
                caller,
                "fhir.resource.search",
                type,
                null,
                describe(request),
                page.bundle().getEntry().size());
        return page;
    }

    @Override
    public Bundle page(Caller caller, String token, String baseUrl) {
        throw FhirException.badRequest("_cursor", "Page links carry their search: follow them as they are");
    }

    @Override
    public Bundle everything(Caller caller, String patientId, SearchRequest request) {
        Access access = enter(caller, "Patient", Interaction.OPERATION);
        Row patient = visibleRow(access, "Patient", patientId)
                .filter(r -> !r.deleted())
                .orElseThrow(() -> FhirException.notFound("Patient", patientId));
        List<Map.Entry<String, String>> rest = new ArrayList<>();
        for (Map.Entry<String, String> e : request.parameters()) {
            if (SearchCompiler.RESULT.contains(e.getKey()) || e.getKey().equals("_cursor")) {
                rest.add(e);
            }
        }
        Query q = compiler(access).compile(null, rest, false);
        q.where.add("r.patient_key = ?");
        q.params.add(patient.patientKey());
        if (rest.stream().noneMatch(e -> e.getKey().equals("_count"))) {
            q.count = config.max_count();
        }
        Bundle b = searches.run(access, q, request.baseUrl(), "/Patient/" + patientId + "/$everything", rest)
                .materialized(this::materialize);
        readAudit.read(
                caller,
                "fhir.patient.everything",
                "Patient",
                patientId,
                null,
                b.getEntry().size());
        return b;
    }

    @Override
    public Bundle history(Caller caller, String type, String id, SearchRequest request) {
        Access access = enter(caller, type, id != null ? Interaction.HISTORY_INSTANCE : Interaction.HISTORY_TYPE);
        int count = config.default_count();
        java.sql.Timestamp since = null;
        for (Map.Entry<String, String> e : request.parameters()) {
            switch (e.getKey()) {
                case "_count" -> count = Math.min(Integer.parseInt(e.getValue()), config.max_count());
                case "_since" -> since = new java.sql.Timestamp(
                        (long) DateRange.parse("_since", e.getValue()).low());
                default -> throw FhirException.badRequest(e.getKey(), "Unknown history parameter " + e.getKey());
            }
        }
        List<Object> p = new ArrayList<>();
        String nominative = access.nominativeColumn("r", p);
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object> wp = new ArrayList<>();
        if (id != null) {
            Row cur = visibleRow(access, type, id).orElseThrow(() -> FhirException.notFound(type, id));
            where.append(" AND r.res_pk = ?");
            wp.add(cur.resPk());
        } else if (type != null) {
            where.append(" AND r.rtype = ?");
            wp.add(type);
        }
        where.append(" AND ").append(access.visible("r", wp));
        if (since != null) {
            where.append(" AND v.last_updated >= ?");
            wp.add(since);
        }
        List<Object> all = new ArrayList<>(p);
        all.addAll(wp);
        List<Object> p2 = new ArrayList<>();
        String nominative2 = access.nominativeColumn("r", p2);
        all.addAll(p2);
        all.addAll(wp);
        String current = "SELECT r.patient_key, r.res_pk, r.rtype, r.id, r.version AS version, r.last_updated AS"
                + " last_updated, r.deleted, r.body, " + nominative + " FROM " + S + ".resource r"
                + where.toString().replace("v.last_updated", "r.last_updated");
        String older = "SELECT v.patient_key, v.res_pk, r.rtype, r.id, v.version, v.last_updated, v.deleted, v.body, "
                + nominative2 + " FROM " + S + ".resource_history v JOIN " + S
                + ".resource r ON r.res_pk = v.res_pk" + where;
        List<Row> rows = sql.list(
                "SELECT * FROM (" + current + " UNION ALL " + older + ") x ORDER BY last_updated DESC, version DESC"
                        + " LIMIT " + count,
                Row::readWithFlag,
                all.toArray());
        Bundle b = new Bundle().setType(BundleType.HISTORY);
        b.addLink()
                .setRelation(Bundle.LinkRelationTypes.SELF)
                .setUrl(Searches.link(
                        request.baseUrl(),
                        (type == null ? "" : "/" + type) + (id == null ? "" : "/" + id) + "/_history",
                        request.parameters(),
                        null));
        for (Row row : rows) {
            BundleEntryComponent e = b.addEntry().setFullUrl(request.baseUrl() + "/" + row.ref());
            e.getRequest()
                    .setMethod(row.deleted() ? HTTPVerb.DELETE : row.version() == 1 ? HTTPVerb.POST : HTTPVerb.PUT)
                    .setUrl(row.version() == 1 ? row.type() : row.ref());
            e.getResponse()
                    .setStatus(row.deleted() ? "204 No Content" : row.version() == 1 ? "201 Created" : "200 OK")
                    .setEtag("W/\"" + row.version() + "\"");
            if (!row.deleted()) {
                e.setResource(materialize(row));
            }
        }
        readAudit.read(caller, "fhir.resource.history", type, id, null, rows.size());
        return b;
    }

    // ---- writes

    @Override
    public WriteOutcome create(Caller caller, Resource resource, WriteOptions options) {
        String type = resource.fhirType();
        Access access = enterWrite(caller, type, Interaction.CREATE);
        return writes.write(WHAT, tx -> {
            if (options.ifNoneExist() != null) {
                Optional<WriteOutcome> match = conditionalMatch(tx, access, type, options.ifNoneExist());
                if (match.isPresent()) {
                    return match.get();
                }
            }
            WriteBatch batch = WriteBatch.single();
            WriteOutcome out = writer.put(tx, caller, Interaction.CREATE, type, Writer.newId(), resource, null, batch);
            ensureVisible(tx, access, type, out.id());
            Writer.audit(tx, caller, "fhir.resource.create", type, out.id(), out.version());
            return out;
        });
    }

    @Override
    public WriteOutcome update(Caller caller, String type, String id, Resource resource, WriteOptions options) {
        Access access = enterWrite(caller, type, Interaction.UPDATE);
        checkId(type, id, resource);
        return writes.write(WHAT, tx -> {
            ensureWritable(tx, access, type, id);
            WriteOutcome out = writer.put(
                    tx, caller, Interaction.UPDATE, type, id, resource, options.ifMatch(), WriteBatch.single());
            ensureVisible(tx, access, type, id);
            Writer.audit(
                    tx,
                    caller,
                    out.created() ? "fhir.resource.create" : "fhir.resource.update",
                    type,
                    id,
                    out.version());
            return out;
        });
    }

    @Override
    public WriteOutcome patch(Caller caller, String type, String id, String jsonPatch, WriteOptions options) {
        Access access = enterWrite(caller, type, Interaction.PATCH);
        Row row = visibleRow(access, type, id)
                .filter(r -> !r.deleted())
                .orElseThrow(() -> FhirException.notFound(type, id));
        Resource patched = JsonPatch.apply(materialize(row), jsonPatch);
        checkId(type, id, patched);
        String ifMatch = options.ifMatch() != null ? options.ifMatch() : Integer.toString(row.version());
        return writes.write(WHAT, tx -> {
            WriteOutcome out =
                    writer.put(tx, caller, Interaction.PATCH, type, id, patched, ifMatch, WriteBatch.single());
            ensureVisible(tx, access, type, id);
            Writer.audit(tx, caller, "fhir.resource.patch", type, id, out.version());
            return out;
        });
    }

    @Override
    public WriteOutcome delete(Caller caller, String type, String id, WriteOptions options) {
        Access access = enterWrite(caller, type, Interaction.DELETE);
        return writes.write(WHAT, tx -> {
            ensureWritable(tx, access, type, id);
            WriteOutcome out = writer.delete(tx, caller, type, id, options.ifMatch(), WriteBatch.single());
            if (out.version() > 0) {
                Writer.audit(tx, caller, "fhir.resource.delete", type, id, out.version());
            }
            return out;
        });
    }

    @Override
    public WriteOutcome conditionalUpdate(
            Caller caller, String type, String criteria, Resource resource, WriteOptions options) {
        Access access = enterWrite(caller, type, Interaction.UPDATE);
        return writes.write(WHAT, tx -> {
            lockCriteria(tx, type, criteria);
            List<String> ids = matchIds(access, type, criteria, 2);
            if (ids.size() > 1) {
                throw FhirException.of(
                        412,
                        OperationOutcome.IssueType.MULTIPLEMATCHES,
                        null,
                        "The criteria match more than one " + type);
            }
            String id = ids.isEmpty()
                    ? (resource.hasIdElement() && resource.getIdPart() != null ? resource.getIdPart() : Writer.newId())
                    : ids.get(0);
            ensureWritable(tx, access, type, id);
            WriteOutcome out = writer.put(
                    tx, caller, Interaction.UPDATE, type, id, resource, options.ifMatch(), WriteBatch.single());
            ensureVisible(tx, access, type, id);
            Writer.audit(
                    tx,
                    caller,
                    out.created() ? "fhir.resource.create" : "fhir.resource.update",
                    type,
                    id,
                    out.version());
            return out;
        });
    }

    @Override
    public WriteOutcome conditionalDelete(Caller caller, String type, String criteria, WriteOptions options) {
        Access access = enterWrite(caller, type, Interaction.DELETE);
        return writes.write(WHAT, tx -> {
            List<String> ids = matchIds(access, type, criteria, 2);
            if (ids.size() > 1) {
                throw FhirException.of(
                        412,
                        OperationOutcome.IssueType.MULTIPLEMATCHES,
                        null,
                        "The criteria match more than one " + type);
            }
            if (ids.isEmpty()) {
                return new WriteOutcome(null, type, null, 0, writer.now(), false);
            }
            WriteOutcome out = writer.delete(tx, caller, type, ids.get(0), options.ifMatch(), WriteBatch.single());
            Writer.audit(tx, caller, "fhir.resource.delete", type, ids.get(0), out.version());
            return out;
        });
    }

    @Override
    public Bundle transaction(Caller caller, Bundle bundle, String baseUrl) {
        if (bundle.getType() != BundleType.TRANSACTION && bundle.getType() != BundleType.BATCH) {
            throw FhirException.badRequest("Bundle.type", "A Bundle posted to the base is a transaction or a batch");
        }
        if (bundle.getEntry().size() > config.max_bundle_entries()) {
            throw FhirException.of(
                    413,
                    OperationOutcome.IssueType.TOOCOSTLY,
                    "Bundle.entry",
                    "A Bundle holds at most " + config.max_bundle_entries() + " entries");
        }
        return new Transactions(this, writer, writes, baseUrl, new Access(caller)).run(bundle);
    }

    @Override
    public long expunge(Caller caller, String type, String id, boolean patientCompartment) {
        if (!new Access(caller).fhirAdmin()) {
            throw FhirException.forbidden("Erasing resources needs the right " + Access.ADMIN);
        }
        return writes.write(WHAT, tx -> {
            Optional<long[]> loc = tx.sql()
                    .one(
                            "SELECT patient_key, res_pk FROM " + S + ".resource_id WHERE rtype = ? AND id = ?"
                                    + " FOR UPDATE",
                            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                            type,
                            id);
            if (loc.isEmpty()) {
                throw FhirException.notFound(type, id);
            }
            long n;
            if (patientCompartment && "Patient".equals(type)) {
                long pk = loc.get()[1];
                n = tx.update("DELETE FROM " + S + ".resource_history WHERE patient_key = ?", pk)
                        + tx.update(
                                "DELETE FROM " + S + ".resource_history WHERE res_pk IN (SELECT res_pk FROM " + S
                                        + ".resource WHERE patient_key = ?)",
                                pk);
                tx.update("DELETE FROM " + S + ".resource_id WHERE patient_key = ?", pk);
                n += tx.update("DELETE FROM " + S + ".resource WHERE patient_key = ?", pk);
                tx.update("DELETE FROM " + S + ".patient_organization WHERE patient_key = ?", pk);
                tx.update("DELETE FROM " + S + ".patient_perimeter WHERE patient_key = ?", pk);
                tx.update("DELETE FROM " + S + ".opposed_patient WHERE patient_key = ?", pk);
                tx.update("DELETE FROM " + S + ".group_member WHERE member_ref = ?", "Patient/" + id);
            } else {
                long pk = loc.get()[1];
                n = tx.update("DELETE FROM " + S + ".resource_history WHERE res_pk = ?", pk);
                n += tx.update("DELETE FROM " + S + ".resource WHERE patient_key = ? AND res_pk = ?", loc.get()[0], pk);
                tx.update("DELETE FROM " + S + ".resource_id WHERE res_pk = ?", pk);
                tx.update(
                        "DELETE FROM " + S + ".group_member WHERE group_pk = ? OR member_ref = ?", pk, type + "/" + id);
                if (type.equals("Encounter")) {
                    tx.update(
                            "DELETE FROM " + S + ".patient_organization WHERE source = ? AND patient_key = ?",
                            "encounter:" + pk,
                            loc.get()[0]);
                }
            }
            tx.audit(
                    caller,
                    AuditEvent.success("fhir.resource.expunge", "fhir." + type, id)
                            .with("versions", n)
                            .with("compartment", patientCompartment));
            return n;
        });
    }

    @Override
    public Optional<String> idByIdentifier(Caller caller, String type, String system, String value) {
        Access access = enter(caller, type, Interaction.SEARCH_TYPE);
        List<String> ids = matchIds(
                access,
                type,
                "identifier="
                        + java.net.URLEncoder.encode(system + "|" + value, java.nio.charset.StandardCharsets.UTF_8),
                1);
        return ids.stream().findFirst();
    }

    // ---- query compiler (the cohort engine)

    @Override
    public CompiledQuery resources(Caller caller, String type, String query) {
        return compiled(caller, type, query, "r.res_pk");
    }

    @Override
    public CompiledQuery patients(Caller caller, String type, String query) {
        return compiled(caller, type, query, "DISTINCT r.patient_key");
    }

    @Override
    public String patientTable() {
        return "SELECT res_pk AS patient_key, id FROM " + S + ".resource_id WHERE rtype = 'Patient'";
    }

    private CompiledQuery compiled(Caller caller, String type, String query, String column) {
        Access access = enter(caller, type, Interaction.SEARCH_TYPE);
        Query q = compiler(access).compile(type, QueryStrings.parse(query), false);
        if (!q.includes.isEmpty() || !q.revincludes.isEmpty() || q.sorted()) {
            throw FhirException.badRequest(
                    "query", "A compiled query selects resources: no _include, _revinclude or _sort");
        }
        List<Object> p = new ArrayList<>();
        p.add(type);
        p.addAll(q.params);
        String visible = access.visible("r", p);
        String sql = "SELECT " + column + " FROM " + S + ".resource r WHERE NOT r.deleted AND r.rtype = ? AND "
                + q.whereSql() + " AND " + visible
                + ("DISTINCT r.patient_key".equals(column) ? " AND r.patient_key <> 0" : "");
        return new CompiledQuery(sql, p, type);
    }

    // ---- cursor and patient links

    @Override
    public long stream(Caller caller, String type, String groupId, Consumer<Resource> sink) {
        Access access = enter(caller, type, Interaction.SEARCH_TYPE);
        long after = 0;
        long n = 0;
        while (true) {
            List<Object> p = new ArrayList<>();
            String nominative = access.nominativeColumn("r", p);
            StringBuilder where = new StringBuilder(" WHERE NOT r.deleted AND r.res_pk > ?");
            p.add(after);
            if (type != null) {
                where.append(" AND r.rtype = ?");
                p.add(type);
            }
            if (groupId != null) {
                where.append(" AND r.patient_key IN (SELECT ri.res_pk FROM ")
                        .append(S)
                        .append(".resource g JOIN ")
                        .append(S)
                        .append(".group_member gm ON gm.group_pk = g.res_pk JOIN ")
                        .append(S)
                        .append(".resource_id ri ON 'Patient/' || ri.id = gm.member_ref AND ri.rtype = 'Patient'")
                        .append(" WHERE g.rtype = 'Group' AND g.id = ? AND NOT gm.inactive)");
                p.add(groupId);
            }
            where.append(" AND ").append(access.visible("r", p));
            List<Row> rows = sql.list(
                    "SELECT " + Row.columns("r") + ", " + nominative + " FROM " + S + ".resource r" + where
                            + " ORDER BY r.res_pk LIMIT 1000",
                    Row::readWithFlag,
                    p.toArray());
            for (Row r : rows) {
                sink.accept(materialize(r));
                n++;
            }
            if (rows.size() < 1000) {
                break;
            }
            after = rows.get(rows.size() - 1).resPk();
        }
        readAudit.read(caller, "fhir.resource.stream", type, groupId, null, n);
        return n;
    }

    @Override
    public void link(String patientId, long perimeterId, String source) {
        writes.run(WHAT, tx -> {
            long pk = tx.sql()
                    .one(
                            "SELECT res_pk FROM " + S + ".resource_id WHERE rtype = 'Patient' AND id = ?",
                            rs -> rs.getLong(1),
                            patientId)
                    .orElseThrow(() -> FhirException.notFound("Patient", patientId));
            tx.update(
                    "INSERT INTO " + S + ".patient_perimeter (patient_key, perimeter_id, source) VALUES (?, ?, ?)"
                            + " ON CONFLICT DO NOTHING",
                    pk,
                    perimeterId,
                    source);
        });
    }

    @Override
    public boolean unlink(String patientId, long perimeterId, String source) {
        return writes.write(
                WHAT,
                tx -> tx.update(
                                "DELETE FROM " + S + ".patient_perimeter WHERE patient_key = (SELECT res_pk FROM " + S
                                        + ".resource_id WHERE rtype = 'Patient' AND id = ?) AND perimeter_id = ? AND source = ?",
                                patientId,
                                perimeterId,
                                source)
                        > 0);
    }

    // ---- de-identification, limits, internals shared with the shell and the import

    @Override
    public Resource deidentify(Resource resource) {
        return deid.deidentify(resource);
    }

    @Override
    public boolean searchable(String type, String code) {
        return deid.searchable(type, code);
    }

    @Override
    public long maxBodyBytes() {
        return config.max_body_bytes();
    }

    @Override
    public Sql sql() {
        return sql;
    }

    @Override
    public Writes writes() {
        return writes;
    }

    @Override
    public Writer writer() {
        return writer;
    }

    @Override
    public ParamLookup params() {
        return params;
    }

    @Override
    public WriteOutcome importPut(Writes.Tx tx, Caller caller, Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdPart();
        return writer.put(tx, caller, Interaction.UPDATE, type, id, resource, null, new WriteBatch(true, true));
    }

    @Override
    public List<String> matchAll(String type, String criteria, int limit) {
        return matchIds(new Access(IMPORT), type, criteria, limit);
    }

    @Override
    public boolean runWriteHooks(org.karyo.fhir.api.WriteEvent event) {
        boolean any = false;
        for (FhirWriteHook hook : hooks) {
            hook.beforeWrite(event);
            any = true;
        }
        return any;
    }

    Access enter(Caller caller, String type, Interaction interaction) {
        Access access = new Access(caller);
        if (type != null) {
            Bodies.checkType(type);
        }
        for (FhirScopePolicy p : policies) {
            p.check(caller, type, interaction);
        }
        return access;
    }

    Access enterWrite(Caller caller, String type, Interaction interaction) {
        Access access = enter(caller, type, interaction);
        if (!caller.hasRight(Access.WRITE) && !access.admin()) {
            throw FhirException.forbidden("Writing FHIR resources needs the right " + Access.WRITE);
        }
        return access;
    }

    SearchCompiler compiler(Access access) {
        return new SearchCompiler(
                params,
                modifier -> extensions.stream()
                        .filter(e -> e.modifiers().contains(modifier))
                        .findFirst(),
                new SearchCompiler.Policy() {
                    @Override
                    public void check(String type, String code) {
                        if (access.pseudonymisedSomewhere() && !deid.searchable(type, code)) {
                            throw FhirException.forbidden(
                                    "Searching " + type + " by " + code + " reads what pseudonymised access removes");
                        }
                        if ("Patient".equals(type) && "identifier".equals(code) && !access.searchesByIdentifier()) {
                            throw FhirException.forbidden(
                                    "Searching patients by identifier needs accesses.search_patients_by_ipp");
                        }
                    }

                    @Override
                    public String visible(String alias, List<Object> p) {
                        return access.visible(alias, p);
                    }
                },
                config.default_count(),
                config.max_count(),
                SearchCompiler.todayUtc());
    }

    /** The row of {@code type/id} if the caller may see it (deleted ones included). */
    Optional<Row> visibleRow(Access access, String type, String id) {
        return visibleRow(sql, access, type, id);
    }

    Optional<Row> visibleRow(Sql reader, Access access, String type, String id) {
        List<Object> p = new ArrayList<>();
        String nominative = access.nominativeColumn("r", p);
        p.add(type);
        p.add(id);
        String visible = access.visible("r", p);
        return reader.one(
                "SELECT " + Row.columns("r") + ", " + nominative + " FROM " + S + ".resource_id ri JOIN " + S
                        + ".resource r ON r.patient_key = ri.patient_key AND r.res_pk = ri.res_pk"
                        + " WHERE ri.rtype = ? AND ri.id = ? AND " + visible,
                Row::readWithFlag,
                p.toArray());
    }

    /** The resource a reader gets: the body, a Group's members, pseudonymised when the reader's access says so. */
    Resource materialize(Row row) {
        Resource r = Bodies.read(row.body());
        if (r instanceof Group g) {
            for (String m : sql.list(
                    "SELECT member_ref FROM " + S + ".group_member WHERE group_pk = ? AND NOT inactive ORDER BY"
                            + " member_ref",
                    rs -> rs.getString(1),
                    row.resPk())) {
                g.addMember().setEntity(new org.hl7.fhir.r5.model.Reference(m));
            }
        }
        return row.nominative() ? r : deid.deidentify(r);
    }

    /** The ids of up to {@code limit} resources of {@code type} matching {@code criteria}, visible to the caller. */
    List<String> matchIds(Access access, String type, String criteria, int limit) {
        Query q = compiler(access).compile(type, QueryStrings.parse(criteria), false);
        List<Object> p = new ArrayList<>();
        p.add(type);
        p.addAll(q.params);
        String visible = access.visible("r", p);
        return sql.list(
                "SELECT r.id FROM " + S + ".resource r WHERE NOT r.deleted AND r.rtype = ? AND " + q.whereSql()
                        + " AND " + visible + " LIMIT " + limit,
                rs -> rs.getString(1),
                p.toArray());
    }

    /**
     * Refuses, as unknown (404), a change to a resource that exists but that the caller may not see: writers change
     * only what they read.
     */
    void ensureWritable(Writes.Tx tx, Access access, String type, String id) {
        if (access.admin()) {
            return;
        }
        boolean exists = tx.sql()
                .one("SELECT 1 FROM " + S + ".resource_id WHERE rtype = ? AND id = ?", rs -> 1, type, id)
                .isPresent();
        if (exists && visibleRow(tx.sql(), access, type, id).isEmpty()) {
            throw FhirException.notFound(type, id);
        }
    }

    /**
     * Refuses (422, as an unresolved reference) a write that would put a resource in the compartment of a patient the
     * caller may not see: a writer cannot learn that a patient exists elsewhere, nor add data to it.
     */
    void ensureVisible(Writes.Tx tx, Access access, String type, String id) {
        if (access.admin()) {
            return;
        }
        Optional<Long> patientKey = tx.sql()
                .one(
                        "SELECT patient_key FROM " + S + ".resource_id WHERE rtype = ? AND id = ?",
                        rs -> rs.getLong(1),
                        type,
                        id);
        if (patientKey.isPresent()
                && patientKey.get() != 0
                && visibleRow(tx.sql(), access, type, id).isEmpty()) {
            throw FhirException.unprocessable(
                    type,
                    "The resource refers to a patient that does not resolve on this"
                            + " server for you (a patient of a perimeter you read, through its managing organisation)");
        }
    }

    /** Serialises conditional writes with the same criteria (two concurrent conditional creates make one resource). */
    static void lockCriteria(Writes.Tx tx, String type, String criteria) {
        tx.sql().one("SELECT pg_advisory_xact_lock(?)", rs -> 1, (long) (type + "?" + criteria).hashCode());
    }

    Optional<WriteOutcome> conditionalMatch(Writes.Tx tx, Access access, String type, String criteria) {
        lockCriteria(tx, type, criteria);
        List<String> ids = matchIds(access, type, criteria, 2);
        if (ids.size() > 1) {
            throw FhirException.of(
                    412,
                    OperationOutcome.IssueType.MULTIPLEMATCHES,
                    null,
                    "The If-None-Exist criteria match more than one " + type);
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        Row row = visibleRow(access, type, ids.get(0)).orElseThrow();
        return Optional.of(new WriteOutcome(materialize(row), type, row.id(), row.version(), row.lastUpdated(), false));
    }

    private static void checkId(String type, String id, Resource resource) {
        if (!resource.fhirType().equals(type)) {
            throw FhirException.badRequest("resourceType", "The body is a " + resource.fhirType() + ", not a " + type);
        }
        if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw FhirException.badRequest("id", "A resource id is 1 to 64 letters, digits, '-' and '.'");
        }
        if (resource.getIdPart() != null && !resource.getIdPart().equals(id)) {
            throw FhirException.badRequest("id", "The resource's id (" + resource.getIdPart() + ") is not the URL's");
        }
    }

    private static String describe(SearchRequest r) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : r.parameters()) {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(e.getKey()).append('=').append(e.getValue());
        }
        return s.toString();
    }
}
