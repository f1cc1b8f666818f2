package org.karyo.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.karyo.api.EnvOverrides;
import org.karyo.api.KaryoException;
import org.karyo.api.gate.GateRequest;
import org.karyo.api.security.AccessControl;
import org.karyo.api.security.AccessRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Declarations;
import org.karyo.rest.internal.json.JsonMappers;
import org.karyo.rest.internal.json.JsonProvider;
import org.karyo.rest.internal.json.ProblemMapper;
import org.karyo.rest.internal.openapi.OpenApiGenerator;
import org.karyo.rest.internal.security.Gatekeeper;
import org.karyo.rest.internal.security.SecurityFilter;

/**
 * The test kit of resource bundles' HTTP slice tests (published as this bundle's test-jar): the platform's JAX-RS
 * extensions, internal to this bundle, so that a module's slice test runs its resources behind the very filters, JSON
 * provider and problem mapper that the {@code karyo} application registers in Karaf.
 */
public final class PlatformSlice {
    private PlatformSlice() {}

    /** The OpenAPI document that {@code /api/openapi.json} would serve for {@code resources}. */
    public static JsonNode openApi(Collection<Class<?>> resources) {
        return new OpenApiGenerator(JsonMappers.create()).generate(resources, "test");
    }

    /**
     * An access control for resources tested without the access module: requests carry no credentials, so public
     * operations pass and the others get a 401, as the access module would answer an anonymous caller.
     */
    public static AccessControl anonymousOnly() {
        return new AccessControl() {
            @Override
            public Caller authenticate(AccessRequest request) {
                return Caller.ANONYMOUS;
            }

            @Override
            public void authorize(Caller caller, Declarations.Need need, GateRequest request) {
                if (!(need instanceof Declarations.PublicNeed)) {
                    throw KaryoException.unauthenticated("Authentication is required");
                }
            }
        };
    }

    /** The edge filter, the security filter (with {@code access} installed), the JSON provider, the problem mapper. */
    public static List<Object> providers(AccessControl access) {
        Settings settings = new Settings(
                new Settings.Config() {
                    @Override
                    public Class<? extends Annotation> annotationType() {
                        return Settings.Config.class;
                    }

                    @Override
                    public String trusted_proxies() {
                        return "";
                    }

                    @Override
                    public String cors_allowed_origins() {
                        return "";
                    }

                    @Override
                    public int cors_max_age() {
                        return 600;
                    }

                    @Override
                    public long max_body_bytes() {
                        return 65_536L;
                    }
                },
                EnvOverrides.of(Map.of()));
        Gatekeeper gatekeeper = new Gatekeeper();
        gatekeeper.setAccess(access);
        return List.of(
                new EdgeFilter(settings),
                new SecurityFilter(gatekeeper),
                new JsonProvider(settings),
                new ProblemMapper());
    }
}
