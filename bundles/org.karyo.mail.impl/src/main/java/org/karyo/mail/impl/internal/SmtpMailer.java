package org.karyo.mail.impl.internal;

import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPTransport;
import com.sun.mail.util.MailConnectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.mail.AuthenticationFailedException;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.net.ssl.SSLSocketFactory;
import org.karyo.mail.api.Mail;
import org.karyo.mail.api.Mailer;

/**
 * {@link Mailer} over SMTP with Jakarta Mail 1.6 ({@code javax.mail}). A {@link Mail} with HTML becomes a
 * {@code multipart/alternative} message (text, then HTML); without HTML a plain {@code text/plain} message.
 *
 * <p>Inside Karaf two bundles export {@code javax.mail} 1.6: CXF's API-only {@code jakarta.mail-api} and
 * {@code com.sun.mail.jakarta.mail}, which also holds the SMTP provider. So this class never asks
 * {@link Session#getTransport} for a provider (the API-only {@code Session} may know none): it instantiates
 * {@link SMTPTransport} itself. The bundle imports {@code com.sun.mail.smtp}, whose {@code uses} constraint puts this
 * bundle's {@code javax.mail} in the same class space as {@code SMTPTransport}'s. While a message is built and sent,
 * the thread's context class loader is the Jakarta Mail bundle's, so that JAF's {@code MailcapCommandMap} finds that
 * bundle's {@code META-INF/mailcap} and its {@code com.sun.mail.handlers} (without them writing a {@code text/plain} or
 * {@code multipart/*} body fails with "no object DCH for MIME type"); the same holds while the {@link Session} is
 * created, because it loads {@code javax.mail.Provider}s through the context class loader.
 *
 * <p>Checked in a Felix 7.0.5 framework with both exporters installed: the resolver wires
 * {@code com.sun.mail.jakarta.mail}'s own {@code javax.mail} imports to {@code jakarta.mail-api} (equal versions, the
 * lower bundle id wins), and this bundle follows through the {@code uses} constraint; sending then works as above.
 *
 * <p>One connection per {@link #send}: alerts and notices are rare, and a pooled connection would need keep-alive
 * handling. Failures become {@link MailException}s whose messages name the server, never a recipient.
 */
public final class SmtpMailer implements Mailer {

    private static final ClassLoader MAIL_LOADER = SMTPTransport.class.getClassLoader();
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\"'(),;:]+@[^\\s<>\"'(),;:]+");
    private static final String UTF8 = StandardCharsets.UTF_8.name();

    private final SmtpSettings settings;
    private final Session session;
    private final InternetAddress from;

    /** A mailer for {@code settings}, trusting the JDK's certificate authorities. */
    public SmtpMailer(SmtpSettings settings) {
        this(settings, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** A mailer whose TLS connections trust what {@code tls} trusts (tests: a test server's certificate). */
    SmtpMailer(SmtpSettings settings, SSLSocketFactory tls) {
        this.settings = Objects.requireNonNull(settings, "settings");
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("from is not a valid e-mail address", e);
        }
        Properties p = sessionProperties(settings);
        // For SMTPS and for STARTTLS; never fall back to a factory that does not check the host name.
        p.put("mail.smtp.ssl.socketFactory", new VerifyingSocketFactory(tls));
        // Session loads its providers with ServiceLoader on the context class loader: a foreign one (another bundle's,
        // or an application class path with its own javax.mail) makes that fail with "Provider ... not a subtype".
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MAIL_LOADER);
        try {
            this.session = Session.getInstance(p);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The Jakarta Mail session properties for {@code s} (protocol {@code smtp}; SSL through {@code ssl.enable}). */
    static Properties sessionProperties(SmtpSettings s) {
        Properties p = new Properties();
        String timeout = Integer.toString(s.timeoutMs());
        p.setProperty("mail.smtp.host", s.host());
        p.setProperty("mail.smtp.port", Integer.toString(s.port()));
        p.setProperty("mail.smtp.auth", Boolean.toString(s.authenticates()));
        p.setProperty("mail.smtp.ssl.enable", Boolean.toString(s.ssl()));
        boolean starttls = !s.ssl() && s.starttls() != SmtpSettings.StartTls.OFF;
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(starttls));
        p.setProperty(
                "mail.smtp.starttls.required",
                Boolean.toString(!s.ssl() && s.starttls() == SmtpSettings.StartTls.REQUIRED));
        // The host name is checked by the JDK during the handshake (VerifyingSocketFactory), not by Jakarta Mail.
        p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        p.setProperty("mail.smtp.socketFactory.fallback", "false");
        p.setProperty("mail.smtp.connectiontimeout", timeout);
        p.setProperty("mail.smtp.timeout", timeout);
        p.setProperty("mail.smtp.writetimeout", timeout);
        // Message-ID's domain comes from mail.from, which spares a local host name lookup.
        p.setProperty("mail.from", s.from());
        return p;
    }

    @Override
    public void send(Mail mail) throws MailException {
        Objects.requireNonNull(mail, "mail");
        InternetAddress[] to = recipients(mail.to());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MAIL_LOADER);
        try {
            MimeMessage message = message(mail, to);
            SMTPTransport transport = new SMTPTransport(session, null);
            try {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
                transport.sendMessage(message, message.getAllRecipients());
            } finally {
                closeQuietly(transport);
            }
        } catch (MessagingException e) {
            throw failure(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private MimeMessage message(Mail mail, InternetAddress[] to) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(oneLine(mail.subject()), UTF8);
        message.setSentDate(new Date());
        if (mail.html() == null) {
            message.setText(mail.text(), UTF8);
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), UTF8, "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), UTF8, "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        }
        message.saveChanges();
        return message;
    }

    private static InternetAddress[] recipients(List<String> to) throws MailException {
        InternetAddress[] addresses = new InternetAddress[to.size()];
        for (int i = 0; i < addresses.length; i++) {
            try {
                addresses[i] = new InternetAddress(to.get(i), true);
                addresses[i].validate();
            } catch (AddressException | NullPointerException e) {
                throw new MailException(
                        "Recipient " + (i + 1) + " of " + to.size() + " is not a valid e-mail address", null);
            }
        }
        return addresses;
    }

    /** A subject on one line: CR and LF would let a value inject headers. */
    private static String oneLine(String subject) {
        return subject.replaceAll("[\\r\\n]+", " ").strip();
    }

    /**
     * The exception for a failed send. Jakarta Mail's messages (and those of the exceptions they chain) can quote the
     * server's reply, which often names the refused recipient, so none is attached as a cause: only a network or TLS
     * root cause is, and the message is redacted.
     */
    MailException failure(MessagingException e) {
        String server = settings.host() + ":" + settings.port();
        if (e instanceof AuthenticationFailedException) {
            return new MailException("SMTP server " + server + " refused the credentials", null);
        }
        if (e instanceof MailConnectException) {
            return new MailException("Cannot connect to SMTP server " + server, networkCause(e));
        }
        if (e instanceof SMTPAddressFailedException f) {
            return new MailException(
                    "SMTP server " + server + " refused a recipient (reply " + f.getReturnCode() + ")", null);
        }
        if (e instanceof SMTPSendFailedException f) {
            return new MailException(
                    "SMTP server " + server + " refused the message (reply " + f.getReturnCode() + ")", null);
        }
        if (e instanceof SendFailedException) {
            return new MailException("SMTP server " + server + " refused the message or a recipient", null);
        }
        return new MailException(
                "Sending through SMTP server " + server + " failed: " + redact(e.getMessage()), networkCause(e));
    }

    private static Throwable networkCause(Throwable e) {
        Throwable seen = e;
        for (int depth = 0; seen != null && depth < 10; depth++) {
            if (seen instanceof IOException || seen instanceof GeneralSecurityException) {
                return seen;
            }
            seen = seen instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException()
                    : seen.getCause();
        }
        return null;
    }

    static String redact(String message) {
        return message == null ? "(no message)" : ADDRESS.matcher(message).replaceAll("<address>");
    }

    private static void closeQuietly(SMTPTransport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            // the message was sent or the failure is already being reported
        }
    }

    @Override
    public String toString() {
        return "SmtpMailer[" + settings + "]";
    }
}
