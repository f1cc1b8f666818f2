package org.karyo.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Hashtable;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.karyo.itests.support.Api;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The authentication-provider SPI, live: a real LDAP server (UnboundID's in-memory directory), and the LDAP plugin
 * feature installed and removed at runtime. While it is installed, a user whose password lives only in the directory
 * can log in; once it is removed, the same login fails again, with no restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class LdapPluginOsgiTest {
    private static final EnumSet<FeaturesService.Option> NO_REFRESH =
            EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Inject
    private FeaturesService features;

    @Inject
    private ConfigurationAdmin configAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return KaryoExam.options(); // with the LDAP library the test's own directory server runs on
    }

    private static Api api() {
        return new Api(URI.create("http://127.0.0.1:" + System.getProperty(KaryoExam.HTTP_PORT) + "/api"));
    }

    private static int login(String username, String password) {
        return api().post("/auth/login", Api.loginBody(username, password)).status();
    }

    @Test
    public void installingThePluginFeatureSwitchesLdapLoginOnAndRemovingItSwitchesItOff() throws Exception {
        KaryoExam.await("the platform to be ready", Duration.ofMinutes(3), () -> {
            try {
                return api().get("/health").status() == 200
                        && api().post("/auth/login", Api.loginBody("admin", "admin"))
                                        .status()
                                == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
        InMemoryDirectoryServerConfig dir = new InMemoryDirectoryServerConfig("dc=example,dc=org");
        dir.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
        InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(dir);
        ldap.add("dn: dc=example,dc=org", "objectClass: top", "objectClass: domain", "dc: example");
        ldap.add("dn: ou=people,dc=example,dc=org", "objectClass: organizationalUnit", "ou: people");
        ldap.add(
                "dn: uid=marie,ou=people,dc=example,dc=org",
                "objectClass: inetOrgPerson",
                "uid: marie",
                "cn: Marie Curie",
                "givenName: Marie",
                "sn: Curie",
                "userPassword: Directory-Only-Passw0rd");
        ldap.startListening();
        try {
            Api admin = api().login("admin", "admin");
            Api.Response created =
                    admin.post("/users", "{\"username\":\"marie\",\"firstname\":\"Marie\",\"lastname\":\"Curie\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(login("marie", "Directory-Only-Passw0rd"))
                    .as("no provider: the local user has no password")
                    .isEqualTo(401);

            Configuration cfg = configAdmin.getConfiguration("org.karyo.auth.ldap", null);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("url", "ldap://127.0.0.1:" + ldap.getListenPort());
            props.put("bind.dn.pattern", "uid={0},ou=people,dc=example,dc=org");
            props.put("service.dn", "uid=marie,ou=people,dc=example,dc=org"); // lets unknown users abstain
            props.put("service.password", "Directory-Only-Passw0rd");
            cfg.update(props);
            features.installFeature("karyo-auth-ldap", NO_REFRESH);
            KaryoExam.await(
                    "LDAP login to work",
                    Duration.ofSeconds(30),
                    () -> login("marie", "Directory-Only-Passw0rd") == 200);
            assertThat(login("marie", "wrong-password")).isEqualTo(401);
            assertThat(login("admin", "admin")).as("local users still log in").isEqualTo(200);

            features.uninstallFeature("karyo-auth-ldap", NO_REFRESH);
            KaryoExam.await(
                    "LDAP login to stop",
                    Duration.ofSeconds(30),
                    () -> login("marie", "Directory-Only-Passw0rd") == 401);
        } finally {
            ldap.shutDown(true);
            // the container is shared with the other OSGi test classes: leave no configuration behind
            Configuration cfg = configAdmin.getConfiguration("org.karyo.auth.ldap", null);
            cfg.delete();
        }
    }
}
