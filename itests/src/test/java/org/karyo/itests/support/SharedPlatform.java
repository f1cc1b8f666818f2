package org.karyo.itests.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.HashMap;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.karyo.storage.testing.S3Server;

/**
 * JUnit 5 extension: one platform booted once per test run, shared by every black-box test class that asks for a
 * {@link Platform} or {@link Api} parameter, and stopped when the run ends. A real OpenID Connect server
 * (mock-oauth2-server), a real SMTP server (GreenMail) and a real S3 server (s3proxy) start first: the platform uses
 * the first as the provider {@value #OIDC_PROVIDER}, sends its expiring-access e-mails (every minute) through the
 * second, and keeps its objects in the third through the MinIO store.
 */
public final class SharedPlatform implements ParameterResolver {
    /** The provider's name in the platform. */
    public static final String OIDC_PROVIDER = "mock";

    /** The issuer id on the OIDC server. */
    public static final String OIDC_ISSUER = "itest";

    /** The platform's client id (and accepted audience) at the OIDC server. */
    public static final String OIDC_CLIENT = "karyo-itest";

    /** The heap the shared platform is given, in MiB ({@code JAVA_MAX_MEM}). */
    public static final int HEAP_MIB = 512;

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedPlatform.class);
    private static volatile MockOAuth2Server oidc;
    private static volatile GreenMail smtp;
    private static volatile S3Server s3;

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == Platform.class || t == Api.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Platform platform =
                e.getRoot().getStore(NS).getOrComputeIfAbsent("platform", k -> boot(), Handle.class).platform;
        // an Api parameter is a client logged in as the administrator; tests that need no credentials use anonymous()
        return p.getParameter().getType() == Api.class ? platform.admin() : platform;
    }

    /** The OIDC server of the shared platform (after a test received the platform). */
    public static MockOAuth2Server oidcServer() {
        return oidc;
    }

    /** The SMTP server of the shared platform (after a test received the platform). */
    public static GreenMail smtpServer() {
        return smtp;
    }

    /** The S3 server of the shared platform (after a test received the platform). */
    public static S3Server s3Server() {
        return s3;
    }

    private static Handle boot() {
        S3Server objects = S3Server.start();
        s3 = objects;
        MockOAuth2Server server = new MockOAuth2Server();
        server.start();
        oidc = server;
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        smtp = mail;
        try {
            String cfg = "name = " + OIDC_PROVIDER + "\n"
                    + "issuer = " + server.issuerUrl(OIDC_ISSUER) + "\n"
                    + "client.id = " + OIDC_CLIENT + "\n"
                    + "auto.provision = true\n";
            Map<String, String> env = new HashMap<>();
            env.put("JAVA_MAX_MEM", HEAP_MIB + "M");
            env.put("MINIO_ENDPOINT_URL", objects.endpoint().toString());
            env.put("MINIO_PUBLIC_URL", objects.endpoint().toString());
            env.put("MINIO_ROOT_USER", objects.accessKey());
            env.put("MINIO_ROOT_PASSWORD", objects.secretKey());
            env.put("MINIO_REGION", S3Server.REGION);
            env.put("MINIO_DEFAULT_BUCKET", "karyo-itest");
            env.putAll(Map.of(
                    "KARYO_FEATURES",
                    "karyo-audit, karyo-auth, karyo-accesses, karyo-content, karyo-maintenance, karyo-jobs,"
                            + " karyo-auth-oidc, karyo-mail, karyo-access-alerts, karyo-storage,"
                            + " karyo-storage-minio, karyo-projects, karyo-omics, karyo-fhir",
                    "KARYO_SMTP_HOST",
                    "127.0.0.1",
                    "KARYO_SMTP_PORT",
                    Integer.toString(mail.getSmtp().getPort()),
                    "KARYO_SMTP_FROM",
                    "karyo@itest.example.org",
                    "KARYO_SMTP_STARTTLS",
                    "off",
                    "KARYO_ACCESS_EXPIRY_ALERTS",
                    "true",
                    // daily at midnight: ExpiryMailApiTest runs the task itself (POST /api/tasks/.../run)
                    "KARYO_ACCESS_EXPIRY_ALERTS_INTERVAL_MINUTES",
                    "1440"));
            return new Handle(
                    Platform.boot("blackbox", env, Map.of("org.karyo.auth.oidc-" + OIDC_PROVIDER + ".cfg", cfg)),
                    server,
                    mail,
                    objects);
        } catch (Exception e) {
            server.shutdown();
            mail.stop();
            objects.close();
            throw new IllegalStateException("could not boot the platform", e);
        }
    }

    private record Handle(Platform platform, MockOAuth2Server oidc, GreenMail smtp, S3Server s3)
            implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            try {
                platform.close();
            } finally {
                oidc.shutdown();
                smtp.stop();
                s3.close();
            }
        }
    }
}
