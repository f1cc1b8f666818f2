package org.karyo.accesses.impl.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Right;
import org.karyo.accesses.api.RightService;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.audit.AuditTrail;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.api.security.RightDefinition.RightScope;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights registry: the {@link RightContributor} whiteboard. When a contributor arrives its rights are upserted
 * (one unit of work; audited when a definition is new or changed) and its module's rights become active; when it
 * leaves they become inactive (rows stay, roles keep them, they grant nothing). The access module's own sixteen are
 * registered at activation. At activation every other module is marked inactive until its contributor shows up, so
 * that a module uninstalled while the platform was down grants nothing.
 */
@Component(service = {RightService.class, RightsRegistry.class})
public final class RightsRegistry implements RightService {

    private static final Logger LOG = LoggerFactory.getLogger(RightsRegistry.class);

    private static final String WHAT = "rights";

    private final Sql sql;
    private final Writes writes;
    private final RightsResolverImpl resolver;
    private final Map<RightContributor, String> contributors = new IdentityHashMap<>();
    private volatile boolean active = true;

    @Activate
    public RightsRegistry(@Reference AccessesStore store, @Reference RightsResolverImpl resolver) {
        this.sql = store.sql();
        this.writes = store.writes();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        int reset = writes.write(
                WHAT,
                tx -> tx.update(
                        "UPDATE karyo_accesses.rights SET active = false, updated_at = now() WHERE active AND module <> ?",
                        AccessRights.MODULE));
        LOG.info("Rights registry active ({} rights of other modules wait for their contributor)", reset);
        store(AccessRightDefinitions.INSTANCE);
    }

    /**
     * Wiring without OSGi for the projects module's tests, which run this service on their own database; remove with
     * those tests' move to the public API.
     */
    public RightsRegistry(
            DataSource dataSource, SchemaReady schema, UnitOfWork uow, AuditTrail audit, RightsResolverImpl resolver) {
        this(new AccessesStore(dataSource, uow, audit), resolver);
    }

    @Deactivate
    void deactivate() {
        active = false;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addContributor(RightContributor contributor) {
        String module;
        try {
            module = contributor.module();
        } catch (RuntimeException e) {
            LOG.error("A right contributor failed to name its module; ignored", e);
            return;
        }
        if (AccessRights.MODULE.equals(module)) {
            LOG.error("A right contributor claims the module '{}', which only the access module owns; ignored", module);
            return;
        }
        synchronized (contributors) {
            contributors.put(contributor, module);
        }
        try {
            store(contributor);
        } catch (RuntimeException e) {
            LOG.error("Could not register the rights of module {}", module, e);
        }
    }

    void removeContributor(RightContributor contributor) {
        String module;
        synchronized (contributors) {
            module = contributors.remove(contributor);
            if (module == null || contributors.containsValue(module) || !active) {
                return;
            }
        }
        try {
            int n = writes.write(
                    WHAT,
                    tx -> tx.update(
                            "UPDATE karyo_accesses.rights SET active = false, updated_at = now() WHERE module = ? AND active",
                            module));
            LOG.info("Module {} left: its {} rights grant nothing until it returns", module, n);
        } catch (RuntimeException e) {
            LOG.error("Could not deactivate the rights of module {}", module, e);
        }
        resolver.catalogChanged();
    }

    /** Upserts a contributor's rights and activates its module. */
    synchronized void store(RightContributor contributor) {
        String module = contributor.module();
        List<RightDefinition> rights = new ArrayList<>();
        for (RightDefinition d : contributor.rights()) {
            if (!module.equals(d.module()) || !d.key().startsWith(module + ".")) {
                LOG.error(
                        "Module {} contributes right {} of module {}: ignored (keys start with the module)",
                        module,
                        d.key(),
                        d.module());
                continue;
            }
            rights.add(d);
        }
        int changed = writes.write(WHAT, tx -> {
            int n = 0;
            for (RightDefinition d : rights) {
                Optional<String> dependsOn = d.dependsOn();
                n += tx.update(
                        """
                        INSERT INTO karyo_accesses.rights (key, module, category, label, scope, depends_on,
                               allow_edit_accesses_on_same_level, allow_edit_accesses_on_inf_levels,
                               impact_inferior_levels, active)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)
                        ON CONFLICT (key) DO UPDATE SET module = excluded.module, category = excluded.category,
                               label = excluded.label, scope = excluded.scope, depends_on = excluded.depends_on,
                               allow_edit_accesses_on_same_level = excluded.allow_edit_accesses_on_same_level,
                               allow_edit_accesses_on_inf_levels = excluded.allow_edit_accesses_on_inf_levels,
                               impact_inferior_levels = excluded.impact_inferior_levels, updated_at = now()
                         WHERE (rights.module, rights.category, rights.label, rights.scope, rights.depends_on,
                               rights.allow_edit_accesses_on_same_level, rights.allow_edit_accesses_on_inf_levels,
                               rights.impact_inferior_levels)
                               IS DISTINCT FROM (excluded.module, excluded.category, excluded.label, excluded.scope,
                               excluded.depends_on, excluded.allow_edit_accesses_on_same_level,
                               excluded.allow_edit_accesses_on_inf_levels, excluded.impact_inferior_levels)""",
                        d.key(),
                        module,
                        d.category(),
                        d.label(),
                        d.scope().name(),
                        dependsOn.orElse(null),
                        AccessRightDefinitions.allowEditSameLevel(d.key()),
                        AccessRightDefinitions.allowEditInferiorLevels(d.key()),
                        AccessRightDefinitions.impactsInferiorLevels(d));
            }
            String[] keys = rights.stream().map(RightDefinition::key).toArray(String[]::new);
            tx.update(
                    "UPDATE karyo_accesses.rights SET active = (key = ANY(?)), updated_at = now() "
                            + "WHERE module = ? AND active IS DISTINCT FROM (key = ANY(?))",
                    keys,
                    module,
                    keys);
            if (n > 0) {
                tx.audit(
                        Caller.SYSTEM,
                        AuditEvent.success("accesses.rights.register", "module", module)
                                .with("changed", n)
                                .with("rights", rights.size()));
            }
            return n;
        });
        LOG.info("Module {} registered {} rights ({} new or changed)", module, rights.size(), changed);
        resolver.catalogChanged();
    }

    @Override
    public List<Right> list() {
        return sql.list(
                "SELECT key, module, category, label, scope, depends_on, active FROM karyo_accesses.rights "
                        + "ORDER BY category, key",
                rs -> new Right(
                        rs.getString("key"),
                        rs.getString("module"),
                        rs.getString("category"),
                        rs.getString("label"),
                        RightScope.valueOf(rs.getString("scope")),
                        Optional.ofNullable(rs.getString("depends_on")),
                        rs.getBoolean("active")));
    }
}
