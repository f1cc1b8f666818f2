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
import javax.persistence.LockModeType;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectFile;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectService;
import org.karyo.projects.api.ProjectUpdate;
import org.karyo.projects.api.Upload;
import org.karyo.storage.api.ObjectStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProjectService} on PostgreSQL and object storage. Creating a project attaches its perimeter node (type
 * {@value #NODE_TYPE}, under the institution's node) and inserts the row in one unit of work.
 */
@Component(service = ProjectService.class)
public final class ProjectServiceImpl implements ProjectService {

    static final String NODE_TYPE = "project";
    private static final Logger LOG = LoggerFactory.getLogger(ProjectServiceImpl.class);
    private static final String WHAT = "project";
    private static final String FILE = "file";
    private static final Map<String, String> PROJECT_ORDER = Map.of(
            "code", "p.code",
            "name", "p.name",
            "start_date", "p.start_date",
            "end_date", "p.end_date",
            "created_at", "p.created_at");
    private static final Map<String, String> FILE_ORDER =
            Map.of("name", "f.name", "category", "f.category", "created_at", "f.created_at");

    private final Tx tx;
    private final Sql sql;
    private final AuditTrail audit;
    private final PerimeterService perimeters;
    private final ProjectsSettings settings;
    private final Documents documents;

    @Activate
    public ProjectServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-projects)") JpaTemplate jpa,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=projects)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference PerimeterService perimeters,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore store,
            @Reference ProjectsSettings settings) {
        this(jpa, dataSource, uow, audit, perimeters, store, settings);
        LOG.info("Project service active (objects in {})", store.describe().type());
    }

    ProjectServiceImpl(
            JpaTemplate jpa,
            DataSource dataSource,
            UnitOfWork uow,
            AuditTrail audit,
            PerimeterService perimeters,
            ObjectStore store,
            ProjectsSettings settings) {
        this.tx = new Tx(jpa, uow);
        this.sql = new Sql(dataSource);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.perimeters = Objects.requireNonNull(perimeters, "perimeters");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.documents = new Documents(store, settings);
    }

    // ---- projects -------------------------------------------------------------------------------------------------

    @Override
    public Page<Project> list(Caller caller, ProjectQuery query) {
        Objects.requireNonNull(query, "query");
        Paging.check(query.page(), settings.maxPageSize(), ProjectQuery.ORDERABLE);
        String term = Rules.search(query.search());
        Scope scope = Access.visibleScope(caller);
        if (scope.isEmpty()) {
            return Paging.empty(query.page());
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        Paging.scope(where, params, "p.perimeter_id", scope);
        if (query.institutionId() != null) {
            where.append(" AND p.institution_id = ?");
            params.add(query.institutionId());
        }
        if (!query.statuses().isEmpty()) {
            where.append(" AND p.status = ANY(?)");
            params.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (query.active() != null) {
            where.append(query.active() ? " AND" : " AND NOT")
                    .append(" (p.status = 'ACTIVE' AND (p.end_date IS NULL OR p.end_date > ?))");
            params.add(settings.today());
        }
        if (term != null) {
            where.append(" AND (p.code ILIKE ? OR p.name ILIKE ?)");
            params.add(Sql.contains(term));
            params.add(Sql.contains(term));
        }
        return Reads.page(
                sql, Reads.PROJECTS, where.toString(), params, query.page(), PROJECT_ORDER, "p.id", rs -> Reads.project(
                                rs, settings.today())
                        .project());
    }

    @Override
    public Project get(Caller caller, long id) {
        return visible(caller, id);
    }

    /** The project when the caller sees it; NOT_FOUND otherwise. */
    Project visible(Caller caller, long id) {
        Project p = find(id).orElseThrow(() -> KaryoException.notFound(WHAT, id));
        Access.requireVisible(caller, p.perimeterId(), WHAT, id);
        return p;
    }

    @Override
    public Project create(Caller caller, NewProject project) {
        Rules.ProjectInput in = Rules.project(project);
        long institutionId = project.institutionId();
        Institution institution = sql.one(Reads.INSTITUTIONS.where("i.id = ?"), Reads::institution, institutionId)
                .filter(i -> Access.visible(caller, i.perimeterId()))
                .orElseThrow(() -> KaryoException.invalid("institution_id", "does not exist"));
        Access.require(caller, institution.perimeterId(), PROJECT_MANAGE, "institution", institutionId);
        checkInvestigator(institutionId, in.investigatorId());
        checkUnique(in, -1);
        Project created = tx.write(WHAT, in.code(), em -> {
            Perimeter node = PerimeterNodes.attach(
                    perimeters, NODE_TYPE, in.code(), in.name(), institution.perimeterId(), "institution_id");
            ProjectEntity e = new ProjectEntity(institutionId, in.code(), node.id(), now());
            e.assign(in.investigatorId(), in.name(), in.description(), in.status(), in.startDate(), in.endDate());
            em.persist(e);
            Tx.flush(em, WHAT, in.code());
            audit.record(
                    caller,
                    AuditEvent.success("projects.project.create", WHAT, e.id())
                            .with("institution_id", institutionId)
                            .with("perimeter_id", node.id()));
            return find(e.id()).orElseThrow();
        });
        LOG.debug("Project {} created by {}", created.id(), caller.id());
        return created;
    }

    @Override
    public Project update(Caller caller, long id, ProjectUpdate update, OptionalLong expectedVersion) {
        Project current = visible(caller, id);
        Access.require(caller, current.perimeterId(), PROJECT_MANAGE, WHAT, id);
        Rules.ProjectInput in = Rules.project(update);
        checkInvestigator(current.institutionId(), in.investigatorId());
        checkUnique(in, id);
        return tx.write(WHAT, id, em -> {
            ProjectEntity e = em.find(ProjectEntity.class, id, LockModeType.PESSIMISTIC_FORCE_INCREMENT);
            if (e == null) {
                throw KaryoException.notFound(WHAT, id);
            }
            if (expectedVersion.isPresent() && expectedVersion.getAsLong() != e.version()) {
                throw KaryoException.stale(WHAT, id);
            }
            e.assign(in.investigatorId(), in.name(), in.description(), in.status(), in.startDate(), in.endDate());
            e.touch(now());
            Tx.flush(em, WHAT, id);
            audit.record(caller, AuditEvent.success("projects.project.update", WHAT, id));
            return find(id).orElseThrow();
        });
    }

    private void checkInvestigator(long institutionId, long investigatorId) {
        if (sql.count(
                        "SELECT count(*) FROM " + Reads.SCHEMA + ".investigators WHERE id = ? AND institution_id = ?",
                        investigatorId,
                        institutionId)
                == 0) {
            throw KaryoException.invalid("investigator_id", "is not an investigator of the project's institution");
        }
    }

    private void checkUnique(Rules.ProjectInput in, long self) {
        if (in.code() != null
                && sql.count(
                                "SELECT count(*) FROM " + Reads.SCHEMA + ".projects WHERE lower(code) = lower(?)",
                                in.code())
                        > 0) {
            throw KaryoException.conflict("A project with the code " + in.code() + " already exists");
        }
        if (sql.count(
                        "SELECT count(*) FROM " + Reads.SCHEMA + ".projects WHERE lower(name) = lower(?) AND id <> ?",
                        in.name(),
                        self)
                > 0) {
            throw KaryoException.conflict("A project with this name already exists");
        }
    }

    Optional<Project> find(long id) {
        return sql.one(
                Reads.PROJECTS.where("p.id = ?"),
                rs -> Reads.project(rs, settings.today()).project(),
                id);
    }

    // ---- files ----------------------------------------------------------------------------------------------------

    @Override
    public Page<ProjectFile> files(Caller caller, long projectId, PageRequest page) {
        visible(caller, projectId);
        Paging.check(page, settings.maxPageSize(), FILE_ORDER.keySet());
        return Reads.page(
                sql, Reads.FILES, "f.project_id = ?", List.of(projectId), page, FILE_ORDER, "f.id", rs -> Reads.file(rs)
                        .file());
    }

    @Override
    public ProjectFile file(Caller caller, long projectId, long fileId) {
        visible(caller, projectId);
        return findFile(projectId, fileId).file();
    }

    @Override
    public ProjectFile addFile(Caller caller, long projectId, String name, FileCategory category, Upload upload) {
        Project p = visible(caller, projectId);
        Access.require(caller, p.perimeterId(), PROJECT_MANAGE, WHAT, projectId);
        Validator v = new Validator();
        String fileName = Rules.text(v, name, "name", Rules.NAME_MAX);
        Documents.Type type = fileName == null ? null : Documents.Type.ofName(fileName);
        v.check(
                fileName == null || (type != null && fileName.indexOf('/') < 0 && fileName.indexOf('\\') < 0),
                "name",
                "must be a file name ending in .pdf, .xlsx or .csv");
        v.required(category, "category");
        v.throwIfInvalid();
        checkFileName(projectId, fileName);
        StoredObject object = documents.put(Documents.fileKey(projectId, type), type, upload);
        try {
            ProjectFile created = tx.write(FILE, fileName, em -> {
                sql.lockProject(projectId);
                checkFileName(projectId, fileName);
                ProjectFileEntity e = new ProjectFileEntity(projectId, fileName, category, object, now(), caller.id());
                em.persist(e);
                Tx.flush(em, FILE, fileName);
                audit.record(
                        caller,
                        AuditEvent.success("projects.file.create", FILE, e.id())
                                .with("project_id", projectId)
                                .with("size", object.size()));
                return findFile(projectId, e.id()).file();
            });
            LOG.debug("File {} of project {} stored by {}", created.id(), projectId, caller.id());
            return created;
        } catch (RuntimeException e) {
            documents.delete(object.key());
            throw e;
        }
    }

    private void checkFileName(long projectId, String name) {
        if (sql.count(
                        "SELECT count(*) FROM " + Reads.SCHEMA + ".project_files WHERE project_id = ?"
                                + " AND lower(name) = lower(?)",
                        projectId,
                        name)
                > 0) {
            throw KaryoException.conflict("The project already has a file named " + name);
        }
    }

    @Override
    public void deleteFile(Caller caller, long projectId, long fileId) {
        Project p = visible(caller, projectId);
        Access.require(caller, p.perimeterId(), PROJECT_MANAGE, WHAT, projectId);
        tx.write(FILE, fileId, em -> {
            ProjectFileEntity e = em.find(ProjectFileEntity.class, fileId, LockModeType.PESSIMISTIC_WRITE);
            if (e == null || findFileRow(projectId, fileId).isEmpty()) {
                throw KaryoException.notFound(FILE, fileId);
            }
            String key = e.objectKey();
            em.remove(e);
            Tx.flush(em, FILE, fileId);
            audit.record(
                    caller,
                    AuditEvent.success("projects.file.delete", FILE, fileId).with("project_id", projectId));
            tx.uow().afterCommit(() -> documents.delete(key));
            return fileId;
        });
    }

    @Override
    public Download openFile(Caller caller, long projectId, long fileId) {
        visible(caller, projectId);
        Reads.FileRow f = findFile(projectId, fileId);
        return documents.open(
                f.objectKey(),
                f.file().name(),
                f.file().contentType(),
                f.file().size(),
                f.file().sha256());
    }

    @Override
    public DownloadLink fileLink(Caller caller, long projectId, long fileId) {
        visible(caller, projectId);
        Reads.FileRow f = findFile(projectId, fileId);
        return documents.link(f.objectKey(), f.file().name(), f.file().sha256());
    }

    private Reads.FileRow findFile(long projectId, long fileId) {
        return findFileRow(projectId, fileId).orElseThrow(() -> KaryoException.notFound(FILE, fileId));
    }

    private Optional<Reads.FileRow> findFileRow(long projectId, long fileId) {
        return sql.one(Reads.FILES.where("f.id = ? AND f.project_id = ?"), Reads::file, fileId, projectId);
    }

    private Instant now() {
        return settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }
}
