package org.karyo.content.impl.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.OptimisticLockException;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentPatch;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.ContentTypeInfo;
import org.karyo.content.api.NewContent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContentService} on PostgreSQL. Writes go through the {@code karyo-content} persistence unit's
 * {@link JpaTemplate} inside the platform's {@link UnitOfWork} (one transaction, the row locked while it is checked and
 * changed). Reads run {@link ContentSql}'s single statement on an entity manager without a transaction: inside one,
 * EclipseLink wraps native SQL in BEGIN/COMMIT, and the COMMIT would cost every list a second round trip. The service
 * starts only once the module's migrations succeeded ({@link SchemaReady} {@code karyo.module=content}).
 */
@Component(service = ContentService.class, configurationPid = ContentServiceImpl.PID)
@Designate(ocd = ContentServiceImpl.Config.class)
public final class ContentServiceImpl implements ContentService {

    static final String PID = "org.karyo.content";
    private static final Logger LOG = LoggerFactory.getLogger(ContentServiceImpl.class);
    private static final String WHAT = "content";
    private static final List<ContentTypeInfo> TYPES =
            Arrays.stream(ContentType.values()).map(ContentType::info).toList();

    /** Configuration of the web content module (PID {@value #PID}). */
    @ObjectClassDefinition(name = "Karyo web content", description = "Banners and release notes (karyo-content)")
    public @interface Config {
        @AttributeDefinition(
                name = "Largest page",
                description = "The largest ?limit= a client may ask for when listing content (at least 20)",
                min = "20")
        int max_page_size() default 1000;
    }

    private final JpaTemplate jpa;
    private final DataSource dataSource;
    private final UnitOfWork uow;
    private final AuditTrail audit;
    private final Clock clock;
    private final int maxPageSize;

    @Activate
    public ContentServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-content)") JpaTemplate jpa,
            @Reference(target = "(osgi.jndi.service.name=jdbc/karyo)") DataSource dataSource,
            @Reference(target = "(karyo.module=content)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit,
            Config config) {
        this(jpa, dataSource, uow, audit, config, Clock.systemUTC());
        LOG.info(
                "Web content service active (schema {} at version {}, max.page.size={})",
                schema.schema(),
                schema.version(),
                maxPageSize);
    }

    ContentServiceImpl(
            JpaTemplate jpa, DataSource dataSource, UnitOfWork uow, AuditTrail audit, Config config, Clock clock) {
        this.jpa = Objects.requireNonNull(jpa, "jpa");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.uow = Objects.requireNonNull(uow, "uow");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxPageSize = config.max_page_size();
        if (maxPageSize < PageRequest.DEFAULT_LIMIT) {
            throw new IllegalArgumentException(
                    PID + ": max.page.size must be at least " + PageRequest.DEFAULT_LIMIT + ", not " + maxPageSize);
        }
    }

    @Override
    public Page<Content> list(Caller caller, ContentQuery query) {
        Objects.requireNonNull(query, "query");
        ContentRules.checkQuery(query, maxPageSize);
        ContentSql.Statement page = ContentSql.page(query);
        return read(connection -> {
            List<Object[]> rows = ContentSql.rows(connection, page);
            long count;
            if (!rows.isEmpty()) {
                count = ContentSql.total(rows.get(0));
            } else if (query.page().offset() == 0) {
                count = 0;
            } else {
                ContentSql.Statement c = ContentSql.count(query);
                count = ((Number) ContentSql.rows(connection, c).get(0)[0]).longValue();
            }
            List<Content> results = rows.stream().map(ContentSql::content).toList();
            return new Page<>(count, query.page().limit(), query.page().offset(), results);
        });
    }

    @Override
    public Content get(Caller caller, long id) {
        ContentSql.Statement byId = ContentSql.byId(id);
        return read(connection -> ContentSql.rows(connection, byId).stream()
                .findFirst()
                .map(ContentSql::content)
                .orElseThrow(() -> KaryoException.notFound(WHAT, id)));
    }

    @Override
    public Content create(Caller caller, NewContent c) {
        ContentRules.checkNew(c);
        Content created = write(
                caller,
                "content.content.create",
                em -> {
                    ContentEntity e = new ContentEntity(now());
                    assign(e, c);
                    em.persist(e);
                    return e;
                },
                ContentEntity::toDto);
        LOG.debug("Content {} created by {}", created.id(), caller.id());
        return created;
    }

    @Override
    public Content update(Caller caller, long id, ContentPatch patch, OptionalLong expectedVersion) {
        ContentRules.checkPatch(patch);
        Content updated = write(
                caller,
                "content.content.update",
                em -> {
                    ContentEntity e = lockLive(em, id, expectedVersion);
                    if (patch.title() != null) {
                        e.title(patch.title());
                    }
                    if (patch.content() != null) {
                        e.content(patch.content());
                    }
                    if (patch.page() != null) {
                        e.page(ContentRules.page(patch.page()));
                    }
                    if (patch.contentType() != null) {
                        e.contentType(patch.contentType());
                    }
                    if (patch.metadata() != null) {
                        e.metadata(patch.metadata());
                    }
                    e.touch(now());
                    return e;
                },
                ContentEntity::toDto);
        LOG.debug("Content {} updated by {}", id, caller.id());
        return updated;
    }

    @Override
    public Content replace(Caller caller, long id, NewContent c, OptionalLong expectedVersion) {
        ContentRules.checkNew(c);
        Content replaced = write(
                caller,
                "content.content.replace",
                em -> {
                    ContentEntity e = lockLive(em, id, expectedVersion);
                    assign(e, c);
                    e.touch(now());
                    return e;
                },
                ContentEntity::toDto);
        LOG.debug("Content {} replaced by {}", id, caller.id());
        return replaced;
    }

    @Override
    public void delete(Caller caller, long id, OptionalLong expectedVersion) {
        write(
                caller,
                "content.content.delete",
                em -> {
                    ContentEntity e = lockLive(em, id, expectedVersion);
                    e.delete(now());
                    return e;
                },
                ContentEntity::id);
        LOG.debug("Content {} deleted by {}", id, caller.id());
    }

    @Override
    public List<ContentTypeInfo> contentTypes() {
        return TYPES;
    }

    /**
     * Runs a read with plain JDBC on the platform DataSource: a read is one SQL statement, so the JPA layer would only
     * add work (it cost about a sixth of a list request's CPU, see docs/BENCHMARKS.md). Inside a unit of work this is
     * the unit's connection, so a read sees the unit's own writes.
     */
    private <T> T read(SqlFunction<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("reading web content failed", e);
        }
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs a write in the platform's unit of work, flushes it and appends its audit entry in the same transaction;
     * {@code result} reads what the caller needs.
     */
    private <T> T write(
            Caller caller,
            String action,
            Function<EntityManager, ContentEntity> work,
            Function<ContentEntity, T> result) {
        return uow.required(() -> jpa.txExpr(TransactionType.Required, em -> {
            ContentEntity e = work.apply(em);
            try {
                em.flush();
            } catch (OptimisticLockException ex) {
                throw KaryoException.stale(WHAT, e.id());
            }
            audit.record(caller, AuditEvent.success(action, WHAT, e.id()));
            return result.apply(e);
        }));
    }

    /** The live content {@code id}, locked for this transaction, at the version the caller expects. */
    private ContentEntity lockLive(EntityManager em, long id, OptionalLong expectedVersion) {
        ContentEntity e = em.find(ContentEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null || e.deleted()) {
            throw KaryoException.notFound(WHAT, id);
        }
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != e.version()) {
            throw KaryoException.stale(WHAT, id);
        }
        return e;
    }

    private static void assign(ContentEntity e, NewContent c) {
        e.title(c.title());
        e.content(c.content());
        e.page(ContentRules.page(c.page()));
        e.contentType(c.contentType());
        e.metadata(c.metadata() == null ? Map.of() : c.metadata());
    }

    /** Now, at PostgreSQL's precision, so that what a write returns equals what a later read returns. */
    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
