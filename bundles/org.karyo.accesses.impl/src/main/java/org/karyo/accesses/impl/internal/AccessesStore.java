package org.karyo.accesses.impl.internal;

import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Persistence;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access module's persistence, wired once for all its services (docs/design/persistence.md): the platform's
 * DataSource, unit of work and audit trail become one {@link Sql} for reads and one {@link Writes} for writes (the
 * module has no entities: its writes are statements). Starts only once the module's migrations succeeded.
 */
@Component(service = AccessesStore.class)
public final class AccessesStore {

    static final String MODULE = "accesses";

    /**
     * The largest page a service serves (Cohort360's {@code PAGINATION_MAX_LIMIT}; the REST layer refuses larger
     * ones before).
     */
    static final int MAX_LIMIT = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(AccessesStore.class);

    private final Sql sql;
    private final Writes writes;

    @Activate
    public AccessesStore(
            @Reference(target = Persistence.DATA_SOURCE) DataSource dataSource,
            @Reference(target = "(karyo.module=accesses)") SchemaReady schema,
            @Reference UnitOfWork uow,
            @Reference AuditTrail audit) {
        this(dataSource, uow, audit);
        LOG.info("Accesses store active (schema {} at version {})", schema.schema(), schema.version());
    }

    AccessesStore(DataSource dataSource, UnitOfWork uow, AuditTrail audit) {
        this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), MODULE);
        this.writes = Writes.statements(uow, sql, audit)
                .onUnique("roles_live_name_unique", "name", "is already used by another role")
                .onUnique("perimeters_local_id_unique", "local_id", "is already used");
    }

    Sql sql() {
        return sql;
    }

    Writes writes() {
        return writes;
    }

    /** A page cut from a list that is already complete and ordered (lists computed in memory). */
    static <T> Page<T> slice(List<T> all, PageRequest page) {
        int limit = page == null ? PageRequest.DEFAULT_LIMIT : Math.max(1, page.limit());
        int offset = page == null ? 0 : Math.max(0, page.offset());
        List<T> part = offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + limit));
        return new Page<>(all.size(), limit, offset, part);
    }
}
