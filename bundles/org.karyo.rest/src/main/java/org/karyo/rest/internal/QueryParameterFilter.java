package org.karyo.rest.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Priority;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Priorities;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.OwnQueryParameters;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * One rule for every operation under {@code /api}: a query parameter the operation does not declare is a 400 naming
 * it, so a misspelt filter ({@code ?with_acess=true}) never silently lists everything. The declared names are the
 * operation's {@code @QueryParam}s (on its parameters, its {@code @BeanParam} beans and its resource class's fields),
 * read once per method from the declaration that carries them ({@link JaxrsAnnotations#annotated}).
 *
 * <p>It runs after the security filter: an anonymous caller of a protected operation learns nothing about its
 * parameters.
 */
@Component(service = ContainerRequestFilter.class, scope = ServiceScope.PROTOTYPE)
@JaxrsExtension
@JaxrsName("karyo.query-parameters")
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Priority(Priorities.USER)
public final class QueryParameterFilter implements ContainerRequestFilter {
    private static final Map<Method, Set<String>> DECLARED = new ConcurrentHashMap<>();
    private static final Map<Method, Boolean> OWN = new ConcurrentHashMap<>();

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        Set<String> sent = request.getUriInfo().getQueryParameters(false).keySet();
        if (sent.isEmpty()) {
            return;
        }
        Class<?> type = resourceInfo.getResourceClass();
        if (OWN.computeIfAbsent(method, m -> own(type, JaxrsAnnotations.annotated(m)))) {
            return;
        }
        Set<String> declared = DECLARED.computeIfAbsent(method, m -> declared(type, JaxrsAnnotations.annotated(m)));
        List<FieldError> errors = new ArrayList<>();
        for (String name : new TreeSet<>(sent)) {
            if (!declared.contains(name)) {
                errors.add(new FieldError(name, unknown(declared)));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
    }

    private static String unknown(Set<String> declared) {
        return declared.isEmpty()
                ? "is not a parameter of this operation, which takes no query parameters"
                : "is not a parameter of this operation; it takes " + String.join(", ", declared);
    }

    /** Whether the operation checks its query parameters itself ({@link OwnQueryParameters}). */
    static boolean own(Class<?> type, Method method) {
        return method.isAnnotationPresent(OwnQueryParameters.class)
                || (type != null && type.isAnnotationPresent(OwnQueryParameters.class));
    }

    /** The query parameter names an operation declares, sorted. */
    static Set<String> declared(Class<?> type, Method method) {
        Set<String> names = new TreeSet<>();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] all = method.getParameterAnnotations();
        for (int p = 0; p < all.length; p++) {
            for (Annotation a : all[p]) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                } else if (a instanceof BeanParam) {
                    fields(types[p], names);
                }
            }
        }
        if (type != null) {
            fields(type, names);
        }
        return names;
    }

    private static void fields(Class<?> type, Set<String> names) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                QueryParam q = f.getAnnotation(QueryParam.class);
                if (q != null) {
                    names.add(q.value());
                }
            }
        }
    }
}
