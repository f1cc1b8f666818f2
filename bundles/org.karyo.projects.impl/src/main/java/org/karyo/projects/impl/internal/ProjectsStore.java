package org.karyo.projects.impl.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.persistence.LockModeType;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Versioned;
import org.karyo.persistence.Writes;
import org.karyo.projects.api.Project;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects module's persistence, wired once for all its services (docs/design/persistence.md): the
 * {@code karyo-projects} persistence unit, the platform's DataSource, unit of work and audit trail, and the module's
 * settings become one {@link Sql} for reads and one {@link Writes} for writes, whose unique constraints name the
 * fields clients sent. It also holds what the services share: the participant pseudonyms and the reads every service
 * starts with (the project of a request). Starts only once the module's migrations succeeded.
 */
@Component(service = ProjectsStore.class)
public final class ProjectsStore {

    static final String MODULE = "projects";
    private static final Logger LOG = LoggerFactory.getLogger(ProjectsStore.class);

    private final Sql sql;
    private final Writes writes;
    private final AuditTrail audit;
    private final ProjectsSettings settings;
    private final Pseudonyms pseudonyms;

    @Activate
    public ProjectsStore(
            @Reference(target = "(osgi.unit.name=karyo-projects)") JpaTemplate jpa,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=projects)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            @Reference ProjectsSettings settings) {
        this(jpa, dataSource, uow, audit, settings);
        LOG.info("Projects store active (schema {} at version {})", schema.schema(), schema.version());
    }

    ProjectsStore(JpaTemplate jpa, DataSource dataSource, UnitOfWork uow, AuditTrail audit, ProjectsSettings settings) {
        this.sql = new Sql(dataSource, MODULE);
        this.writes = Writes.jpa(jpa, uow, sql, audit)
                .onUnique("institutions_code_unique", "code", "An institution with this code already exists")
                .onUnique(
                        "institutions_name_department_unique",
                        "name",
                        "An institution with this name and department already exists")
                .onUnique("institutions_address_unique", "address", "An institution with this address already exists")
                .onUnique(
                        "investigators_name_unique",
                        "last_name",
                        "The institution already has an investigator of this name")
                .onUnique("projects_code_unique", "code", "A project with this code already exists")
                .onUnique("projects_name_unique", "name", "A project with this name already exists")
                .onUnique("project_files_name_unique", "name", "The project already has a file of this name")
                .onUnique(
                        "participant_samples_unique",
                        "sample_ids",
                        "A sample id is already a sample id of another participant of the project")
                .onUnique(
                        "participant_relations_pair_unique",
                        "type",
                        "These participants already have a relation of this type");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pseudonyms = new Pseudonyms(settings, sql, writes);
    }

    Sql sql() {
        return sql;
    }

    Writes writes() {
        return writes;
    }

    ProjectsSettings settings() {
        return settings;
    }

    Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    /** Records the audit entry of a read (writes record theirs inside their unit of work). */
    void audit(Caller caller, AuditEvent event) {
        audit.record(caller, event);
    }

    /** Now, at the database's precision. */
    Instant now() {
        return Persistence.now(settings.clock());
    }

    /** A project, whoever asks (the caller's rights are checked by {@link Access}). */
    Optional<Project> project(long projectId) {
        return sql.one(Reads.PROJECTS.eq("p.id", projectId), rs -> Reads.project(rs, settings.today())
                .project());
    }

    /** A project, or NOT_FOUND. */
    Project requireProject(long projectId) {
        return project(projectId).orElseThrow(() -> KaryoException.notFound("project", projectId));
    }

    /**
     * Hands out the next {@code n} participant numbers of a project (the first is returned), locking the project row
     * until the unit of work ends: every participant write of a project runs one at a time.
     */
    static long reserveParticipantNumbers(Writes.Tx tx, long projectId, int n) {
        int changed = tx.update(
                "UPDATE " + Reads.SCHEMA + ".projects SET participant_seq = participant_seq + ? WHERE id = ?",
                n,
                projectId);
        if (changed != 1) {
            throw new IllegalStateException("project " + projectId + " vanished");
        }
        long last = tx.sql()
                .one(
                        "SELECT participant_seq FROM " + Reads.SCHEMA + ".projects WHERE id = ?",
                        rs -> rs.getLong(1),
                        projectId)
                .orElseThrow();
        return last - n + 1;
    }

    /** Locks a project row until the unit of work ends: participant writes of one project run one at a time. */
    static void lockProject(Writes.Tx tx, long projectId) {
        if (tx.lock(ProjectEntity.class, projectId).isEmpty()) {
            throw KaryoException.notFound("project", projectId);
        }
    }

    /**
     * An aggregate locked for a change at the version the client expects ({@link Writes.Tx#lock}), whose version moves
     * on even when no column changes, so that an {@code If-Match} of before the write is stale after it.
     */
    static <E extends Versioned> E lockForChange(Writes.Tx tx, Class<E> type, long id, OptionalLong expectedVersion) {
        E e = tx.lock(type, id, expectedVersion);
        tx.em().lock(e, LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        return e;
    }
}
