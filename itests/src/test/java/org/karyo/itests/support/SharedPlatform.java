package org.karyo.itests.support;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one platform booted once per test run, shared by every black-box test class that asks for a
 * {@link Platform} or {@link Api} parameter, and stopped when the run ends.
 */
public final class SharedPlatform implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedPlatform.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == Platform.class || t == Api.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Platform platform =
                e.getRoot().getStore(NS).getOrComputeIfAbsent("platform", k -> boot(), Handle.class).platform;
        return p.getParameter().getType() == Api.class ? platform.api() : platform;
    }

    private static Handle boot() {
        try {
            return new Handle(Platform.boot("blackbox", Map.of()));
        } catch (Exception e) {
            throw new IllegalStateException("could not boot the platform", e);
        }
    }

    private record Handle(Platform platform) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            platform.close();
        }
    }
}
