package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.InstitutionService;
import org.karyo.projects.api.InstitutionUpdate;
import org.karyo.projects.api.Investigator;
import org.karyo.projects.api.InvestigatorUpdate;
import org.karyo.projects.api.NewInstitution;
import org.karyo.projects.api.NewInvestigator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InstitutionService} on PostgreSQL: writes through the {@code karyo-projects} persistence unit inside the
 * platform's unit of work, reads in plain SQL ({@link Reads}). Creating an institution attaches its perimeter node
 * (type {@value #NODE_TYPE}) in the same unit of work.
 */
@Component(service = InstitutionService.class)
public final class InstitutionServiceImpl implements InstitutionService {

    static final String NODE_TYPE = "institution";
    private static final Logger LOG = LoggerFactory.getLogger(InstitutionServiceImpl.class);
    private static final String WHAT = "institution";
    private static final String INVESTIGATOR = "investigator";
    private static final Map<String, String> INSTITUTION_ORDER =
            Map.of("code", "i.code", "name", "i.name", "created_at", "i.created_at");
    private static final Map<String, String> INVESTIGATOR_ORDER =
            Map.of("last_name", "v.last_name", "first_name", "v.first_name", "created_at", "v.created_at");

    private final Tx tx;
    private final Sql sql;
    private final AuditTrail audit;
    private final PerimeterService perimeters;
    private final ProjectsSettings settings;

    @Activate
    public InstitutionServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-projects)") JpaTemplate jpa,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=projects)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference PerimeterService perimeters,
            @Reference ProjectsSettings settings) {
        this(jpa, dataSource, uow, audit, perimeters, settings);
        LOG.info("Institution service active (schema {} at version {})", schema.schema(), schema.version());
    }

    InstitutionServiceImpl(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            PerimeterService perimeters,
            ProjectsSettings settings) {
        this.tx = new Tx(jpa, uow);
        this.sql = new Sql(dataSource);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.perimeters = Objects.requireNonNull(perimeters, "perimeters");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // ---- institutions ---------------------------------------------------------------------------------------------

    @Override
    public Page<Institution> list(Caller caller, String search, PageRequest page) {
        Paging.check(page, settings.maxPageSize(), INSTITUTION_ORDER.keySet());
        String term = Rules.search(search);
        Scope scope = Access.visibleScope(caller);
        if (scope.isEmpty()) {
            return Paging.empty(page);
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        Paging.scope(where, params, "i.perimeter_id", scope);
        if (term != null) {
            where.append(" AND (i.code ILIKE ? OR i.name ILIKE ?)");
            params.add(Sql.contains(term));
            params.add(Sql.contains(term));
        }
        return Reads.page(
                sql, Reads.INSTITUTIONS, where.toString(), params, page, INSTITUTION_ORDER, "i.id", Reads::institution);
    }

    @Override
    public Institution get(Caller caller, long id) {
        Institution i = find(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
        Access.requireVisible(caller, i.perimeterId(), WHAT, id);
        return i;
    }

    @Override
    public Institution create(Caller caller, NewInstitution institution) {
        Rules.InstitutionInput in = Rules.institution(institution);
        Long parent = institution.parentPerimeterId();
        if (parent == null) {
            if (!caller.scope(PROJECT_MANAGE).isAll()) {
                throw KaryoException.forbidden("Only a full administrator creates an institution at the root of the"
                        + " perimeter tree; give parent_perimeter_id to create it under a node where you hold "
                        + PROJECT_MANAGE);
            }
        } else if (!caller.hasRightOn(PROJECT_MANAGE, parent)) {
            throw KaryoException.invalid(
                    "parent_perimeter_id", "is not a perimeter node on which you hold " + PROJECT_MANAGE);
        }
        checkUnique(in, null);
        Institution created = tx.write(WHAT, in.code(), em -> {
            Perimeter node =
                    PerimeterNodes.attach(perimeters, NODE_TYPE, in.code(), in.name(), parent, "parent_perimeter_id");
            InstitutionEntity e = new InstitutionEntity(in.code(), node.id(), now());
            e.assign(in.name(), in.department(), in.address());
            em.persist(e);
            Tx.flush(em, WHAT, in.code());
            audit.record(
                    caller,
                    AuditEvent.success("projects.institution.create", WHAT, e.id())
                            .with("perimeter_id", node.id()));
            return find(e.id()).orElseThrow();
        });
        LOG.debug("Institution {} created by {}", created.id(), caller.id());
        return created;
    }

    @Override
    public Institution update(Caller caller, long id, InstitutionUpdate update, OptionalLong expectedVersion) {
        Institution current = find(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
        Access.require(caller, current.perimeterId(), PROJECT_MANAGE, WHAT, id);
        Rules.InstitutionInput in = Rules.institution(update);
        checkUnique(in, id);
        return tx.write(WHAT, id, em -> {
            InstitutionEntity e = em.find(InstitutionEntity.class, id, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            if (e == null) {
                throw KaryoException.notFound(WHAT, id);
            }
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != e.version()) {
                throw KaryoException.stale(WHAT, id);
            }
            e.assign(in.name(), in.department(), in.address());
            e.touch(now());
            Tx.flush(em, WHAT, id);
            audit.record(caller, AuditEvent.success("projects.institution.update", WHAT, id));
            return find(id).orElseThrow();
        });
    }

    private void checkUnique(Rules.InstitutionInput in, Long self) {
        long other = self == null ? -1 : self;
        if (in.code() != null
                && sql.count(
                                "SELECT count(*) FROM " + Reads.SCHEMA + ".institutions WHERE lower(code) = lower(?)",
                                in.code())
                        > 0) {
            throw KaryoException.conflict("An institution with the code " + in.code() + " already exists");
        }
        if (sql.count(
                        "SELECT count(*) FROM " + Reads.SCHEMA + ".institutions WHERE lower(name) = lower(?)"
                                + " AND lower(coalesce(department, '')) = lower(coalesce(?, '')) AND id <> ?",
                        in.name(),
                        in.department(),
                        other)
                > 0) {
            throw KaryoException.conflict("An institution with this name and department already exists");
        }
        if (in.address() != null
                && sql.count(
                                "SELECT count(*) FROM " + Reads.SCHEMA + ".institutions WHERE lower(address) = lower(?)"
                                        + " AND id <> ?",
                                in.address(),
                                other)
                        > 0) {
            throw KaryoException.conflict("An institution with this address already exists");
        }
    }

    Optional<Institution> find(long id) {
        return sql.one(Reads.INSTITUTIONS.where("i.id = ?"), Reads::institution, id);
    }

    /**
     * The perimeter service refuses a node: a used {@code local_id} is our code's conflict, a missing parent our
     * parent's field.
     */
    // ---- investigators --------------------------------------------------------------------------------------------

    @Override
    public Page<Investigator> investigators(Caller caller, Long institutionId, String search, PageRequest page) {
        Paging.check(page, settings.maxPageSize(), INVESTIGATOR_ORDER.keySet());
        String term = Rules.search(search);
        if (institutionId != null) {
            get(caller, institutionId); // NOT_FOUND when invisible
        }
        Scope scope = Access.visibleScope(caller);
        if (scope.isEmpty()) {
            return Paging.empty(page);
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        Paging.scope(where, params, "i.perimeter_id", scope);
        if (institutionId != null) {
            where.append(" AND v.institution_id = ?");
            params.add(institutionId);
        }
        if (term != null) {
            where.append(" AND (v.first_name ILIKE ? OR v.last_name ILIKE ?)");
            params.add(Sql.contains(term));
            params.add(Sql.contains(term));
        }
        return Reads.page(
                sql,
                Reads.INVESTIGATORS,
                where.toString(),
                params,
                page,
                INVESTIGATOR_ORDER,
                "v.id",
                rs -> Reads.investigator(rs).investigator());
    }

    @Override
    public Investigator investigator(Caller caller, long id) {
        Reads.InvestigatorRow row = findInvestigator(id).orElseThrow(() -> KaryoException.notFound(INVESTIGATOR, id));
        Access.requireVisible(caller, row.perimeterId(), INVESTIGATOR, id);
        return row.investigator();
    }

    @Override
    public Investigator createInvestigator(Caller caller, NewInvestigator investigator) {
        Rules.InvestigatorInput in = Rules.investigator(investigator);
        long institutionId = investigator.institutionId();
        Institution institution = find(institutionId)
                .filter(i -> Access.visible(caller, i.perimeterId()))
                .orElseThrow(() -> KaryoException.invalid("institution_id", "does not exist"));
        Access.require(caller, institution.perimeterId(), PROJECT_MANAGE, WHAT, institutionId);
        checkUniqueInvestigator(institutionId, in, -1);
        return tx.write(INVESTIGATOR, in.lastName(), em -> {
            InvestigatorEntity e = new InvestigatorEntity(institutionId, now());
            e.assign(in.firstName(), in.lastName(), in.email(), in.phone());
            em.persist(e);
            Tx.flush(em, INVESTIGATOR, "new");
            audit.record(
                    caller,
                    AuditEvent.success("projects.investigator.create", INVESTIGATOR, e.id())
                            .with("institution_id", institutionId));
            return findInvestigator(e.id()).orElseThrow().investigator();
        });
    }

    @Override
    public Investigator updateInvestigator(
            Caller caller, long id, InvestigatorUpdate update, OptionalLong expectedVersion) {
        Reads.InvestigatorRow row = findInvestigator(id).orElseThrow(() -> KaryoException.notFound(INVESTIGATOR, id));
        Access.require(caller, row.perimeterId(), PROJECT_MANAGE, INVESTIGATOR, id);
        Rules.InvestigatorInput in = Rules.investigator(update);
        checkUniqueInvestigator(row.investigator().institutionId(), in, id);
        return tx.write(INVESTIGATOR, id, em -> {
            InvestigatorEntity e = lockInvestigator(em, id, expectedVersion, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            e.assign(in.firstName(), in.lastName(), in.email(), in.phone());
            e.touch(now());
            Tx.flush(em, INVESTIGATOR, id);
            audit.record(caller, AuditEvent.success("projects.investigator.update", INVESTIGATOR, id));
            return findInvestigator(id).orElseThrow().investigator();
        });
    }

    @Override
    public void deleteInvestigator(Caller caller, long id, OptionalLong expectedVersion) {
        Reads.InvestigatorRow row = findInvestigator(id).orElseThrow(() -> KaryoException.notFound(INVESTIGATOR, id));
        Access.require(caller, row.perimeterId(), PROJECT_MANAGE, INVESTIGATOR, id);
        tx.write(INVESTIGATOR, id, em -> {
            InvestigatorEntity e = lockInvestigator(em, id, expectedVersion, LockModeType.PESSIMISTIC_WRITE);
            if (sql.count("SELECT count(*) FROM " + Reads.SCHEMA + ".projects WHERE investigator_id = ?", id) > 0) {
                throw KaryoException.conflict("Investigator " + id + " leads projects; give them another first");
            }
            em.remove(e);
            Tx.flush(em, INVESTIGATOR, id);
            audit.record(caller, AuditEvent.success("projects.investigator.delete", INVESTIGATOR, id));
            return id;
        });
    }

    /** The investigator locked for this transaction ({@code PESSIMISTIC_FORCE_INCREMENT} for a new version). */
    private InvestigatorEntity lockInvestigator(EntityManager em, long id, OptionalLong expected, LockModeType mode) {
        InvestigatorEntity e = em.find(InvestigatorEntity.class, id, mode);
        if (e == null) {
            throw KaryoException.notFound(INVESTIGATOR, id);
        }
        if (expected.isPresent() && expected.getAsLong() != e.version()) {
            throw KaryoException.stale(INVESTIGATOR, id);
        }
        return e;
    }

    private void checkUniqueInvestigator(long institutionId, Rules.InvestigatorInput in, long self) {
        if (sql.count(
                        "SELECT count(*) FROM " + Reads.SCHEMA + ".investigators WHERE institution_id = ?"
                                + " AND lower(first_name) = lower(?) AND lower(last_name) = lower(?) AND id <> ?",
                        institutionId,
                        in.firstName(),
                        in.lastName(),
                        self)
                > 0) {
            throw KaryoException.conflict("The institution already has an investigator of this name");
        }
    }

    Optional<Reads.InvestigatorRow> findInvestigator(long id) {
        return sql.one(Reads.INVESTIGATORS.where("v.id = ?"), Reads::investigator, id);
    }

    private Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
