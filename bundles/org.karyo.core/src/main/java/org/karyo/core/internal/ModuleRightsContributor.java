package org.karyo.core.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.core.modules.ModuleRights;
import org.osgi.service.component.annotations.Component;

/** Registers the rights of module management ({@link ModuleRights}). */
@Component(service = RightContributor.class)
public final class ModuleRightsContributor implements RightContributor {

    @Override
    public String module() {
        return ModuleRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                ModuleRights.MANAGE,
                ModuleRights.MODULE,
                "Platform",
                "See the modules, their versions and schemas; install and uninstall them"));
    }
}
