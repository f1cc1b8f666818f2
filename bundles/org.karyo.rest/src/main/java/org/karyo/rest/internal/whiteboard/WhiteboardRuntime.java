package org.karyo.rest.internal.whiteboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.karyo.rest.support.Karyo;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the JAX-RS whiteboard says it serves, read from its runtime DTOs (the OpenAPI document and readiness). */
public final class WhiteboardRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(WhiteboardRuntime.class);

    private WhiteboardRuntime() {}

    /** The runtime DTO of each whiteboard that can be read now. */
    public static List<RuntimeDTO> dtos(Collection<JaxrsServiceRuntime> runtimes) {
        List<RuntimeDTO> out = new ArrayList<>();
        for (JaxrsServiceRuntime runtime : runtimes) {
            try {
                RuntimeDTO dto = runtime.getRuntimeDTO();
                if (dto != null) {
                    out.add(dto);
                }
            } catch (RuntimeException e) {
                LOG.debug("JAX-RS runtime not readable", e);
            }
        }
        return out;
    }

    /** The resources the whiteboard serves in the karyo application ({@code /api}). */
    public static List<ResourceDTO> karyoResources(RuntimeDTO dto) {
        List<ResourceDTO> out = new ArrayList<>();
        if (dto.applicationDTOs != null) {
            for (ApplicationDTO app : dto.applicationDTOs) {
                if (Karyo.APPLICATION.equals(app.name) && app.resourceDTOs != null) {
                    out.addAll(List.of(app.resourceDTOs));
                }
            }
        }
        return out;
    }
}
