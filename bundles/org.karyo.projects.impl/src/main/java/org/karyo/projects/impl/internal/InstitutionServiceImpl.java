package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
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
 * {@link InstitutionService} by the house rule: reads are {@link Reads} queries, writes go through the module's
 * {@link Writes} ({@link ProjectsStore}). Creating an institution attaches its perimeter node (type
 * {@value #NODE_TYPE}) in the same unit of work, under the node the caller names or else under the site root.
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
    /** The first node of a caller's view of the tree by level: a root. */
    private static final PageRequest FIRST_ROOT = new PageRequest(1, 0, List.of(new Sort("level", false)));

    private final ProjectsStore store;
    private final Sql sql;
    private final Writes writes;
    private final PerimeterService perimeters;

    @Activate
    public InstitutionServiceImpl(@Reference ProjectsStore store, @Reference PerimeterService perimeters) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
        this.writes = store.writes();
        this.perimeters = Objects.requireNonNull(perimeters, "perimeters");
    }

    // ---- institutions ---------------------------------------------------------------------------------------------

    @Override
    public Page<Institution> list(Caller caller, String search, PageRequest page) {
        Select q = Reads.INSTITUTIONS.page(page, store.settings().maxPageSize(), INSTITUTION_ORDER, "i.id");
        String term = Rules.search(search);
        return sql.page(
                q.scope("i.perimeter_id", Access.visibleScope(caller)).search(term, "i.code", "i.name"),
                Reads::institution);
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
        long parent = parentOf(caller, institution.parentPerimeterId());
        checkUnique(in, null);
        Institution created = writes.write(WHAT, tx -> {
            Perimeter node =
                    PerimeterNodes.attach(perimeters, NODE_TYPE, in.code(), in.name(), parent, "parent_perimeter_id");
            InstitutionEntity e = new InstitutionEntity(in.code(), node.id(), store.now());
            e.assign(in.name(), in.department(), in.address());
            tx.persist(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.institution.create", WHAT, e.id())
                            .with("perimeter_id", node.id()));
            return read(tx, e.id());
        });
        LOG.debug("Institution {} created by {}", created.id(), caller.id());
        return created;
    }

    /**
     * The node the institution goes under: the one the caller named, or else the site root (the root of the perimeter
     * tree, the oldest one when there are several), where the caller needs {@code projects.project.manage}.
     */
    private long parentOf(Caller caller, Long named) {
        if (named != null) {
            if (!caller.hasRightOn(PROJECT_MANAGE, named)) {
                throw KaryoException.invalid(
                        "parent_perimeter_id", "is not a perimeter node on which you hold " + PROJECT_MANAGE);
            }
            return named;
        }
        long root = perimeters.list(caller, PerimeterQuery.ALL, FIRST_ROOT).results().stream()
                .filter(p -> p.parentId().isEmpty())
                .map(Perimeter::id)
                .findFirst()
                .orElse(-1L);
        if (root < 0 || !caller.hasRightOn(PROJECT_MANAGE, root)) {
            throw KaryoException.forbidden("Without parent_perimeter_id an institution goes under the root of the"
                    + " perimeter tree, which needs " + PROJECT_MANAGE + " there; give parent_perimeter_id to create it"
                    + " under a node where you hold it");
        }
        return root;
    }

    @Override
    public Institution update(Caller caller, long id, InstitutionUpdate update, OptionalLong expectedVersion) {
        Institution current = find(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
        Access.require(caller, current.perimeterId(), PROJECT_MANAGE, WHAT, id);
        Rules.InstitutionInput in = Rules.institution(update);
        checkUnique(in, id);
        return writes.write(WHAT, tx -> {
            InstitutionEntity e = ProjectsStore.lockForChange(tx, InstitutionEntity.class, id, expectedVersion);
            e.assign(in.name(), in.department(), in.address());
            e.touch(store.now());
            tx.audit(caller, AuditEvent.success("projects.institution.update", WHAT, id));
            return read(tx, id);
        });
    }

    /** CONFLICT naming what is taken, before the write (the unique constraints catch a concurrent one). */
    private void checkUnique(Rules.InstitutionInput in, Long self) {
        long other = self == null ? -1 : self;
        Select institutions = Select.of("i.id", Reads.SCHEMA + ".institutions i");
        if (in.code() != null && sql.exists(institutions.where("lower(i.code) = lower(?)", in.code()))) {
            throw KaryoException.conflict("An institution with the code " + in.code() + " already exists");
        }
        if (sql.exists(institutions
                .where("lower(i.name) = lower(?)", in.name())
                .where("lower(coalesce(i.department, '')) = lower(coalesce(?, ''))", in.department())
                .where("i.id <> ?", other))) {
            throw KaryoException.conflict("An institution with this name and department already exists");
        }
        if (in.address() != null
                && sql.exists(institutions
                        .where("lower(i.address) = lower(?)", in.address())
                        .where("i.id <> ?", other))) {
            throw KaryoException.conflict("An institution with this address already exists");
        }
    }

    Optional<Institution> find(long id) {
        return sql.one(Reads.INSTITUTIONS.eq("i.id", id), Reads::institution);
    }

    private static Institution read(Writes.Tx tx, long id) {
        return tx.sql()
                .one(Reads.INSTITUTIONS.eq("i.id", id), Reads::institution)
                .orElseThrow();
    }

    // ---- investigators --------------------------------------------------------------------------------------------

    @Override
    public Page<Investigator> investigators(Caller caller, Long institutionId, String search, PageRequest page) {
        Select q = Reads.INVESTIGATORS.page(page, store.settings().maxPageSize(), INVESTIGATOR_ORDER, "v.id");
        String term = Rules.search(search);
        if (institutionId != null) {
            get(caller, institutionId); // NOT_FOUND when invisible
        }
        return sql.page(
                q.scope("i.perimeter_id", Access.visibleScope(caller))
                        .eq("v.institution_id", institutionId)
                        .search(term, "v.first_name", "v.last_name"),
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
        return writes.write(INVESTIGATOR, tx -> {
            InvestigatorEntity e = new InvestigatorEntity(institutionId, store.now());
            e.assign(in.firstName(), in.lastName(), in.email(), in.phone());
            tx.persist(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.investigator.create", INVESTIGATOR, e.id())
                            .with("institution_id", institutionId));
            return readInvestigator(tx, e.id());
        });
    }

    @Override
    public Investigator updateInvestigator(
            Caller caller, long id, InvestigatorUpdate update, OptionalLong expectedVersion) {
        Reads.InvestigatorRow row = findInvestigator(id).orElseThrow(() -> KaryoException.notFound(INVESTIGATOR, id));
        Access.require(caller, row.perimeterId(), PROJECT_MANAGE, INVESTIGATOR, id);
        Rules.InvestigatorInput in = Rules.investigator(update);
        checkUniqueInvestigator(row.investigator().institutionId(), in, id);
        return writes.write(INVESTIGATOR, tx -> {
            InvestigatorEntity e = ProjectsStore.lockForChange(tx, InvestigatorEntity.class, id, expectedVersion);
            e.assign(in.firstName(), in.lastName(), in.email(), in.phone());
            e.touch(store.now());
            tx.audit(caller, AuditEvent.success("projects.investigator.update", INVESTIGATOR, id));
            return readInvestigator(tx, id);
        });
    }

    @Override
    public void deleteInvestigator(Caller caller, long id, OptionalLong expectedVersion) {
        Reads.InvestigatorRow row = findInvestigator(id).orElseThrow(() -> KaryoException.notFound(INVESTIGATOR, id));
        Access.require(caller, row.perimeterId(), PROJECT_MANAGE, INVESTIGATOR, id);
        writes.run(INVESTIGATOR, tx -> {
            InvestigatorEntity e = tx.lock(InvestigatorEntity.class, id, expectedVersion);
            if (tx.sql().exists(Select.of("p.id", Reads.SCHEMA + ".projects p").eq("p.investigator_id", id))) {
                throw KaryoException.conflict("Investigator " + id + " leads projects; give them another first");
            }
            tx.remove(e);
            tx.audit(caller, AuditEvent.success("projects.investigator.delete", INVESTIGATOR, id));
        });
    }

    private void checkUniqueInvestigator(long institutionId, Rules.InvestigatorInput in, long self) {
        if (sql.exists(Select.of("v.id", Reads.SCHEMA + ".investigators v")
                .eq("v.institution_id", institutionId)
                .where("lower(v.first_name) = lower(?)", in.firstName())
                .where("lower(v.last_name) = lower(?)", in.lastName())
                .where("v.id <> ?", self))) {
            throw KaryoException.conflict("The institution already has an investigator of this name");
        }
    }

    Optional<Reads.InvestigatorRow> findInvestigator(long id) {
        return sql.one(Reads.INVESTIGATORS.eq("v.id", id), Reads::investigator);
    }

    private static Investigator readInvestigator(Writes.Tx tx, long id) {
        return tx.sql()
                .one(Reads.INVESTIGATORS.eq("v.id", id), Reads::investigator)
                .orElseThrow()
                .investigator();
    }
}
