package org.karyo.content.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.osgi.service.component.annotations.Component;

/** The web content module's rights, registered while the module is installed. */
@Component(service = RightContributor.class)
public final class ContentRights implements RightContributor {

    /** Create, change and delete banners and release notes. */
    public static final String MANAGE = "content.manage";

    @Override
    public String module() {
        return "content";
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                MANAGE, "content", "Web content", "Create, change and delete banners and release notes"));
    }
}
