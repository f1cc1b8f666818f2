package org.karyo.mail.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.mail.smtp.SMTPAddressFailedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Properties;
import javax.mail.BodyPart;
import javax.mail.SendFailedException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.karyo.mail.api.Mail;
import org.karyo.mail.api.Mailer.MailException;

/** The SMTP mailer against GreenMail, a real SMTP server started by the test. */
class SmtpMailerTest {

    private static final String FROM = "Karyo <noreply@karyo.test>";

    private GreenMail server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private GreenMail start(ServerSetup setup, GreenMailConfiguration config) {
        server = new GreenMail(setup.dynamicPort()).withConfiguration(config);
        server.start();
        return server;
    }

    private GreenMail startSmtp() {
        return start(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), GreenMailConfiguration.aConfig());
    }

    private static SmtpSettings settings(int port, SmtpSettings.StartTls starttls, String user, String password) {
        return new SmtpSettings("127.0.0.1", port, user, password, starttls, false, FROM, 5_000);
    }

    private int port() {
        return server.getSmtp().getPort();
    }

    @Test
    void sendsTextAndHtmlAsMultipartAlternative() throws Exception {
        startSmtp();
        SmtpMailer mailer = new SmtpMailer(settings(port(), SmtpSettings.StartTls.OFF, null, null));

        mailer.send(new Mail(
                List.of("alice@karyo.test", "bob@karyo.test"),
                "Accès bientôt expiré",
                "Bonjour Alice,\nvotre accès expire.",
                "<p>Bonjour <b>Alice</b>, votre accès expire.</p>"));

        assertThat(server.waitForIncomingEmail(5_000, 2)).isTrue();
        MimeMessage[] received = server.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("Accès bientôt expiré");
        assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("noreply@karyo.test");
        assertThat(m.getAllRecipients())
                .extracting(a -> ((InternetAddress) a).getAddress())
                .containsExactly("alice@karyo.test", "bob@karyo.test");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(html.getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
        assertThat(((String) text.getContent()).replace("\r\n", "\n")).isEqualTo("Bonjour Alice,\nvotre accès expire.");
        assertThat((String) html.getContent()).isEqualTo("<p>Bonjour <b>Alice</b>, votre accès expire.</p>");
    }

    @Test
    void sendsPlainTextWhenThereIsNoHtml() throws Exception {
        startSmtp();
        new SmtpMailer(settings(port(), SmtpSettings.StartTls.OFF, null, null))
                .send(new Mail(List.of("alice@karyo.test"), "Hello", "Just text", null));

        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage m = server.getReceivedMessages()[0];
        assertThat(m.getContentType()).startsWith("text/plain");
        assertThat(((String) m.getContent()).trim()).isEqualTo("Just text");
    }

    @Test
    void subjectStaysOnOneLine() throws Exception {
        startSmtp();
        new SmtpMailer(settings(port(), SmtpSettings.StartTls.OFF, null, null))
                .send(new Mail(List.of("alice@karyo.test"), "Hello\r\nBcc: eve@evil.test", "x", null));

        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage m = server.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("Hello Bcc: eve@evil.test");
        assertThat(m.getHeader("Bcc")).isNull();
        assertThat(server.getReceivedMessages()).hasSize(1);
    }

    @Test
    void optionalStarttlsSendsInClearWhenTheServerDoesNotOfferIt() throws Exception {
        startSmtp(); // GreenMail 1.6 does not offer STARTTLS
        new SmtpMailer(settings(port(), SmtpSettings.StartTls.OPTIONAL, null, null))
                .send(new Mail(List.of("alice@karyo.test"), "optional", "sent", "<p>sent</p>"));

        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(server.getReceivedMessages()[0].getSubject()).isEqualTo("optional");
    }

    @Test
    void requiredStarttlsRefusesAServerWithoutIt() {
        startSmtp();
        SmtpMailer mailer = new SmtpMailer(settings(port(), SmtpSettings.StartTls.REQUIRED, null, null));

        assertThatThrownBy(() -> mailer.send(new Mail(List.of("alice@karyo.test"), "required", "x", null)))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("127.0.0.1:" + port())
                .hasMessageContaining("STARTTLS")
                .hasMessageNotContaining("alice");
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void authenticatesWithUsernameAndPassword() throws Exception {
        start(
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                GreenMailConfiguration.aConfig().withUser("sender@karyo.test", "karyo-smtp", "s3cret-Passw0rd"));
        new SmtpMailer(settings(port(), SmtpSettings.StartTls.OFF, "karyo-smtp", "s3cret-Passw0rd"))
                .send(new Mail(List.of("alice@karyo.test"), "authenticated", "x", null));

        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(server.getReceivedMessages()[0].getSubject()).isEqualTo("authenticated");
    }

    @Test
    void wrongPasswordIsAMailExceptionWithoutTheCredentials() {
        start(
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                GreenMailConfiguration.aConfig().withUser("sender@karyo.test", "karyo-smtp", "s3cret-Passw0rd"));
        SmtpMailer mailer = new SmtpMailer(settings(port(), SmtpSettings.StartTls.OFF, "karyo-smtp", "wrong-password"));

        assertThatThrownBy(() -> mailer.send(new Mail(List.of("alice@karyo.test"), "x", "x", null)))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("refused the credentials")
                .hasMessageNotContaining("wrong-password")
                .hasNoCause();
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusedConnectionIsAMailException() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SmtpMailer mailer = new SmtpMailer(settings(closed, SmtpSettings.StartTls.OFF, null, null));

        assertThatThrownBy(() -> mailer.send(new Mail(List.of("alice@karyo.test"), "x", "x", null)))
                .isInstanceOf(MailException.class)
                .hasMessage("Cannot connect to SMTP server 127.0.0.1:" + closed)
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void invalidRecipientIsAMailExceptionThatDoesNotQuoteIt() {
        SmtpMailer mailer = new SmtpMailer(settings(25, SmtpSettings.StartTls.OFF, null, null));

        assertThatThrownBy(() -> mailer.send(new Mail(List.of("ok@karyo.test", "not an address@@x"), "x", "x", null)))
                .isInstanceOf(MailException.class)
                .hasMessage("Recipient 2 of 2 is not a valid e-mail address");
    }

    @Test
    void implicitTlsChecksTheCertificateAndTheHostName() throws Exception {
        TestCertificate cert = TestCertificate.get(); // issued to localhost only
        System.setProperty("greenmail.tls.keystore.file", cert.keyStore().toString());
        System.setProperty("greenmail.tls.keystore.password", TestCertificate.PASSWORD);
        System.setProperty("greenmail.tls.key.password", TestCertificate.PASSWORD);
        start(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS), GreenMailConfiguration.aConfig());
        int port = server.getSmtps().getPort();
        SmtpSettings byName =
                new SmtpSettings("localhost", port, null, null, SmtpSettings.StartTls.OFF, true, FROM, 5_000);
        SmtpSettings byIp =
                new SmtpSettings("127.0.0.1", port, null, null, SmtpSettings.StartTls.OFF, true, FROM, 5_000);
        Mail mail = new Mail(List.of("alice@karyo.test"), "over tls", "x", "<p>x</p>");

        // The JDK's trust store does not know the test certificate.
        assertThatThrownBy(() -> new SmtpMailer(byName).send(mail))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("localhost:" + port)
                .hasRootCauseInstanceOf(CertPathBuilderException.class);
        // Trusted, but not issued to 127.0.0.1.
        assertThatThrownBy(() -> new SmtpMailer(byIp, cert.trustingSocketFactory()).send(mail))
                .isInstanceOf(MailException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .rootCause()
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("127.0.0.1");
        assertThat(server.getReceivedMessages()).isEmpty();

        new SmtpMailer(byName, cert.trustingSocketFactory()).send(mail);
        assertThat(server.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(server.getReceivedMessages()[0].getSubject()).isEqualTo("over tls");
    }

    @Test
    void redactsAddressesFromServerReplies() {
        assertThat(SmtpMailer.redact("550 5.1.1 <alice@karyo.test>: Recipient address rejected"))
                .isEqualTo("550 5.1.1 <<address>>: Recipient address rejected");
        assertThat(SmtpMailer.redact(null)).isEqualTo("(no message)");
    }

    @Test
    void sessionPropertiesFollowTheSettings() {
        Properties p = SmtpMailer.sessionProperties(new SmtpSettings(
                "smtp.example.org", 587, "u", "p", SmtpSettings.StartTls.REQUIRED, false, FROM, 7_000));
        assertThat(p)
                .containsEntry("mail.smtp.auth", "true")
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.enable", "false")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "false")
                .containsEntry("mail.smtp.socketFactory.fallback", "false")
                .containsEntry("mail.smtp.connectiontimeout", "7000")
                .containsEntry("mail.smtp.timeout", "7000")
                .containsEntry("mail.smtp.writetimeout", "7000")
                .doesNotContainValue("p");
        Properties optional = SmtpMailer.sessionProperties(new SmtpSettings(
                "smtp.example.org", 587, null, null, SmtpSettings.StartTls.OPTIONAL, false, FROM, 7_000));
        assertThat(optional)
                .containsEntry("mail.smtp.auth", "false")
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "false");
        Properties ssl = SmtpMailer.sessionProperties(new SmtpSettings(
                "smtp.example.org", 465, null, null, SmtpSettings.StartTls.REQUIRED, true, FROM, 7_000));
        assertThat(ssl)
                .containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.starttls.enable", "false");
    }

    @Test
    void refusedRecipientIsReportedWithoutTheAddressOrTheCause() throws Exception {
        SmtpMailer mailer = new SmtpMailer(settings(2525, SmtpSettings.StartTls.OFF, null, null));
        SMTPAddressFailedException refused = new SMTPAddressFailedException(
                new InternetAddress("bob@karyo.test"), "RCPT TO", 550, "550 5.1.1 <bob@karyo.test>: unknown user");

        MailException e = mailer.failure(new SendFailedException("Invalid Addresses", refused));
        MailException direct = mailer.failure(refused);

        assertThat(e.getMessage()).isEqualTo("SMTP server 127.0.0.1:2525 refused the message or a recipient");
        assertThat(e).hasNoCause();
        assertThat(direct.getMessage()).isEqualTo("SMTP server 127.0.0.1:2525 refused a recipient (reply 550)");
        assertThat(direct).hasNoCause();
    }
}
