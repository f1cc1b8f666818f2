package org.karyo.content.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.content.api.ContentRights;
import org.osgi.service.component.annotations.Component;

/** Registers the web content module's rights ({@link ContentRights}) while the module is installed. */
@Component(service = RightContributor.class)
public final class ContentRightsContributor implements RightContributor {

    @Override
    public String module() {
        return ContentRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(RightDefinition.global(
                ContentRights.MANAGE,
                ContentRights.MODULE,
                "Web content",
                "Create, change and delete banners and release notes"));
    }
}
