package org.karyo.auth.oidc.internal;

import java.time.Clock;
import java.util.Dictionary;
import java.util.Hashtable;
import org.karyo.api.EnvOverrides;
import org.karyo.auth.api.IdentityProvider;
import org.osgi.framework.BundleContext;
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
 * One external OpenID Connect provider per factory configuration {@value #PID} (Karaf: {@code
 * etc/org.karyo.auth.oidc-<name>.cfg}). Activation does no network I/O: discovery and the JWKS are fetched on first
 * use and retried with back-off, so an unreachable provider never blocks Karaf's start.
 *
 * <p>The {@link IdentityProvider} service is registered by hand, with only non-secret properties: Declarative Services
 * would copy every configuration property, {@code client.secret} included, into the service properties, where {@code
 * service:list} shows them.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = OidcProviderComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OidcProviderComponent.Config.class, factory = true)
public final class OidcProviderComponent {
    static final String PID = "org.karyo.auth.oidc";
    /** The service property carrying the provider's name, for targeted references. */
    static final String PROVIDER_PROPERTY = "karyo.auth.provider";

    private static final Logger LOG = LoggerFactory.getLogger(OidcProviderComponent.class);

    /**
     * An OpenID Connect provider. Each key is overridden by the environment variable {@code
     * KARYO_OIDC_<NAME>_<KEY>}, where {@code <NAME>} is the provider's name and {@code <KEY>} the key, both upper-cased
     * with every other character than letters and digits replaced by {@code _} (provider {@code aphp}, key {@code
     * client.secret}: {@code KARYO_OIDC_APHP_CLIENT_SECRET}).
     */
    @ObjectClassDefinition(
            name = "Karyo OpenID Connect provider",
            description = "An external identity provider for OIDC login (authorization code + PKCE) and bearer tokens")
    public @interface Config {
        @AttributeDefinition(description = "The name clients send as 'provider' at login; letters, digits, '-' and '_'")
        String name() default "";

        @AttributeDefinition(
                description = "The issuer URL, exactly as the provider writes it in 'iss'; discovery reads "
                        + "<issuer>/.well-known/openid-configuration")
        String issuer() default "";

        @AttributeDefinition(description = "This platform's client id at the provider")
        String client_id() default "";

        @AttributeDefinition(
                type = AttributeType.PASSWORD,
                description = "Client secret (client_secret_basic); empty for a public client (PKCE only). Keep it "
                        + "out of the file: set KARYO_OIDC_<NAME>_CLIENT_SECRET in the environment")
        String client_secret() default "";

        @AttributeDefinition(
                description = "Comma-separated 'aud' values accepted in bearer tokens; empty: the client id")
        String audience() default "";

        @AttributeDefinition(
                description = "Comma-separated other 'iss' values accepted for tokens signed with this provider's "
                        + "keys (Cohort360's OIDC_EXTRA_SERVER_URLS)")
        String extra_issuers() default "";

        @AttributeDefinition(description = "The claim holding the username")
        String username_claim() default "preferred_username";

        @AttributeDefinition(description = "Whether unknown users are created (without any access) at first login")
        boolean auto_provision() default false;

        @AttributeDefinition(
                description = "Minutes the provider's signing keys are cached; an unknown key id refreshes them "
                        + "earlier (at most twice per 30 seconds)")
        int jwks_cache_minutes() default 15;

        @AttributeDefinition(description = "Scopes clients request at the authorization endpoint (space-separated)")
        String scopes() default "openid profile email";

        @AttributeDefinition(description = "Connect and read timeout of calls to the provider, in seconds")
        int http_timeout_seconds() default 10;
    }

    private final ServiceRegistration<IdentityProvider> registration;

    @Activate
    public OidcProviderComponent(BundleContext context, Config config) {
        OidcSettings settings = OidcSettings.resolve(config, EnvOverrides.system());
        OidcIdentityProvider provider = new OidcIdentityProvider(settings, Clock.systemUTC());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PROVIDER_PROPERTY, settings.name());
        properties.put("issuer", settings.issuer());
        properties.put("client.id", settings.clientId());
        properties.put("scopes", settings.scopes());
        properties.put("auto.provision", settings.autoProvision());
        this.registration = context.registerService(IdentityProvider.class, provider, properties);
        LOG.info("OIDC provider active: {}", settings);
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
