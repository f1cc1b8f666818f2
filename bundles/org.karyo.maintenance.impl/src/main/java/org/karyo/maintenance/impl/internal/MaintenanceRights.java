package org.karyo.maintenance.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.osgi.service.component.annotations.Component;

/** The maintenance module's rights, registered while the module is installed. */
@Component(service = RightContributor.class)
public final class MaintenanceRights implements RightContributor {

    /** Plan, change and end maintenance phases. */
    public static final String MANAGE = "maintenance.manage";

    @Override
    public String module() {
        return "maintenance";
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                MANAGE, "maintenance", "Maintenance", "Plan, change and end maintenance phases"));
    }
}
