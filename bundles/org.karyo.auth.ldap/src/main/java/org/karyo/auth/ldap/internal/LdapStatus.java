package org.karyo.auth.ldap.internal;

import java.util.Map;
import org.karyo.api.module.ReadinessCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says whether the LDAP plug-in is configured: installed without {@code etc/org.karyo.auth.ldap.cfg}, it checks no
 * password, which a WARN at activation and {@code /api/health/detail} (check {@value #NAME}) say. It never holds the
 * platform's readiness back: an unconfigured plug-in is inert, not broken. With the configuration, the
 * {@link LdapProviderComponent} logs what it connects to.
 */
@Component(
        service = ReadinessCheck.class,
        configurationPid = LdapProviderComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class LdapStatus implements ReadinessCheck {
    static final String NAME = "auth-ldap";
    static final String UNCONFIGURED = "not configured: LDAP checks no password until etc/"
            + LdapProviderComponent.PID
            + ".cfg sets url and bind.dn.pattern or search.base";

    private static final Logger LOG = LoggerFactory.getLogger(LdapStatus.class);

    private final boolean configured;

    @Activate
    public LdapStatus(Map<String, Object> properties) {
        // Configuration Admin adds service.pid to the properties of a component that has a configuration
        this.configured = properties.containsKey("service.pid");
        if (!configured) {
            LOG.warn(
                    "LDAP authentication (karyo-auth-ldap) is installed but inert until etc/{}.cfg is configured",
                    LdapProviderComponent.PID);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Always: an unconfigured plug-in is inert, not a reason to refuse traffic. */
    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String detail() {
        return configured ? null : UNCONFIGURED;
    }
}
