package org.karyo.rest.internal.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.GET;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.security.Public;
import org.karyo.rest.internal.JaxrsAnnotations;
import org.karyo.rest.internal.json.JsonMappers;
import org.karyo.rest.internal.whiteboard.WhiteboardRuntime;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/openapi.json}: the OpenAPI document of exactly the resources the whiteboard serves in the
 * {@code karyo} application right now, read from the {@link JaxrsServiceRuntime}. The document is regenerated only
 * when that set of resources changed (a module was installed or removed), and cached in between.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@javax.ws.rs.Path("openapi.json")
@Public
public final class OpenApiResource {
    private static final Logger LOG = LoggerFactory.getLogger(OpenApiResource.class);
    private static final int MAX_BASES = 16;

    private final BundleContext context;
    private final OpenApiGenerator generator;
    private final ObjectMapper mapper;
    private final String version;
    private final List<JaxrsServiceRuntime> runtimes = new CopyOnWriteArrayList<>();

    private Map<Long, Class<?>> served = Map.of();
    private ObjectNode document;
    private final Map<String, byte[]> byBase = new ConcurrentHashMap<>();

    @Activate
    public OpenApiResource(BundleContext context) {
        this.context = context;
        this.mapper = JsonMappers.create();
        this.generator = new OpenApiGenerator(mapper);
        this.version = version(context.getBundle().getVersion());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRuntime(JaxrsServiceRuntime runtime) {
        runtimes.add(runtime);
    }

    void removeRuntime(JaxrsServiceRuntime runtime) {
        runtimes.remove(runtime);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(id = "getOpenApiDocument", summary = "Get this document: the API of the modules installed now")
    @Returns(value = Object.class, status = 200, description = "An OpenAPI 3.0 document")
    public Response get(@Context UriInfo uri) {
        String base = uri.getBaseUri().getRawPath();
        if (base.length() > 1 && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return Response.ok(document(base), MediaType.APPLICATION_JSON).build();
    }

    /** The document for clients that reach the API at {@code basePath} (for example {@code /api}). */
    synchronized byte[] document(String basePath) {
        Map<Long, Class<?>> now = servedResources();
        if (document == null || !now.keySet().equals(served.keySet())) {
            document = generator.generate(now.values(), version);
            served = now;
            byBase.clear();
            LOG.debug("OpenAPI document regenerated for {} resources", now.size());
        }
        if (byBase.size() >= MAX_BASES) {
            byBase.clear();
        }
        return byBase.computeIfAbsent(basePath, this::render);
    }

    private byte[] render(String basePath) {
        ObjectNode copy = document.deepCopy();
        ObjectNode doc = mapper.createObjectNode();
        doc.set("openapi", copy.get("openapi"));
        doc.set("info", copy.get("info"));
        doc.putArray("servers").addObject().put("url", basePath);
        copy.fields().forEachRemaining(e -> {
            if (!doc.has(e.getKey())) {
                doc.set(e.getKey(), e.getValue());
            }
        });
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    /** The resource classes of the karyo application, by service id, as the whiteboard serves them now. */
    private Map<Long, Class<?>> servedResources() {
        Map<Long, Class<?>> out = new TreeMap<>();
        for (RuntimeDTO dto : WhiteboardRuntime.dtos(runtimes)) {
            for (ResourceDTO r : WhiteboardRuntime.karyoResources(dto)) {
                Class<?> type = served.containsKey(r.serviceId) ? served.get(r.serviceId) : resourceClass(r.serviceId);
                if (type != null) {
                    out.put(r.serviceId, type);
                }
            }
        }
        return out;
    }

    private Class<?> resourceClass(long serviceId) {
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(null, "(service.id=" + serviceId + ")");
        } catch (InvalidSyntaxException e) {
            return null;
        }
        if (refs == null || refs.length == 0) {
            return null;
        }
        ServiceReference<?> ref = refs[0];
        Object classes = ref.getProperty("objectClass");
        List<String> names = new ArrayList<>();
        if (classes instanceof String[] array) {
            names.addAll(List.of(array));
        }
        for (String name : names) {
            try {
                Class<?> type = ref.getBundle().loadClass(name);
                if (JaxrsAnnotations.isResource(type)) {
                    return type;
                }
            } catch (ClassNotFoundException | RuntimeException e) {
                // try the next name
            }
        }
        return implementationClass(ref);
    }

    /** The service object's class, for a resource registered under a type that carries no JAX-RS annotations. */
    private <S> Class<?> implementationClass(ServiceReference<S> ref) {
        ServiceObjects<S> objects = context.getServiceObjects(ref);
        if (objects == null) {
            return null;
        }
        S service = objects.getService();
        if (service == null) {
            return null;
        }
        try {
            return service.getClass();
        } finally {
            objects.ungetService(service);
        }
    }

    /** {@code 0.1.0.SNAPSHOT} -> {@code 0.1.0-SNAPSHOT}. */
    public static String version(Version v) {
        String base = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        return v.getQualifier().isEmpty() ? base : base + "-" + v.getQualifier();
    }
}
