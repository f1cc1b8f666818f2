package org.karyo.projects.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.projects.api.ProjectRights;
import org.osgi.service.component.annotations.Component;

/**
 * The projects module's rights, registered while the module is installed. All are inherited down the perimeter tree:
 * granted on an institution's node (or above), they hold on each of its projects. Every right but
 * {@link ProjectRights#PROJECT_READ} requires it in the same role, so a role that lets someone touch a project also
 * lets them see it.
 */
@Component(service = RightContributor.class)
public final class ProjectRightsContributor implements RightContributor {

    static final String MODULE = ProjectRights.MODULE;
    private static final String CATEGORY = "Projects";

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(
                RightDefinition.inherited(
                        ProjectRights.PROJECT_READ,
                        MODULE,
                        CATEGORY,
                        "See projects, their institution, investigator and files"),
                RightDefinition.inherited(
                                ProjectRights.PROJECT_MANAGE,
                                MODULE,
                                CATEGORY,
                                "Create and change projects and their files (institutions and investigators too)")
                        .dependingOn(ProjectRights.PROJECT_READ),
                RightDefinition.inherited(
                                ProjectRights.PARTICIPANT_READ_NOMINATIVE,
                                MODULE,
                                CATEGORY,
                                "Read participants with names, birth dates, contact data, notes and consent forms")
                        .dependingOn(ProjectRights.PROJECT_READ),
                RightDefinition.inherited(
                                ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED,
                                MODULE,
                                CATEGORY,
                                "Read pseudonymised participants (pseudonym, birth year, no names or contact data)")
                        .dependingOn(ProjectRights.PROJECT_READ),
                RightDefinition.inherited(
                                ProjectRights.PARTICIPANT_MANAGE,
                                MODULE,
                                CATEGORY,
                                "Create, change, import and delete participants, their consent and relations")
                        .dependingOn(ProjectRights.PROJECT_READ));
    }
}
