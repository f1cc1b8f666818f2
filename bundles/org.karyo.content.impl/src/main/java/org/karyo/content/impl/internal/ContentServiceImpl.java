package org.karyo.content.impl.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
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
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContentService} on PostgreSQL, by the house rule (docs/design/persistence.md): reads are {@link ContentReads}
 * queries run by {@link Sql}; writes go through {@link Writes} (the {@code karyo-content} persistence unit in the
 * platform's unit of work, the row locked while it is checked and changed, the audit entry last). The service starts
 * only once the module's migrations succeeded ({@link SchemaReady} {@code karyo.module=content}).
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

    private final Sql sql;
    private final Writes writes;
    private final Clock clock;
    private final int maxPageSize;

    @Activate
    public ContentServiceImpl(
            @Reference(target = "(osgi.unit.name=karyo-content)") JpaTemplate jpa,
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
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
        this.sql = new Sql(dataSource, "content");
        this.writes = Writes.jpa(jpa, uow, sql, audit);
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
        ContentRules.checkQuery(query);
        return sql.page(ContentReads.list(query, maxPageSize), ContentReads::content);
    }

    @Override
    public Content get(Caller caller, long id) {
        return sql.one(ContentReads.LIVE.eq("c.id", id), ContentReads::content)
                .orElseThrow(() -> KaryoException.notFound(WHAT, id));
    }

    @Override
    public Content create(Caller caller, NewContent c) {
        ContentRules.checkNew(c);
        Content created = writes.write(WHAT, tx -> {
            ContentEntity e = new ContentEntity(now());
            assign(e, c);
            tx.persist(e);
            tx.audit(caller, AuditEvent.success("content.content.create", WHAT, e.id()));
            return e.toDto();
        });
        LOG.debug("Content {} created by {}", created.id(), caller.id());
        return created;
    }

    @Override
    public Content update(Caller caller, long id, ContentPatch patch, OptionalLong expectedVersion) {
        ContentRules.checkPatch(patch);
        Content updated = writes.write(WHAT, tx -> {
            ContentEntity e = tx.lock(ContentEntity.class, id, expectedVersion);
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
            tx.audit(caller, AuditEvent.success("content.content.update", WHAT, id));
            return e.toDto();
        });
        LOG.debug("Content {} updated by {}", id, caller.id());
        return updated;
    }

    @Override
    public Content replace(Caller caller, long id, NewContent c, OptionalLong expectedVersion) {
        ContentRules.checkNew(c);
        Content replaced = writes.write(WHAT, tx -> {
            ContentEntity e = tx.lock(ContentEntity.class, id, expectedVersion);
            assign(e, c);
            e.touch(now());
            tx.audit(caller, AuditEvent.success("content.content.replace", WHAT, id));
            return e.toDto();
        });
        LOG.debug("Content {} replaced by {}", id, caller.id());
        return replaced;
    }

    @Override
    public void delete(Caller caller, long id, OptionalLong expectedVersion) {
        writes.run(WHAT, tx -> {
            tx.lock(ContentEntity.class, id, expectedVersion).delete(now());
            tx.audit(caller, AuditEvent.success("content.content.delete", WHAT, id));
        });
        LOG.debug("Content {} deleted by {}", id, caller.id());
    }

    @Override
    public List<ContentTypeInfo> contentTypes() {
        return TYPES;
    }

    private static void assign(ContentEntity e, NewContent c) {
        e.title(c.title());
        e.content(c.content());
        e.page(ContentRules.page(c.page()));
        e.contentType(c.contentType());
        e.metadata(c.metadata() == null ? Map.of() : c.metadata());
    }

    private Instant now() {
        return Persistence.now(clock);
    }
}
