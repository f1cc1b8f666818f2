package org.karyo.mail.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost (a DNS name only, no IP address), made once per JVM with the JDK's keytool (GreenMail's own
 * certificate has no subject alternative name and has expired), and a socket factory that trusts only it.
 */
final class TestCertificate {

    static final String PASSWORD = "changeit";
    private static TestCertificate instance;

    private final Path keyStore;
    private final SSLSocketFactory trusting;

    private TestCertificate(Path keyStore, SSLSocketFactory trusting) {
        this.keyStore = keyStore;
        this.trusting = trusting;
    }

    static synchronized TestCertificate get() throws IOException, InterruptedException, GeneralSecurityException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("karyo-mail-tls");
            dir.toFile().deleteOnExit();
            Path p12 = dir.resolve("server.p12");
            Process keytool = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            "greenmail",
                            "-keyalg",
                            "RSA",
                            "-keysize",
                            "2048",
                            "-validity",
                            "2",
                            "-dname",
                            "CN=localhost",
                            "-ext",
                            "SAN=dns:localhost",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            p12.toString(),
                            "-storepass",
                            PASSWORD,
                            "-keypass",
                            PASSWORD)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            p12.toFile().deleteOnExit();
            KeyStore server = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                server.load(in, PASSWORD.toCharArray());
            }
            Certificate cert = server.getCertificate("greenmail");
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("greenmail", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            instance = new TestCertificate(p12, context.getSocketFactory());
        }
        return instance;
    }

    Path keyStore() {
        return keyStore;
    }

    SSLSocketFactory trustingSocketFactory() {
        return trusting;
    }
}
