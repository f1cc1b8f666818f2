package org.karyo.fhir.impl.internal.store;

import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.hl7.fhir.r5.model.SearchParameter;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.fhir.api.ComputedParameter;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.ParamType;
import org.karyo.fhir.api.SearchParameterInfo;
import org.karyo.fhir.api.SearchParameters;
import org.karyo.fhir.impl.internal.index.IndexExtractor;
import org.karyo.fhir.impl.internal.index.IndexValues;
import org.karyo.fhir.impl.internal.index.SearchParam;
import org.karyo.fhir.impl.internal.index.SearchParamRegistry;
import org.karyo.fhir.impl.internal.index.UnsupportedExpressionException;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's search parameters: every built-in R5 one (from HAPI's model, generated from the R5 SearchParameter
 * definitions), the SearchParameter resources registered at runtime (kept in {@code karyo_fhir.search_parameter} and
 * loaded at start), and parameters computed at query time (Cohort360's {@code age-day} and {@code age-month} on
 * Patient are built in).
 */
@Component(service = {SearchParameters.class, Indexing.class})
public final class SearchParametersImpl implements SearchParameters, Indexing, ParamLookup {
    private static final Logger LOG = LoggerFactory.getLogger(SearchParametersImpl.class);
    private static final String S = Schema.NAME;

    private final SearchParamRegistry registry = new SearchParamRegistry();
    private final IndexExtractor extractor = new IndexExtractor(registry);
    private final Map<String, ParamDef> computed = new ConcurrentHashMap<>();
    /** The index format this code writes: 2 adds the range bucket keys (migration V3). */
    static final int INDEX_FORMAT = 2;

    private final Sql sql;
    private final Writes writes;
    private volatile int indexFormat;
    private volatile long formatReadAt;

    @Activate
    public SearchParametersImpl(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=fhir)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit) {
        this(dataSource, uow, audit);
    }

    SearchParametersImpl(DataSource dataSource, UnitOfWork uow, AuditTrail audit) {
        this.sql = new Sql(dataSource, Schema.MODULE);
        this.writes = Writes.statements(uow, sql, audit);
        registerComputed("Patient", "age-day", ParamType.NUMBER, ageIn("days"));
        registerComputed("Patient", "age-month", ParamType.NUMBER, ageIn("months"));
        int loaded = 0;
        for (String body :
                sql.list("SELECT body FROM " + S + ".search_parameter ORDER BY created_at", rs -> rs.getString(1))) {
            try {
                registry.register((SearchParameter) Bodies.read(body));
                loaded++;
            } catch (RuntimeException e) {
                LOG.warn("A stored SearchParameter could not be registered again: {}", e.getMessage());
            }
        }
        LOG.info("FHIR search parameters ready ({} runtime parameters loaded)", loaded);
        reloadIndexFormat();
        if (indexFormat < INDEX_FORMAT) {
            LOG.warn(
                    "The FHIR search index is at format {} (current {}): range searches run without their bucket keys"
                            + " until a reindex has rewritten every row (karyo:fhir-reindex)",
                    indexFormat,
                    INDEX_FORMAT);
        }
    }

    /** {@code age-day=ge3082}: born at least 3082 days ago, that is {@code birthdate=le<today − 3082 days>}. */
    static ComputedParameter ageIn(String unit) {
        return (prefix, value, today) -> {
            long n;
            try {
                n = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw FhirException.badRequest(
                        "age-" + unit.substring(0, unit.length() - 1), "An age is a whole number of " + unit);
            }
            LocalDate d = unit.equals("days") ? today.minusDays(n) : today.minusMonths(n);
            String p =
                    switch (prefix) {
                        case "ge" -> "le";
                        case "le" -> "ge";
                        case "gt" -> "lt";
                        case "lt" -> "gt";
                        case "", "eq" -> "eq";
                        case "ne" -> "ne";
                        default -> throw FhirException.badRequest(
                                "age", "The prefix " + prefix + " does not apply to an age");
                    };
            return new AbstractMap.SimpleImmutableEntry<>("birthdate", p + d);
        };
    }

    @Override
    public IndexExtractor extractor() {
        return extractor;
    }

    @Override
    public ParamLookup params() {
        return this;
    }

    // ---- ParamLookup

    @Override
    public Optional<ParamDef> find(String type, String code) {
        ParamDef c = computed.get(type + "#" + code);
        if (c != null) {
            return Optional.of(c);
        }
        return registry.find(type, code).map(SearchParametersImpl::def);
    }

    @Override
    public List<ParamDef> all(String type) {
        List<ParamDef> out = new ArrayList<>();
        for (SearchParam p : registry.forType(type)) {
            out.add(def(p));
        }
        return out;
    }

    @Override
    public double paramId(String key) {
        return IndexValues.paramId(key);
    }

    @Override
    public String normalize(String value) {
        return IndexValues.normalize(value);
    }

    @Override
    public List<String> derivedFrom(String type, String code) {
        return registry.derivedFrom(type, code);
    }

    @Override
    public boolean rangeBuckets() {
        if (indexFormat >= INDEX_FORMAT) {
            return true;
        }
        // another node of the site may have finished the reindex: look again at most every 10 s
        long now = System.nanoTime();
        if (now - formatReadAt > 10_000_000_000L) {
            formatReadAt = now;
            indexFormat = readIndexFormat();
        }
        return indexFormat >= INDEX_FORMAT;
    }

    @Override
    public void indexFormatCurrent() {
        writes.write(
                "FHIR index format",
                tx -> tx.update("UPDATE " + S + ".index_format SET version = ? WHERE id = 1", INDEX_FORMAT));
        indexFormat = INDEX_FORMAT;
        LOG.info("FHIR search index at format {}: range searches use the bucket keys", INDEX_FORMAT);
    }

    /** Reads the index format again now (at start, and in tests of an upgraded store). */
    public void reloadIndexFormat() {
        indexFormat = readIndexFormat();
        formatReadAt = System.nanoTime();
    }

    private int readIndexFormat() {
        return (int) sql.count("SELECT coalesce(max(version), 1) FROM " + S + ".index_format");
    }

    private static ParamDef def(SearchParam p) {
        List<String> components = new ArrayList<>();
        for (SearchParam.Component c : p.components()) {
            components.add(c.code());
        }
        return new ParamDef(
                p.resourceType(),
                p.code(),
                ParamType.valueOf(p.type().name()),
                p.expression(),
                p.targets(),
                null,
                components);
    }

    // ---- SearchParameters

    @Override
    public List<SearchParameterInfo> list(String type) {
        List<SearchParameterInfo> out = new ArrayList<>();
        for (String t : type == null ? registry.resourceTypes() : List.of(type)) {
            for (SearchParam p : registry.forType(t)) {
                if (computed.containsKey(t + "#" + p.code())) {
                    continue;
                }
                out.add(new SearchParameterInfo(
                        t,
                        p.code(),
                        ParamType.valueOf(p.type().name()),
                        p.expression(),
                        p.url(),
                        p.url() != null && !p.url().startsWith("http://hl7.org/fhir/SearchParameter/"),
                        false,
                        p.targets()));
            }
        }
        for (ParamDef d : computed.values()) {
            if (type == null || type.equals(d.resourceType())) {
                out.add(new SearchParameterInfo(
                        d.resourceType(), d.code(), d.type(), null, null, true, true, List.of()));
            }
        }
        return out;
    }

    @Override
    public SearchParameterInfo register(SearchParameter parameter) {
        List<SearchParam> made;
        try {
            made = registry.register(parameter);
        } catch (UnsupportedExpressionException e) {
            throw FhirException.unprocessable("SearchParameter.expression", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw FhirException.unprocessable("SearchParameter", e.getMessage());
        }
        if (made.isEmpty()) {
            throw FhirException.unprocessable("SearchParameter.base", "The parameter applies to no resource type");
        }
        List<String> bases = new ArrayList<>();
        for (SearchParam p : made) {
            bases.add(p.resourceType());
        }
        String url = parameter.hasUrl() ? parameter.getUrl() : "urn:karyo:sp:" + parameter.getCode();
        writes.run(
                "search parameter",
                tx -> tx.update(
                        "INSERT INTO " + S + ".search_parameter (url, code, base, body) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (url) DO UPDATE SET code = excluded.code, base = excluded.base,"
                                + " body = excluded.body",
                        url,
                        parameter.getCode(),
                        tx.sql().raw(c -> c.createArrayOf("text", bases.toArray())),
                        Bodies.write(parameter)));
        SearchParam first = made.get(0);
        return new SearchParameterInfo(
                first.resourceType(),
                first.code(),
                ParamType.valueOf(first.type().name()),
                first.expression(),
                url,
                true,
                false,
                first.targets());
    }

    @Override
    public SearchParameterInfo registerComputed(
            String type, String code, ParamType paramType, ComputedParameter parameter) {
        registry.registerComputed(
                type, code, org.karyo.fhir.impl.internal.index.ParamType.valueOf(paramType.name()), r -> List.of());
        computed.put(type + "#" + code, new ParamDef(type, code, paramType, null, List.of(), parameter, List.of()));
        return new SearchParameterInfo(type, code, paramType, null, null, true, true, List.of());
    }

    @Override
    public boolean remove(String url) {
        List<String[]> rows = sql.list(
                "SELECT code, unnest(base) FROM " + S + ".search_parameter WHERE url = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)},
                url);
        if (rows.isEmpty()) {
            return false;
        }
        for (String[] r : rows) {
            registry.remove(r[1], r[0]);
        }
        writes.run("search parameter", tx -> tx.update("DELETE FROM " + S + ".search_parameter WHERE url = ?", url));
        return true;
    }
}
