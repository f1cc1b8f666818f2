package org.karyo.rest.internal;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Priority;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.MatrixParam;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.PathParam;
import javax.ws.rs.Priorities;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * An operation that reads a JSON body refuses a request with no or another Content-Type with a 415 before the body is
 * read. Without this, CXF looks for a reader of {@code application/octet-stream} (its default for a missing type),
 * finds none, answers the same 415 and logs an ERROR for what is only a client's mistake.
 */
@Component(service = ContainerRequestFilter.class, scope = ServiceScope.PROTOTYPE)
@JaxrsExtension
@JaxrsName("karyo.body-type")
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Priority(Priorities.USER + 1)
public final class BodyTypeFilter implements ContainerRequestFilter {
    /** The body type of each resource method, empty when it reads no body or reads it as raw bytes. */
    private static final Map<Method, Optional<Class<?>>> JSON_BODIES = new ConcurrentHashMap<>();

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (method == null
                || JSON_BODIES
                        .computeIfAbsent(method, m -> jsonBody(JaxrsAnnotations.annotated(m)))
                        .isEmpty()) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null && !request.hasEntity()) {
            return; // no body at all: the operation decides whether it needs one
        }
        if (type == null || !isJson(type)) {
            throw new NotSupportedException("this operation reads application/json; the request's Content-Type is "
                    + (type == null ? "missing" : type.getType() + "/" + type.getSubtype()));
        }
    }

    static boolean isJson(MediaType type) {
        return "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                        || type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
    }

    /** The type of the method's entity parameter when it is read as JSON (not as a stream, bytes or text). */
    static Optional<Class<?>> jsonBody(Method method) {
        Consumes consumes = method.isAnnotationPresent(Consumes.class)
                ? method.getAnnotation(Consumes.class)
                : method.getDeclaringClass().getAnnotation(Consumes.class);
        if (consumes != null
                && java.util.Arrays.stream(consumes.value())
                        .map(MediaType::valueOf)
                        .noneMatch(BodyTypeFilter::isJson)) {
            return Optional.empty(); // the operation reads another format and says so
        }
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            if (!isEntity(annotations[i])) {
                continue;
            }
            Class<?> t = types[i];
            boolean raw = InputStream.class.isAssignableFrom(t) || t == byte[].class || t == String.class;
            return raw ? Optional.empty() : Optional.of(t);
        }
        return Optional.empty();
    }

    private static boolean isEntity(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof Context
                    || a instanceof PathParam
                    || a instanceof QueryParam
                    || a instanceof HeaderParam
                    || a instanceof BeanParam
                    || a instanceof FormParam
                    || a instanceof CookieParam
                    || a instanceof MatrixParam) {
                return false;
            }
        }
        return true;
    }
}
