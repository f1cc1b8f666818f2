package org.karyo.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.karyo.api.module.CachedDetail;
import org.karyo.api.module.ReadinessCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The platform is not ready while a Karyo component is enabled but cannot run: a mandatory service it needs is missing
 * ({@code UNSATISFIED_REFERENCE}) or its activation threw ({@code FAILED_ACTIVATION}). Without this check a module whose
 * service went away (a failed restart after a configuration change, a dependency uninstalled) would leave the platform
 * "ready" while its REST paths answer 404. Components that wait for a configuration the site has not given (an
 * optional plugin such as LDAP) are not counted: they are not meant to run until configured.
 */
@Component(service = ReadinessCheck.class)
public final class ComponentsReadiness implements ReadinessCheck {
    /** Only the platform's own bundles are judged. */
    static final String PREFIX = "org.karyo.";
    /** At most this many components are named in the detail. */
    static final int MAX_NAMED = 5;

    /** How long one evaluation is answered: health probes come often, and listing every component is not free. */
    static final Duration CACHE = Duration.ofSeconds(2);

    private final ServiceComponentRuntime scr;
    private final CachedDetail detail = new CachedDetail(this::evaluate, CACHE);

    @Activate
    public ComponentsReadiness(@Reference ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    @Override
    public String name() {
        return "components";
    }

    @Override
    public boolean ready() {
        return detail() == null;
    }

    @Override
    public String detail() {
        return detail.get();
    }

    private String evaluate() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle == null || d.bundle.symbolicName == null || !d.bundle.symbolicName.startsWith(PREFIX)) {
                continue;
            }
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                String problem = problem(d, c);
                if (problem != null) {
                    problems.add(problem);
                    break;
                }
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        // root causes first: a component that failed on its own (a missing key, a bad configuration) explains the
        // ones that failed only because it is not there
        problems.sort(java.util.Comparator.comparing(ComponentsReadiness::consequence));
        String named = problems.stream().limit(MAX_NAMED).collect(Collectors.joining("; "));
        return problems.size() > MAX_NAMED
                ? named + "; and " + (problems.size() - MAX_NAMED) + " more (karaf@root> scr:list)"
                : named;
    }

    /** What is wrong with one component configuration, or {@code null} when it runs or may run. */
    static String problem(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        String who = simpleName(d.name) + " (" + d.bundle.symbolicName + ")";
        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
            String failure =
                    c.failure == null ? "" : c.failure.lines().findFirst().orElse("");
            return who + " failed to activate" + (failure.isBlank() ? "" : ": " + failure);
        }
        if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
            UnsatisfiedReferenceDTO[] missing =
                    c.unsatisfiedReferences == null ? new UnsatisfiedReferenceDTO[0] : c.unsatisfiedReferences;
            String services = Arrays.stream(missing)
                    .map(r -> service(d, r.name))
                    .distinct()
                    .collect(Collectors.joining(", "));
            return who + " waits for " + (services.isEmpty() ? "a service" : services);
        }
        return null;
    }

    private static String service(ComponentDescriptionDTO d, String reference) {
        if (d.references != null) {
            for (var r : d.references) {
                if (reference.equals(r.name)) {
                    return simpleName(r.interfaceName);
                }
            }
        }
        return reference;
    }

    private static String simpleName(String name) {
        return name == null ? "?" : name.substring(name.lastIndexOf('.') + 1);
    }

    /** Whether a problem is only the consequence of another component's (a service it needs could not be had). */
    static boolean consequence(String problem) {
        return problem.contains("Unable to get service for reference") || problem.contains(" waits for ");
    }
}
