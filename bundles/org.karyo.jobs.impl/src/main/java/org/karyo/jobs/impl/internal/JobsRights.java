package org.karyo.jobs.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.jobs.api.JobRights;
import org.osgi.service.component.annotations.Component;

/** Registers the jobs module's rights (declared in {@link JobRights}) while the module is installed. */
@Component(service = RightContributor.class)
public final class JobsRights implements RightContributor {

    @Override
    public String module() {
        return JobRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return JobRights.definitions();
    }
}
