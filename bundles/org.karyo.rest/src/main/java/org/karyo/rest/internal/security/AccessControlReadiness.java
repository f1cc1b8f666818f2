package org.karyo.rest.internal.security;

import org.karyo.api.module.ReadinessCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The platform is not ready while no access control is installed: only public operations would be served (the
 * security extension fails closed), so a load balancer or an orchestrator must not send traffic yet.
 */
@Component(service = ReadinessCheck.class)
public final class AccessControlReadiness implements ReadinessCheck {
    private final Gatekeeper gatekeeper;

    @Activate
    public AccessControlReadiness(@Reference Gatekeeper gatekeeper) {
        this.gatekeeper = gatekeeper;
    }

    @Override
    public String name() {
        return "access-control";
    }

    @Override
    public boolean ready() {
        return gatekeeper.accessControlled();
    }

    @Override
    public String detail() {
        return ready()
                ? null
                : "no access control is installed yet (feature karyo-accesses): only public operations are served";
    }
}
