package org.karyo.rest.internal.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.karyo.api.module.CachedDetail;
import org.karyo.api.module.ReadinessCheck;
import org.karyo.rest.internal.whiteboard.WhiteboardRuntime;
import org.karyo.rest.support.Karyo;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.FailedResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform is not ready while a REST resource registered for the {@code karyo} application is not served by the
 * JAX-RS whiteboard: its paths would answer 404 although its module is installed and its services run. Until every
 * registered resource has been served once (the boot), a missing one counts at once: a client told "ready" must find
 * every path. After that, a resource is given {@link #GRACE} to join after it appears (the whiteboard rebuilds the
 * application then), so a module install at runtime does not flap the readiness; one that stays out longer is named,
 * with the whiteboard's failure reason when it has one.
 *
 * <p>A resource left out for {@link #REREGISTER_AFTER} is registered again once (its DS component disabled and
 * enabled): under a burst of registrations at boot (every module installing, configurations arriving, components
 * restarting) the whiteboard has been seen to rebuild the application without a resource that was registered all
 * along, and a fresh registration makes it look again. Whether that helped shows in the next check.
 */
@Component(service = ReadinessCheck.class)
public final class RestReadiness implements ReadinessCheck {
    static final Duration GRACE = Duration.ofSeconds(5);
    static final Duration REREGISTER_AFTER = Duration.ofSeconds(15);
    /** How long one evaluation is answered: health probes come often, and the runtime DTO is rebuilt on each read. */
    static final Duration CACHE = Duration.ofSeconds(2);

    private static final String SELECT_PROPERTY = "osgi.jaxrs.application.select";
    private static final Logger LOG = LoggerFactory.getLogger(RestReadiness.class);

    /** What the check needs to know of one registered resource service ({@code component} may be null). */
    record Registered(long serviceId, String name, String bundle, String component) {}

    /** Where the registered resources and the whiteboard's view of them come from. */
    interface Source {
        List<Registered> registered();

        /** The service ids the karyo application serves, or {@code null} when no runtime answers. */
        Set<Long> served();

        /** The whiteboard's failure reason by service id. */
        Map<Long, Integer> failed();

        /** Registers the resource's service again; whether it could. */
        boolean reregister(Registered resource);
    }

    private final Source source;
    private final LongSupplier clock;
    private final Map<Long, Long> missingSince = new ConcurrentHashMap<>();
    private final Set<Long> logged = ConcurrentHashMap.newKeySet();
    private final Set<String> reregistered = ConcurrentHashMap.newKeySet();
    /** Whether every registered resource was served at one evaluation: the boot is over, missing ones get a grace. */
    private boolean booted;

    private final List<JaxrsServiceRuntime> runtimes = new CopyOnWriteArrayList<>();
    private volatile ServiceComponentRuntime scr;
    private final CachedDetail cached;

    @Activate
    public RestReadiness(BundleContext context) {
        this.source = new WhiteboardSource(context);
        this.clock = System::nanoTime;
        this.cached = new CachedDetail(this::evaluate, CACHE);
    }

    /** For tests: evaluations run in the caller when due. */
    RestReadiness(Source source, LongSupplier clock) {
        this.source = source;
        this.clock = clock;
        this.cached = new CachedDetail(this::evaluate, CACHE, Runnable::run, clock);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRuntime(JaxrsServiceRuntime runtime) {
        runtimes.add(runtime);
    }

    void removeRuntime(JaxrsServiceRuntime runtime) {
        runtimes.remove(runtime);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unsetScr")
    void setScr(ServiceComponentRuntime runtime) {
        scr = runtime;
    }

    void unsetScr(ServiceComponentRuntime runtime) {
        if (scr == runtime) {
            scr = null;
        }
    }

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public boolean ready() {
        return detail() == null;
    }

    @Override
    public String detail() {
        return cached.get();
    }

    private synchronized String evaluate() {
        long now = clock.getAsLong();
        Set<Long> served = source.served();
        if (served == null) {
            return "no JAX-RS runtime answers yet";
        }
        Map<Long, Integer> failed = source.failed();
        Set<Long> registered = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Registered r : source.registered()) {
            registered.add(r.serviceId());
            if (served.contains(r.serviceId())) {
                missingSince.remove(r.serviceId());
                logged.remove(r.serviceId());
                continue;
            }
            long since = missingSince.computeIfAbsent(r.serviceId(), id -> now);
            if (booted && now - since < GRACE.toNanos()) {
                continue;
            }
            if (now - since >= REREGISTER_AFTER.toNanos() && reregistered.add(r.name() + "@" + r.bundle())) {
                LOG.warn(
                        "REST resource {} ({}) was left out of the application for {} s: registering it again",
                        r.name(),
                        r.bundle(),
                        REREGISTER_AFTER.toSeconds());
                if (source.reregister(r)) {
                    continue;
                }
            }
            Integer reason = failed.get(r.serviceId());
            String problem = "REST resource " + r.name() + " (" + r.bundle() + ") is not served"
                    + (reason == null ? "" : " (JAX-RS whiteboard failure reason " + reason + ")");
            problems.add(problem);
            // at boot a resource joins within moments: only one left out past the grace is worth a warning
            if (now - since >= GRACE.toNanos() && logged.add(r.serviceId())) {
                LOG.warn("{}: its paths answer 404 until the whiteboard serves it", problem);
            }
        }
        missingSince.keySet().retainAll(registered);
        logged.retainAll(registered);
        if (problems.isEmpty() && missingSince.isEmpty()) {
            booted = true;
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The live source: the service registry and the whiteboard's runtime DTOs. */
    private final class WhiteboardSource implements Source {
        private final BundleContext context;

        WhiteboardSource(BundleContext context) {
            this.context = context;
        }

        @Override
        public List<Registered> registered() {
            ServiceReference<?>[] refs;
            try {
                refs = context.getAllServiceReferences(null, "(osgi.jaxrs.resource=true)");
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            List<Registered> out = new ArrayList<>();
            if (refs == null) {
                return out;
            }
            for (ServiceReference<?> ref : refs) {
                if (!selectsKaryo(ref.getProperty(SELECT_PROPERTY))) {
                    continue;
                }
                Object component = ref.getProperty("component.name");
                String name =
                        component != null ? String.valueOf(component) : "service " + ref.getProperty("service.id");
                out.add(new Registered(
                        (Long) ref.getProperty("service.id"),
                        name.substring(name.lastIndexOf('.') + 1),
                        ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName(),
                        component == null ? null : String.valueOf(component)));
            }
            return out;
        }

        @Override
        public Set<Long> served() {
            Set<Long> out = null;
            for (RuntimeDTO dto : dtos()) {
                out = out == null ? new HashSet<>() : out;
                for (ResourceDTO r : WhiteboardRuntime.karyoResources(dto)) {
                    out.add(r.serviceId);
                }
            }
            return out;
        }

        @Override
        public Map<Long, Integer> failed() {
            Map<Long, Integer> out = new HashMap<>();
            for (RuntimeDTO dto : dtos()) {
                if (dto.failedResourceDTOs != null) {
                    for (FailedResourceDTO f : dto.failedResourceDTOs) {
                        out.put(f.serviceId, f.failureReason);
                    }
                }
            }
            return out;
        }

        @Override
        public boolean reregister(Registered resource) {
            ServiceComponentRuntime runtime = scr;
            if (runtime == null || resource.component() == null) {
                return false;
            }
            for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
                if (resource.component().equals(d.name)
                        && d.bundle != null
                        && resource.bundle().equals(d.bundle.symbolicName)) {
                    try {
                        runtime.disableComponent(d).getValue();
                        runtime.enableComponent(d).getValue();
                        return true;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        LOG.warn("Could not register {} again", resource.name(), e.getCause());
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return false;
        }

        private List<RuntimeDTO> dtos() {
            return WhiteboardRuntime.dtos(runtimes);
        }
    }

    /** Whether an {@code osgi.jaxrs.application.select} value selects the karyo application. */
    static boolean selectsKaryo(Object select) {
        if (select instanceof String s) {
            return s.replace(" ", "").equals(Karyo.APPLICATION_SELECT);
        }
        if (select instanceof String[] a && a.length == 1) {
            return selectsKaryo(a[0]);
        }
        return false;
    }
}
