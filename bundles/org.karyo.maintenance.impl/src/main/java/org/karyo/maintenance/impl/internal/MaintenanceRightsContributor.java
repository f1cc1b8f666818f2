package org.karyo.maintenance.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.maintenance.api.MaintenanceRights;
import org.osgi.service.component.annotations.Component;

/** Registers the maintenance module's rights ({@link MaintenanceRights}) while the module is installed. */
@Component(service = RightContributor.class)
public final class MaintenanceRightsContributor implements RightContributor {

    @Override
    public String module() {
        return MaintenanceRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                MaintenanceRights.MANAGE,
                MaintenanceRights.MODULE,
                "Maintenance",
                "Plan, change and end maintenance phases"));
    }
}
