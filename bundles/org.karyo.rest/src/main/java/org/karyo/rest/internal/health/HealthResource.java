package org.karyo.rest.internal.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.karyo.api.module.ModuleRegistry;
import org.karyo.api.module.ModuleStatus;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.api.tx.Database;
import org.karyo.api.tx.DatabaseStatus;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/health}: public liveness and readiness ({@code 200} when ready, else {@code 503}, always with the
 * booleans), and {@code /api/health/detail} for administrators: the database, each module's state and each readiness
 * check. The database is probed at most once a second and never for longer than two seconds, so health answers while
 * the database is down.
 */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
@Public
public final class HealthResource {
    public static final String MONITOR_RIGHT = "platform.monitor";
    private static final Logger LOG = LoggerFactory.getLogger(HealthResource.class);
    private static final DatabaseStatus DOWN = new DatabaseStatus(false, false, null, null, 0, 0, 0);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "karyo-health-probe");
        t.setDaemon(true);
        return t;
    });
    private final CachedProbe<DatabaseStatus> probe =
            new CachedProbe<>(this::probeDatabase, DOWN, 1_000, 2_000, executor, System::nanoTime);
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private volatile Database database;
    private volatile ModuleRegistry registry;

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDatabase(Database db) {
        database = db;
        probe.reset();
    }

    void unsetDatabase(Database db) {
        if (database == db) {
            database = null;
        }
        probe.reset();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setRegistry(ModuleRegistry r) {
        registry = r;
    }

    void unsetRegistry(ModuleRegistry r) {
        if (registry == r) {
            registry = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(ReadinessCheck check) {
        checks.add(check);
    }

    void removeCheck(ReadinessCheck check) {
        checks.remove(check);
    }

    @GET
    @Operation(id = "getHealth", summary = "Tell whether the platform is ready")
    @Returns(value = Health.HealthSummary.class, status = 200, description = "Ready")
    @Returns(
            value = Health.HealthSummary.class,
            status = 503,
            description = "Starting or not ready: the body says what the platform waits for")
    public Response health() {
        Health.HealthDetail d = evaluate();
        return Response.status(d.ready() ? 200 : 503).entity(Health.summary(d)).build();
    }

    @GET
    @Path("detail")
    @RequiresRight(MONITOR_RIGHT)
    @Operation(id = "getHealthDetail", summary = "Show the readiness of the database and of every module")
    @Returns(value = Health.HealthDetail.class, status = 200, description = "Ready")
    @Returns(
            value = Health.HealthDetail.class,
            status = 503,
            description = "Not ready: the body says which module or check is not")
    public Response detail() {
        Health.HealthDetail d = evaluate();
        return Response.status(d.ready() ? 200 : 503).entity(d).build();
    }

    Health.HealthDetail evaluate() {
        DatabaseStatus db = database == null ? null : probe.get();
        return Health.evaluate(db, modules(), checks());
    }

    private DatabaseStatus probeDatabase() {
        Database db = database;
        if (db == null) {
            return DOWN;
        }
        try {
            DatabaseStatus s = db.status();
            return s == null ? DOWN : s;
        } catch (RuntimeException e) {
            LOG.debug("Database probe failed: {}", e.getClass().getName());
            return DOWN;
        }
    }

    private List<ModuleStatus> modules() {
        ModuleRegistry r = registry;
        if (r == null) {
            return null;
        }
        try {
            return r.modules();
        } catch (RuntimeException e) {
            LOG.warn(
                    "The module registry failed to list modules: {}",
                    e.getClass().getName());
            return null;
        }
    }

    private List<Health.HealthCheck> checks() {
        List<Health.HealthCheck> out = new ArrayList<>();
        for (ReadinessCheck c : checks) {
            try {
                boolean ready = c.ready();
                // a ready check may still say something an administrator should know (a plug-in left unconfigured)
                out.add(new Health.HealthCheck(c.name(), ready, c.detail()));
            } catch (RuntimeException e) {
                out.add(new Health.HealthCheck(
                        String.valueOf(c.getClass().getSimpleName()), false, "the check failed"));
            }
        }
        return out;
    }
}
