package org.karyo.rest.internal.security;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.ws.rs.container.ContainerRequestContext;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.gate.RequestGate;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a matched request may reach its resource method, in this order: the method must declare what it
 * needs ({@code @RequiresRight}, {@code @Authenticated} or {@code @Public}; otherwise it is refused, fail closed), the
 * {@link AccessControl} authenticates the caller, every {@link RequestGate} admits the request, and the access control
 * authorizes the declared need. Without an access control (the access module is not installed, or is being replaced)
 * only public operations run, as {@link Caller#ANONYMOUS}; everything else is refused with a 503, fail closed.
 */
@Component(service = Gatekeeper.class)
public final class Gatekeeper {
    static final String UNDECLARED = "undeclared-right";
    private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);

    private record Key(int ranking, long id) {}

    private static final Comparator<Key> ORDER =
            Comparator.comparingInt(Key::ranking).reversed().thenComparingLong(Key::id);

    private final Map<Key, RequestGate> gates = new ConcurrentSkipListMap<>(ORDER);
    private final Set<Method> reportedUndeclared = ConcurrentHashMap.newKeySet();
    private volatile AccessControl access;

    @Activate
    void activate() {
        if (access == null) {
            LOG.warn("No access control is installed yet: only @Public operations are served until one is (install "
                    + "karyo-accesses)");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addGate(RequestGate gate, Map<String, Object> properties) {
        gates.put(key(properties), gate);
    }

    void removeGate(RequestGate gate, Map<String, Object> properties) {
        gates.remove(key(properties), gate);
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAccess(AccessControl control) {
        this.access = control;
        LOG.info("Access control installed: {}", control.getClass().getName());
    }

    void unsetAccess(AccessControl control) {
        if (this.access == control) {
            this.access = null;
            LOG.warn("Access control removed: only @Public operations are served until one is installed");
        }
    }

    private static Key key(Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new Key(ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L);
    }

    /**
     * Admits the request or throws.
     *
     * @param method the matched resource method, or {@code null} if unknown (refused)
     * @param httpMethod the HTTP method
     * @param path the path below {@code /api}, starting with {@code /}
     * @param request the request, for the access control
     * @return the caller to run the method as
     * @throws KaryoException to refuse (403 {@value #UNDECLARED}, a gate's refusal, 401/403 from access control)
     */
    Caller admit(Method method, String httpMethod, String path, ContainerRequestContext request) {
        Declarations.Need need = need(method, httpMethod, path);
        AccessControl control = access;
        if (control == null && !(need instanceof Declarations.PublicNeed)) {
            throw KaryoException.unavailable(
                    "access-control-unavailable",
                    "No access control is installed, so only public operations are served",
                    null,
                    Duration.ofSeconds(5));
        }
        Caller caller;
        try {
            caller = control == null ? Caller.ANONYMOUS : control.authenticate(accessRequest(request, httpMethod));
        } catch (KaryoException e) {
            if (e.kind() != Kind.UNAUTHENTICATED || !(need instanceof Declarations.PublicNeed)) {
                throw e;
            }
            // stale credentials do not stand in the way of a public operation (a login, the JWKS, a banner)
            caller = Caller.ANONYMOUS;
        }
        if (caller == null) {
            caller = Caller.ANONYMOUS;
        }
        GateRequest gateRequest = new GateRequest(httpMethod, path, caller);
        for (RequestGate gate : gates.values()) {
            gate.admit(gateRequest);
        }
        if (control != null) {
            control.authorize(caller, need, gateRequest);
        }
        return caller;
    }

    private Declarations.Need need(Method method, String httpMethod, String path) {
        Optional<Declarations.Need> need;
        try {
            need = method == null ? Optional.empty() : Declarations.of(method);
        } catch (IllegalStateException e) {
            if (reportedUndeclared.add(method)) {
                LOG.error(
                        "Refusing {} {}: {}.{} has an invalid access declaration: {}",
                        httpMethod,
                        path,
                        method.getDeclaringClass().getName(),
                        method.getName(),
                        e.getMessage());
            }
            throw undeclared();
        }
        if (need.isEmpty()) {
            if (method == null) {
                LOG.error("Refusing {} {}: no resource method was matched", httpMethod, path);
            } else if (reportedUndeclared.add(method)) {
                LOG.error(
                        "Refusing {} {}: {}.{} declares neither @RequiresRight nor @Public",
                        httpMethod,
                        path,
                        method.getDeclaringClass().getName(),
                        method.getName());
            } else {
                LOG.debug("Refusing {} {}: undeclared method", httpMethod, path);
            }
            throw undeclared();
        }
        return need.get();
    }

    private static KaryoException undeclared() {
        return new KaryoException(
                Kind.FORBIDDEN,
                UNDECLARED,
                "This operation declares no access rule, so the platform refuses it",
                null,
                null,
                null);
    }

    /** Whether an access control is installed. */
    boolean accessControlled() {
        return access != null;
    }

    /** What the access control sees of a request: its method, matched operation and headers (first values). */
    static AccessRequest accessRequest(ContainerRequestContext request, String httpMethod) {
        if (request == null) {
            return new AccessRequest(httpMethod, "(unmatched)", java.util.Map.of());
        }
        Object template = request.getProperty(org.karyo.rest.support.Karyo.OPERATION_TEMPLATE);
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        request.getHeaders().forEach((name, values) -> {
            if (values != null && !values.isEmpty()) {
                headers.putIfAbsent(name, values.get(0));
            }
        });
        return new AccessRequest(request.getMethod(), template instanceof String t ? t : "(unmatched)", headers);
    }
}
