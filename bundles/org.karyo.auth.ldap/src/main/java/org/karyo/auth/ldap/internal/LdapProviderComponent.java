package org.karyo.auth.ldap.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import org.karyo.api.EnvOverrides;
import org.karyo.auth.api.AuthenticationProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LDAP plug-in: while configuration {@value #PID} exists ({@code etc/org.karyo.auth.ldap.cfg}) and the bundle is
 * active, an {@link AuthenticationProvider} checks passwords by binding to the directory. No configuration, no
 * provider; installing or uninstalling the bundle (or the cfg file) switches it on or off at once.
 *
 * <p>The service is registered by hand with only {@code name} and {@code service.ranking}: Declarative Services would
 * copy every configuration property, {@code service.password} included, into the service properties, where {@code
 * service:list} shows them.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = LdapProviderComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LdapProviderComponent.Config.class)
public final class LdapProviderComponent {
    static final String PID = "org.karyo.auth.ldap";
    /** The service property carrying the provider's name. */
    static final String PROVIDER_PROPERTY = "karyo.auth.provider";

    private static final Logger LOG = LoggerFactory.getLogger(LdapProviderComponent.class);

    /**
     * LDAP bind authentication. Every key is overridden by the environment variable {@code KARYO_LDAP_<KEY>} ({@code
     * service.password}: {@code KARYO_LDAP_SERVICE_PASSWORD}).
     */
    @ObjectClassDefinition(
            name = "Karyo LDAP authentication",
            description = "Checks passwords by binding to an LDAP directory (direct bind, or search then bind)")
    public @interface Config {
        @AttributeDefinition(
                description = "ldap://host:389 or ldaps://host:636 (certificate checked against the JVM "
                        + "trust store, host name verified)")
        String url() default "";

        @AttributeDefinition(
                description = "Direct bind: the user's DN with {0} for the username, e.g. "
                        + "uid={0},ou=people,dc=example,dc=org (escaped per RFC 4514). Leave empty for search mode")
        String bind_dn_pattern() default "";

        @AttributeDefinition(description = "Search mode: where users are searched (subtree)")
        String search_base() default "";

        @AttributeDefinition(description = "Search mode: the filter with {0} for the username (escaped per RFC 4515)")
        String search_filter() default "(uid={0})";

        @AttributeDefinition(
                description = "DN the plug-in binds as to search (empty: anonymous search). In direct-bind mode, if "
                        + "set, it is used to tell unknown users (abstain) from wrong passwords (reject)")
        String service_dn() default "";

        @AttributeDefinition(
                type = AttributeType.PASSWORD,
                description = "Password of service.dn; keep it out of the file: set KARYO_LDAP_SERVICE_PASSWORD in the "
                        + "environment")
        String service_password() default "";

        @AttributeDefinition(description = "Connect timeout in milliseconds")
        int connect_timeout_ms() default 5000;

        @AttributeDefinition(description = "Timeout of each LDAP operation in milliseconds")
        int response_timeout_ms() default 5000;

        @AttributeDefinition(description = "The provider's name, recorded as the source of its users and in the audit")
        String name() default "ldap";

        @AttributeDefinition(description = "Order among authentication providers: highest is asked first")
        int service_ranking() default 100;

        @AttributeDefinition(description = "Attribute holding the first name")
        String firstname_attribute() default "givenName";

        @AttributeDefinition(description = "Attribute holding the last name")
        String lastname_attribute() default "sn";

        @AttributeDefinition(description = "Attribute holding the e-mail address")
        String email_attribute() default "mail";
    }

    private final ServiceRegistration<AuthenticationProvider> registration;

    @Activate
    public LdapProviderComponent(BundleContext context, Config config) {
        LdapSettings settings = LdapSettings.resolve(config, EnvOverrides.system());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PROVIDER_PROPERTY, settings.name());
        properties.put(Constants.SERVICE_RANKING, settings.ranking());
        this.registration = context.registerService(
                AuthenticationProvider.class, new LdapAuthenticationProvider(settings), properties);
        LOG.info("LDAP authentication provider active: {}", settings);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
    }
}
