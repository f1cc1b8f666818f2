package org.karyo.auth.ldap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.auth.api.AuthenticationProvider.Verdict;
import org.karyo.auth.api.ExternalUser;

/** Against a real LDAP server (UnboundID's in-memory directory) started by the test. */
class LdapAuthenticationProviderTest {
    private static final String BASE = "dc=example,dc=org";
    private static final String PEOPLE = "ou=people," + BASE;
    private static final String SERVICE_DN = "cn=karyo,ou=services," + BASE;
    private static final String SERVICE_PASSWORD = "service-secret-1";

    private InMemoryDirectoryServer server;
    private final List<String> bindDns = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                synchronized (bindDns) {
                    bindDns.add(request.getRequest().getBindDN());
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        server.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
        server.add("dn: ou=services," + BASE, "objectClass: organizationalUnit", "ou: services");
        server.add(
                "dn: " + SERVICE_DN,
                "objectClass: person",
                "cn: karyo",
                "sn: service",
                "userPassword: " + SERVICE_PASSWORD);
        person("jdoe", "Jane", "Doe", "jane.doe@example.org", "correct horse battery");
        person("admin", "Ada", "Admin", "admin@example.org", "admin-password-1");
        // a username that needs DN escaping
        server.add(
                "dn: uid=o\\,brien," + PEOPLE,
                "objectClass: inetOrgPerson",
                "uid: o,brien",
                "cn: Pat O'Brien",
                "sn: O'Brien",
                "userPassword: pat-password-1");
        server.startListening();
    }

    private void person(String uid, String first, String last, String mail, String password) throws Exception {
        server.add(
                "dn: uid=" + uid + "," + PEOPLE,
                "objectClass: inetOrgPerson",
                "uid: " + uid,
                "cn: " + first + " " + last,
                "givenName: " + first,
                "sn: " + last,
                "mail: " + mail,
                "userPassword: " + password);
    }

    @AfterEach
    void stop() {
        server.shutDown(true);
    }

    // ---- configuration -------------------------------------------------------------------------------------------

    /** A Config as SCR builds it: the given keys, the annotation's defaults otherwise. */
    static LdapProviderComponent.Config config(Map<String, Object> values) {
        return (LdapProviderComponent.Config) Proxy.newProxyInstance(
                LdapAuthenticationProviderTest.class.getClassLoader(),
                new Class<?>[] {LdapProviderComponent.Config.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    private String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    private LdapAuthenticationProvider provider(Map<String, Object> values) {
        return new LdapAuthenticationProvider(LdapSettings.resolve(config(values), EnvOverrides.of(Map.of())));
    }

    private LdapAuthenticationProvider directBind() {
        return provider(Map.of("url", url(), "bind.dn.pattern", "uid={0}," + PEOPLE));
    }

    private LdapAuthenticationProvider directBindWithServiceAccount() {
        return provider(Map.of(
                "url",
                url(),
                "bind.dn.pattern",
                "uid={0}," + PEOPLE,
                "service.dn",
                SERVICE_DN,
                "service.password",
                SERVICE_PASSWORD));
    }

    private LdapAuthenticationProvider search() {
        return provider(Map.of(
                "url",
                url(),
                "search.base",
                BASE,
                "search.filter",
                "(&(objectClass=inetOrgPerson)(uid={0}))",
                "service.dn",
                SERVICE_DN,
                "service.password",
                SERVICE_PASSWORD));
    }

    private static char[] pw(String s) {
        return s.toCharArray();
    }

    // ---- direct bind ---------------------------------------------------------------------------------------------

    @Test
    void directBindAcceptsTheRightPasswordAndRejectsAWrongOne() {
        LdapAuthenticationProvider ldap = directBind();

        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(ldap.authenticate("jdoe", pw("wrong"))).isEqualTo(Verdict.REJECTED);
        assertThat(bindDns).containsOnly("uid=jdoe," + PEOPLE);
    }

    @Test
    void directBindEscapesTheUsernameAsOneDnValue() {
        LdapAuthenticationProvider ldap = directBind();

        assertThat(ldap.authenticate("o,brien", pw("pat-password-1"))).isEqualTo(Verdict.ACCEPTED);
        // an attempt to bind as another entry: stays one (non-existent) RDN value
        assertThat(ldap.authenticate("admin," + PEOPLE + ",x", pw("admin-password-1")))
                .isEqualTo(Verdict.REJECTED);
        assertThat(bindDns).contains("uid=o\\,brien," + PEOPLE).doesNotContain("uid=admin," + PEOPLE);
    }

    @Test
    void directBindWithoutServiceAccountCannotTellAnUnknownUserFromAWrongPassword() {
        assertThat(directBind().authenticate("nobody", pw("whatever"))).isEqualTo(Verdict.REJECTED);
    }

    @Test
    void directBindWithAServiceAccountAbstainsForUnknownUsers() {
        LdapAuthenticationProvider ldap = directBindWithServiceAccount();

        assertThat(ldap.authenticate("nobody", pw("whatever"))).isEqualTo(Verdict.ABSTAIN);
        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(ldap.authenticate("jdoe", pw("wrong"))).isEqualTo(Verdict.REJECTED);
    }

    // ---- search then bind ----------------------------------------------------------------------------------------

    @Test
    void searchModeFindsTheUserThenBindsAsIt() {
        LdapAuthenticationProvider ldap = search();

        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(ldap.authenticate("jdoe", pw("wrong"))).isEqualTo(Verdict.REJECTED);
        assertThat(bindDns).contains(SERVICE_DN, "uid=jdoe," + PEOPLE);
    }

    @Test
    void searchModeAbstainsForAnUnknownUser() {
        assertThat(search().authenticate("nobody", pw("whatever"))).isEqualTo(Verdict.ABSTAIN);
        assertThat(bindDns).containsOnly(SERVICE_DN);
    }

    @Test
    void filterInjectionInTheUsernameFindsNobody() {
        LdapAuthenticationProvider ldap = search();

        // unescaped, (uid=*)(uid=*) would match every person and bind as the first found with admin's password
        assertThat(ldap.authenticate("*)(uid=*", pw("admin-password-1"))).isEqualTo(Verdict.ABSTAIN);
        assertThat(ldap.authenticate("*", pw("admin-password-1"))).isEqualTo(Verdict.ABSTAIN);
        assertThat(ldap.authenticate("adm*", pw("admin-password-1"))).isEqualTo(Verdict.ABSTAIN);
        assertThat(bindDns).containsOnly(SERVICE_DN);
        assertThat(ldap.authenticate("admin", pw("admin-password-1"))).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void aFilterMatchingSeveralEntriesAbstains() {
        LdapAuthenticationProvider ldap = provider(
                Map.of("url", url(), "search.base", BASE, "search.filter", "(|(uid={0})(objectClass=inetOrgPerson))"));

        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ABSTAIN);
    }

    @Test
    void anonymousSearchWorksWithoutServiceAccount() {
        LdapAuthenticationProvider ldap = provider(Map.of("url", url(), "search.base", PEOPLE));

        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(bindDns).containsOnly("uid=jdoe," + PEOPLE);
    }

    @Test
    void aWrongServicePasswordAbstains() {
        LdapAuthenticationProvider ldap = provider(Map.of(
                "url", url(), "search.base", BASE, "service.dn", SERVICE_DN, "service.password", "not-the-password"));

        assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ABSTAIN);
    }

    // ---- never anonymous, never blocking -------------------------------------------------------------------------

    @Test
    void anEmptyPasswordIsRejectedWithoutAnyBind() {
        for (LdapAuthenticationProvider ldap : List.of(directBind(), search())) {
            assertThat(ldap.authenticate("jdoe", new char[0])).isEqualTo(Verdict.REJECTED);
            assertThat(ldap.authenticate("jdoe", null)).isEqualTo(Verdict.REJECTED);
        }
        assertThat(bindDns).isEmpty();
        assertThat(search().authenticate("", pw("x"))).isEqualTo(Verdict.ABSTAIN);
    }

    @Test
    void anUnreachableServerAbstainsWithAWarningThatHoldsNoSecret() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        LdapAuthenticationProvider ldap = provider(Map.of(
                "url",
                "ldap://127.0.0.1:" + closed,
                "search.base",
                BASE,
                "service.dn",
                SERVICE_DN,
                "service.password",
                SERVICE_PASSWORD,
                "connect.timeout.ms",
                1000));

        String log = stderrOf(() -> assertThat(ldap.authenticate("jdoe", pw("correct horse battery")))
                .isEqualTo(Verdict.ABSTAIN));

        assertThat(log).contains("WARN").contains("LDAP provider ldap").contains("abstaining");
        assertThat(log)
                .doesNotContain("correct horse battery")
                .doesNotContain(SERVICE_PASSWORD)
                .doesNotContain("jdoe");
        assertThat(ldap.lookup("jdoe")).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndAbstains() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts connections (backlog), never answers
            LdapAuthenticationProvider ldap = provider(Map.of(
                    "url",
                    "ldap://127.0.0.1:" + silent.getLocalPort(),
                    "bind.dn.pattern",
                    "uid={0}," + PEOPLE,
                    "response.timeout.ms",
                    300));
            long start = System.nanoTime();
            assertThat(ldap.authenticate("jdoe", pw("correct horse battery"))).isEqualTo(Verdict.ABSTAIN);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        }
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    // ---- lookup --------------------------------------------------------------------------------------------------

    @Test
    void lookupReturnsNamesAndEmail() {
        for (LdapAuthenticationProvider ldap : List.of(search(), directBindWithServiceAccount(), directBind())) {
            assertThat(ldap.lookup("jdoe"))
                    .contains(new ExternalUser(
                            "jdoe", Optional.of("Jane"), Optional.of("Doe"), Optional.of("jane.doe@example.org")));
            assertThat(ldap.lookup("nobody")).isEmpty();
            assertThat(ldap.lookup("*")).isEmpty();
        }
    }

    @Test
    void lookupUsesTheConfiguredAttributes() {
        LdapAuthenticationProvider ldap = provider(Map.of(
                "url", url(), "search.base", BASE, "firstname.attribute", "cn", "email.attribute", "description"));

        assertThat(ldap.lookup("jdoe"))
                .contains(new ExternalUser("jdoe", Optional.of("Jane Doe"), Optional.of("Doe"), Optional.empty()));
    }

    // ---- configuration checks -----------------------------------------------------------------------------------

    @Test
    void configurationDefaultsAndEnvironmentOverrides() {
        LdapSettings defaults =
                LdapSettings.resolve(config(Map.of("url", "ldaps://ldap.example.org", "search.base", BASE)), env());
        assertThat(defaults.name()).isEqualTo("ldap");
        assertThat(defaults.ranking()).isEqualTo(100);
        assertThat(defaults.ssl()).isTrue();
        assertThat(defaults.port()).isEqualTo(636);
        assertThat(defaults.searchFilter()).isEqualTo("(uid={0})");
        assertThat(defaults.connectTimeoutMs()).isEqualTo(5000);
        assertThat(defaults.firstnameAttribute()).isEqualTo("givenName");

        LdapSettings overridden = LdapSettings.resolve(
                config(Map.of("url", "ldap://cfg", "search.base", BASE, "service.dn", SERVICE_DN)),
                EnvOverrides.of(
                        Map.of("KARYO_LDAP_URL", "ldap://env-host:1389", "KARYO_LDAP_SERVICE_PASSWORD", "from-env")));
        assertThat(overridden.host()).isEqualTo("env-host");
        assertThat(overridden.port()).isEqualTo(1389);
        assertThat(overridden.servicePassword()).isEqualTo("from-env");
        assertThat(overridden.toString()).doesNotContain("from-env").contains("service.password=set");
    }

    @Test
    void wrongConfigurationFailsActivationNamingTheKey() {
        Map<String, Object> base = Map.of("url", "ldap://h", "search.base", BASE);
        assertThatThrownBy(() -> resolve(base, Map.of("url", "http://h"))).hasMessageContaining("url");
        assertThatThrownBy(() -> resolve(base, Map.of("url", ""))).hasMessageContaining("url");
        assertThatThrownBy(() -> resolve(base, Map.of("bind.dn.pattern", "uid={0}," + PEOPLE)))
                .hasMessageContaining("set exactly one");
        assertThatThrownBy(() -> resolve(Map.of("url", "ldap://h"), Map.of())).hasMessageContaining("set exactly one");
        assertThatThrownBy(() -> resolve(Map.of("url", "ldap://h", "bind.dn.pattern", "uid=x," + PEOPLE), Map.of()))
                .hasMessageContaining("bind.dn.pattern");
        assertThatThrownBy(() -> resolve(base, Map.of("search.filter", "(uid=x)")))
                .hasMessageContaining("search.filter");
        assertThatThrownBy(() -> resolve(base, Map.of("search.filter", "uid={0}))")))
                .hasMessageContaining("search.filter");
        assertThatThrownBy(() -> resolve(base, Map.of("service.dn", SERVICE_DN)))
                .hasMessageContaining("service.password");
        assertThatThrownBy(() -> resolve(base, Map.of("connect.timeout.ms", 0)))
                .hasMessageContaining("connect.timeout.ms");
    }

    private static LdapSettings resolve(Map<String, Object> base, Map<String, Object> change) {
        Map<String, Object> values = new HashMap<>(base);
        values.putAll(change);
        return LdapSettings.resolve(config(values), env());
    }

    private static EnvOverrides env() {
        return EnvOverrides.of(Map.of());
    }
}
