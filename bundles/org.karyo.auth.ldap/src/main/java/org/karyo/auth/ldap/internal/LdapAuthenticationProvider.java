package org.karyo.auth.ldap.internal;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.net.SocketFactory;
import org.karyo.auth.api.AuthenticationProvider;
import org.karyo.auth.api.ExternalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a password by binding to the directory as the user: with a DN built from {@code bind.dn.pattern}, or with the
 * DN a search under {@code search.base} finds. Each call opens its own connection (logins are rare next to the
 * connect cost, and nothing is shared between threads) and closes it.
 *
 * <p>Verdicts: bind succeeds, ACCEPTED; wrong password (result 49), REJECTED; empty password, REJECTED without asking
 * the directory (an empty simple bind would be an anonymous bind); user not found, ABSTAIN; directory unreachable,
 * timed out or misconfigured, ABSTAIN with a warning. Passwords, usernames and DNs are never logged.
 */
final class LdapAuthenticationProvider implements AuthenticationProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LdapAuthenticationProvider.class);
    private static final String NO_ATTRIBUTES = "1.1";
    private static final String PLACEHOLDER = "{0}";

    private final LdapSettings settings;

    LdapAuthenticationProvider(LdapSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Verdict authenticate(String username, char[] password) {
        if (username == null || username.isBlank()) {
            return Verdict.ABSTAIN;
        }
        if (password == null || password.length == 0) {
            return Verdict.REJECTED;
        }
        try (LDAPConnection connection = connect()) {
            Optional<String> dn = userDn(connection, username);
            if (dn.isEmpty()) {
                return Verdict.ABSTAIN;
            }
            byte[] secret = utf8(password);
            try {
                connection.bind(new SimpleBindRequest(dn.get(), secret));
                return Verdict.ACCEPTED;
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return Verdict.REJECTED;
                }
                if (unavailable(e)) {
                    throw e;
                }
                // locked, expired, unwilling to perform …: the directory knows the user and says no
                LOG.info("LDAP provider {}: user bind refused ({})", name(), e.getResultCode());
                return Verdict.REJECTED;
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } catch (LDAPException e) {
            LOG.warn("LDAP provider {}: directory unavailable or misconfigured ({}); abstaining", name(), describe(e));
            return Verdict.ABSTAIN;
        }
    }

    @Override
    public Optional<ExternalUser> lookup(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        String[] attributes = {settings.firstnameAttribute(), settings.lastnameAttribute(), settings.emailAttribute()};
        try (LDAPConnection connection = connect()) {
            return entry(connection, username, attributes)
                    .map(e -> new ExternalUser(
                            username,
                            value(e, settings.firstnameAttribute()),
                            value(e, settings.lastnameAttribute()),
                            value(e, settings.emailAttribute())));
        } catch (LDAPException e) {
            LOG.warn("LDAP provider {}: lookup failed ({})", name(), describe(e));
            return Optional.empty();
        }
    }

    /**
     * The DN to bind as. Direct-bind mode: built from the pattern; when a service account is configured, the entry must
     * exist (so that users the directory does not know are left to the next provider instead of rejected).
     */
    private Optional<String> userDn(LDAPConnection connection, String username) throws LDAPException {
        if (!settings.searchMode() && !settings.hasServiceAccount()) {
            return Optional.of(directDn(username));
        }
        return entry(connection, username, NO_ATTRIBUTES).map(SearchResultEntry::getDN);
    }

    /** The user's entry: searched for in search mode, read at the pattern's DN in direct-bind mode. */
    private Optional<SearchResultEntry> entry(LDAPConnection connection, String username, String... attributes)
            throws LDAPException {
        if (settings.hasServiceAccount()) {
            connection.bind(new SimpleBindRequest(settings.serviceDn(), settings.servicePassword()));
        }
        if (!settings.searchMode()) {
            try {
                return Optional.ofNullable(connection.getEntry(directDn(username), attributes));
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                    return Optional.empty();
                }
                throw e;
            }
        }
        Filter filter = Filter.create(settings.searchFilter().replace(PLACEHOLDER, Filter.encodeValue(username)));
        SearchRequest request = new SearchRequest(settings.searchBase(), SearchScope.SUB, filter, attributes);
        request.setSizeLimit(2);
        request.setTimeLimitSeconds(Math.max(1, settings.responseTimeoutMs() / 1000));
        SearchResult result;
        try {
            result = connection.search(request);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("LDAP provider {}: search.filter matches several entries for one user; abstaining", name());
                return Optional.empty();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                LOG.warn("LDAP provider {}: search.base does not exist; abstaining", name());
                return Optional.empty();
            }
            throw e;
        }
        if (result.getEntryCount() > 1) {
            LOG.warn("LDAP provider {}: search.filter matches several entries for one user; abstaining", name());
            return Optional.empty();
        }
        return result.getEntryCount() == 0
                ? Optional.empty()
                : Optional.of(result.getSearchEntries().get(0));
    }

    private String directDn(String username) {
        return settings.bindDnPattern().replace(PLACEHOLDER, DnEscaping.escapeValue(username));
    }

    private LDAPConnection connect() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(settings.connectTimeoutMs());
        options.setResponseTimeoutMillis(settings.responseTimeoutMs());
        options.setFollowReferrals(false);
        options.setBindWithDNRequiresPassword(true);
        SocketFactory sockets = SocketFactory.getDefault();
        if (settings.ssl()) {
            try {
                sockets = new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new LDAPException(ResultCode.LOCAL_ERROR, "cannot set up TLS", e);
            }
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        return new LDAPConnection(sockets, options, settings.host(), settings.port());
    }

    private static boolean unavailable(LDAPException e) {
        return !ResultCode.isConnectionUsable(e.getResultCode()) || e.getResultCode() == ResultCode.TIMEOUT;
    }

    /** The result code only: diagnostic messages may quote DNs, that is usernames. */
    private static String describe(LDAPException e) {
        return "result " + e.getResultCode().intValue() + " "
                + e.getResultCode().getName();
    }

    private static Optional<String> value(SearchResultEntry entry, String attribute) {
        String v = entry.getAttributeValue(attribute);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return bytes;
    }
}
