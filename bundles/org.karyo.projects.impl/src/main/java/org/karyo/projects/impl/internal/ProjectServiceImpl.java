package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
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

    private final ProjectsStore store;
    private final Sql sql;
    private final Writes writes;
    private final PerimeterService perimeters;
    private final Documents documents;

    @Activate
    public ProjectServiceImpl(
            @Reference ProjectsStore store,
            @Reference PerimeterService perimeters,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) ObjectStore objects) {
        this.store = Objects.requireNonNull(store, "store");
        this.sql = store.sql();
        this.writes = store.writes();
        this.perimeters = Objects.requireNonNull(perimeters, "perimeters");
        this.documents = new Documents(objects, store.settings());
        LOG.info("Project service active (objects in {})", objects.describe().type());
    }

    // ---- projects -------------------------------------------------------------------------------------------------

    @Override
    public Page<Project> list(Caller caller, ProjectQuery query) {
        Objects.requireNonNull(query, "query");
        Select q = Reads.PROJECTS.page(query.page(), store.settings().maxPageSize(), PROJECT_ORDER, "p.id");
        String term = Rules.search(query.search());
        LocalDate today = store.settings().today();
        q = q.scope("p.perimeter_id", Access.visibleScope(caller))
                .eq("p.institution_id", query.institutionId())
                .in("p.status", query.statuses())
                .search(term, "p.code", "p.name");
        if (query.active() != null) {
            q = q.where(
                    (query.active() ? "" : "NOT ") + "(p.status = 'ACTIVE' AND (p.end_date IS NULL OR p.end_date > ?))",
                    today);
        }
        return sql.page(q, rs -> Reads.project(rs, today).project());
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
        Institution institution = sql.one(Reads.INSTITUTIONS.eq("i.id", institutionId), Reads::institution)
                .filter(i -> Access.visible(caller, i.perimeterId()))
                .orElseThrow(() -> KaryoException.invalid("institution_id", "does not exist"));
        Access.require(caller, institution.perimeterId(), PROJECT_MANAGE, "institution", institutionId);
        checkInvestigator(institutionId, in.investigatorId());
        checkUnique(in, -1);
        Project created = writes.write(WHAT, tx -> {
            Perimeter node = PerimeterNodes.attach(
                    perimeters, NODE_TYPE, in.code(), in.name(), institution.perimeterId(), "institution_id");
            ProjectEntity e = new ProjectEntity(institutionId, in.code(), node.id(), store.now());
            e.assign(in.investigatorId(), in.name(), in.description(), in.status(), in.startDate(), in.endDate());
            tx.persist(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.project.create", WHAT, e.id())
                            .with("institution_id", institutionId)
                            .with("perimeter_id", node.id()));
            return read(tx, e.id());
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
        return writes.write(WHAT, tx -> {
            ProjectEntity e = ProjectsStore.lockForChange(tx, ProjectEntity.class, id, expectedVersion);
            e.assign(in.investigatorId(), in.name(), in.description(), in.status(), in.startDate(), in.endDate());
            e.touch(store.now());
            tx.audit(caller, AuditEvent.success("projects.project.update", WHAT, id));
            return read(tx, id);
        });
    }

    private void checkInvestigator(long institutionId, long investigatorId) {
        if (!sql.exists(Select.of("v.id", Reads.SCHEMA + ".investigators v")
                .eq("v.id", investigatorId)
                .eq("v.institution_id", institutionId))) {
            throw KaryoException.invalid("investigator_id", "is not an investigator of the project's institution");
        }
    }

    /** CONFLICT naming what is taken, before the write (the unique constraints catch a concurrent one). */
    private void checkUnique(Rules.ProjectInput in, long self) {
        Select projects = Select.of("p.id", Reads.SCHEMA + ".projects p");
        if (in.code() != null && sql.exists(projects.where("lower(p.code) = lower(?)", in.code()))) {
            throw KaryoException.conflict("A project with the code " + in.code() + " already exists");
        }
        if (sql.exists(projects.where("lower(p.name) = lower(?)", in.name()).where("p.id <> ?", self))) {
            throw KaryoException.conflict("A project with this name already exists");
        }
    }

    Optional<Project> find(long id) {
        return store.project(id);
    }

    private Project read(Writes.Tx tx, long id) {
        LocalDate today = store.settings().today();
        return tx.sql()
                .one(Reads.PROJECTS.eq("p.id", id), rs -> Reads.project(rs, today)
                        .project())
                .orElseThrow();
    }

    // ---- files ----------------------------------------------------------------------------------------------------

    @Override
    public Page<ProjectFile> files(Caller caller, long projectId, PageRequest page) {
        visible(caller, projectId);
        return sql.page(
                Reads.FILES
                        .page(page, store.settings().maxPageSize(), FILE_ORDER, "f.id")
                        .eq("f.project_id", projectId),
                rs -> Reads.file(rs).file());
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
        checkFileName(sql, projectId, fileName);
        StoredObject object = documents.put(Documents.fileKey(projectId, type), type, upload);
        try {
            ProjectFile created = writes.write(FILE, tx -> {
                ProjectsStore.lockProject(tx, projectId);
                checkFileName(tx.sql(), projectId, fileName);
                ProjectFileEntity e =
                        new ProjectFileEntity(projectId, fileName, category, object, store.now(), caller.id());
                tx.persist(e);
                tx.audit(
                        caller,
                        AuditEvent.success("projects.file.create", FILE, e.id())
                                .with("project_id", projectId)
                                .with("size", object.size()));
                return tx.sql()
                        .one(Reads.FILES.eq("f.id", e.id()), Reads::file)
                        .orElseThrow()
                        .file();
            });
            LOG.debug("File {} of project {} stored by {}", created.id(), projectId, caller.id());
            return created;
        } catch (RuntimeException e) {
            documents.delete(object.key());
            throw e;
        }
    }

    private static void checkFileName(Sql sql, long projectId, String name) {
        if (sql.exists(Reads.FILES.eq("f.project_id", projectId).where("lower(f.name) = lower(?)", name))) {
            throw KaryoException.conflict("The project already has a file named " + name);
        }
    }

    @Override
    public void deleteFile(Caller caller, long projectId, long fileId) {
        Project p = visible(caller, projectId);
        Access.require(caller, p.perimeterId(), PROJECT_MANAGE, WHAT, projectId);
        writes.run(FILE, tx -> {
            ProjectFileEntity e = tx.lock(ProjectFileEntity.class, fileId)
                    .filter(f -> f.projectId() == projectId)
                    .orElseThrow(() -> KaryoException.notFound(FILE, fileId));
            String key = e.objectKey();
            tx.remove(e);
            tx.audit(
                    caller,
                    AuditEvent.success("projects.file.delete", FILE, fileId).with("project_id", projectId));
            tx.afterCommit(() -> documents.delete(key));
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
        return sql.one(Reads.FILES.eq("f.id", fileId).eq("f.project_id", projectId), Reads::file);
    }
}
