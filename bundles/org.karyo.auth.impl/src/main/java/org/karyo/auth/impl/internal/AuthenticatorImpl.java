package org.karyo.auth.impl.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.karyo.api.KaryoException;
import org.karyo.auth.api.Authenticator;
import org.karyo.auth.api.ExternalIdentity;
import org.karyo.auth.api.Identity;
import org.karyo.auth.api.IdentityProvider;
import org.karyo.auth.api.UserKind;
import org.karyo.auth.impl.internal.tokens.ApiTokenAuthenticator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@code Authorization: Bearer} credentials on every request. API tokens ({@code kyt_…}) go to the
 * {@link ApiTokenAuthenticator}. Karyo access tokens are verified in memory ({@link AccessTokens}), then their session
 * must not be revoked and their user must be active (both from memory). A JWT of another issuer, an opaque token, or
 * any bearer with {@code AUTHORIZATIONMETHOD: OIDC} is offered to every {@link IdentityProvider}; the first that
 * recognises it decides, and its user must exist and be active (or be provisioned, if the provider allows it).
 * Whatever fails answers the same UNAUTHENTICATED.
 */
@Component(service = Authenticator.class)
public class AuthenticatorImpl implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorImpl.class);
    private static final int MAX_TOKEN = 16_384;

    private final AccessTokens tokens;
    private final Sessions sessions;
    private final Users users;
    private final ApiTokenAuthenticator apiTokens;
    private final Provisioning provisioning;
    private final AuthSettings settings;
    private final Rankings<IdentityProvider> identityProviders = new Rankings<>();

    @Activate
    public AuthenticatorImpl(
            @Reference AccessTokens tokens,
            @Reference Sessions sessions,
            @Reference Users users,
            @Reference ApiTokenAuthenticator apiTokens,
            @Reference Provisioning provisioning,
            @Reference AuthSettings settings) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
        this.apiTokens = Objects.requireNonNull(apiTokens, "apiTokens");
        this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIdentityProvider(IdentityProvider provider, Map<String, Object> properties) {
        identityProviders.add(provider, properties);
    }

    void removeIdentityProvider(IdentityProvider provider) {
        identityProviders.remove(provider);
    }

    @Override
    public Optional<Identity> authenticate(String authorization, String authorizationMethod) {
        CurrentIdentity.set(null);
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw refuse("not a bearer");
        }
        String token = value.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN) {
            throw refuse("empty or oversized");
        }
        Identity identity;
        if (apiTokens.recognises(token)) {
            identity = apiTokens.authenticate(token);
        } else if ("OIDC".equalsIgnoreCase(authorizationMethod)) {
            identity = external(token);
        } else {
            Optional<AccessTokens.Verified> ours = tokens.verify(token);
            identity = ours.isPresent() ? karyo(ours.get()) : external(token);
        }
        CurrentIdentity.set(identity);
        return Optional.of(identity);
    }

    private Identity karyo(AccessTokens.Verified v) {
        if (sessions.isRevoked(v.sid())) {
            throw refuse("revoked session");
        }
        UserRow user = users.cachedById(v.userId()).orElseThrow(() -> refuse("unknown user"));
        if (!user.active()) {
            throw refuse("disabled user");
        }
        return new Identity(
                user.id(),
                user.username(),
                Identity.Method.TOKEN,
                Optional.of(v.sid()),
                v.clientId(),
                Optional.empty(),
                settings.maintenanceExempt(user.username()),
                AccessTokens.SCOPE_MFA_ENROLMENT.equals(v.scope()),
                v.expiresAt());
    }

    private Identity external(String token) {
        for (IdentityProvider provider : identityProviders.services()) {
            Optional<ExternalIdentity> proven;
            try {
                proven = provider.verifyBearer(token);
            } catch (KaryoException e) {
                throw refuse("rejected by an identity provider");
            } catch (RuntimeException e) {
                LOG.warn(
                        "Identity provider {} failed to verify a bearer token: {}",
                        provider.name(),
                        e.getClass().getName());
                continue;
            }
            if (proven == null || proven.isEmpty()) {
                continue;
            }
            ExternalIdentity x = proven.get();
            String username = x.user() == null ? null : x.user().username();
            if (username == null) {
                throw refuse("no username");
            }
            Optional<UserRow> found = users.cachedByUsername(username);
            UserRow user;
            if (found.isPresent()) {
                user = found.get();
            } else if (provider.autoProvision()) {
                user = provisioning.provision(provider, x);
            } else {
                throw refuse("unknown user");
            }
            if (!user.active() || user.kind() != UserKind.PERSON) {
                throw refuse("disabled user");
            }
            return new Identity(
                    user.id(),
                    user.username(),
                    Identity.Method.OIDC,
                    Optional.empty(),
                    provider.name(),
                    Optional.empty(),
                    settings.maintenanceExempt(user.username()),
                    false,
                    x.expiresAt());
        }
        throw refuse("unknown token");
    }

    private static KaryoException refuse(String why) {
        LOG.debug("Bearer refused: {}", why);
        return BearerRefusals.invalid();
    }
}
