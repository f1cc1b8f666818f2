package org.karyo.auth.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/** Service-account API tokens. Every method needs {@code accesses.full_admin} and is audited. */
@ProviderType
public interface ApiTokenService {

    /** Creates a token for a service account; the secret is in the result only. */
    IssuedToken create(Caller caller, String username, String name, Set<String> rights, Instant expiresAt);

    void revoke(Caller caller, String tokenId);

    /** Every token (of one service account when named), newest first. */
    List<ApiToken> list(Caller caller, String usernameOrNull);

    /**
     * One page of the tokens (of one service account when named), newest first, with the count of all of them.
     *
     * @throws org.karyo.api.KaryoException INVALID naming {@code limit} or {@code offset} out of range
     */
    Page<ApiToken> list(Caller caller, String usernameOrNull, PageRequest page);

    /** A created token and its secret. */
    record IssuedToken(ApiToken token, String secret) {}
}
