package org.karyo.accesses.impl.internal;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Maps a Karaf console user to a Karyo user through {@code console.users} ({@code karaf=admin,ops=opsuser}); with no
 * mapping configured, every console user acts as the bootstrap administrator. The caller carries that user's current
 * rights, so console commands go through the same checks and audit as REST calls.
 */
@Component(service = ConsoleIdentity.class)
public final class ConsoleIdentityImpl implements ConsoleIdentity {

    private final UserService users;
    private final RightsResolverImpl resolver;
    private final AccessesSettings settings;

    @Activate
    public ConsoleIdentityImpl(
            @Reference UserService users,
            @Reference RightsResolverImpl resolver,
            @Reference AccessesSettings settings) {
        this.users = Objects.requireNonNull(users, "users");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Caller resolve(String consoleUser) {
        Map<String, String> mapping = settings.consoleUsers();
        String username = mapping.isEmpty()
                ? settings.adminUsername()
                : mapping.get(consoleUser == null ? "" : consoleUser.trim());
        if (username == null) {
            throw KaryoException.unauthenticated("This console user is not mapped to a Karyo user (console.users)");
        }
        Optional<User> user = users.find(username).filter(User::active);
        if (user.isEmpty()) {
            throw KaryoException.unauthenticated("The Karyo user of this console user does not exist or is disabled");
        }
        User u = user.get();
        return new KaryoCaller(u.id(), u.username(), resolver.rightsOf(u.id()), Optional.empty(), false, false, false);
    }
}
