package org.karyo.omics.impl.internal;

import java.util.List;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;
import org.karyo.omics.api.OmicsRights;
import org.osgi.service.component.annotations.Component;

/**
 * The omics module's rights, registered while the module is installed. Each is inherited down the perimeter tree, so
 * an access on an institution's node grants it on every project of the institution.
 */
@Component(service = RightContributor.class)
public final class OmicsRightsContributor implements RightContributor {

    private static final String CATEGORY = "Genomic files";

    @Override
    public String module() {
        return OmicsRights.MODULE;
    }

    @Override
    public List<RightDefinition> rights() {
        return List.of(
                RightDefinition.inherited(
                        OmicsRights.READ,
                        OmicsRights.MODULE,
                        CATEGORY,
                        "See genomic files and their metadata; query records without sample columns"),
                RightDefinition.inherited(
                                OmicsRights.READ_GENOTYPES,
                                OmicsRights.MODULE,
                                CATEGORY,
                                "Read genotypes: sample columns (as consent allows), htsget and whole-file download")
                        .dependingOn(OmicsRights.READ),
                RightDefinition.inherited(
                                OmicsRights.UPLOAD,
                                OmicsRights.MODULE,
                                CATEGORY,
                                "Upload genomic files, attach QC metrics, change a file's assembly, repository or"
                                        + " participant")
                        .dependingOn(OmicsRights.READ),
                RightDefinition.inherited(
                                OmicsRights.MANAGE,
                                OmicsRights.MODULE,
                                CATEGORY,
                                "Delete genomic files and abort other users' uploads")
                        .dependingOn(OmicsRights.READ));
    }
}
