package org.karyo.auth.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.ApiToken;
import org.karyo.auth.api.ApiTokenService;

/** Tokens in memory; remembers what it received. */
final class FakeApiTokenService implements ApiTokenService {
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private final List<ApiToken> tokens = new ArrayList<>();

    Caller lastCaller;
    Set<String> lastRights;
    String lastListFilter = "(not called)";
    String lastRevoked;

    @Override
    public IssuedToken create(Caller caller, String username, String name, Set<String> rights, Instant expiresAt) {
        lastCaller = caller;
        lastRights = rights;
        ApiToken t = new ApiToken(
                "tok-" + (tokens.size() + 1),
                username,
                name,
                rights,
                "kt_ab12",
                NOW,
                expiresAt,
                Optional.empty(),
                Optional.empty());
        tokens.add(t);
        return new IssuedToken(t, "kt_ab12cd34ef56-the-secret");
    }

    @Override
    public void revoke(Caller caller, String tokenId) {
        lastCaller = caller;
        lastRevoked = tokenId;
        if (tokens.stream().noneMatch(t -> t.id().equals(tokenId))) {
            throw KaryoException.notFound("token", tokenId);
        }
    }

    @Override
    public List<ApiToken> list(Caller caller, String usernameOrNull) {
        lastCaller = caller;
        lastListFilter = usernameOrNull;
        return tokens.stream()
                .filter(t -> usernameOrNull == null || t.username().equals(usernameOrNull))
                .toList();
    }

    @Override
    public Page<ApiToken> list(Caller caller, String usernameOrNull, PageRequest page) {
        List<ApiToken> all = list(caller, usernameOrNull);
        List<ApiToken> slice =
                all.stream().skip(page.offset()).limit(page.limit()).toList();
        return new Page<>(all.size(), page.limit(), page.offset(), slice);
    }
}
