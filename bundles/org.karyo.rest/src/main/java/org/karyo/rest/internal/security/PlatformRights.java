package org.karyo.rest.internal.security;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.rest.internal.health.HealthResource;
import org.osgi.service.component.annotations.Component;

/** The platform's own rights. */
@Component(service = RightContributor.class)
public final class PlatformRights implements RightContributor {

    @Override
    public String module() {
        return "platform";
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                HealthResource.MONITOR_RIGHT,
                "platform",
                "Platform",
                "Read the detailed health of the platform (database, modules, readiness checks)"));
    }
}
