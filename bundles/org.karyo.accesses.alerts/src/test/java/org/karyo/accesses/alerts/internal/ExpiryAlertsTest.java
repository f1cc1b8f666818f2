package org.karyo.accesses.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.mail.BodyPart;
import javax.mail.Message;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.alerts.internal.ExpiryAlerts.RunResult;
import org.karyo.accesses.alerts.internal.ExpiryAlerts.Status;
import org.karyo.api.EnvOverrides;
import org.karyo.mail.api.Mailer;
import org.karyo.mail.impl.internal.SmtpMailer;
import org.karyo.mail.impl.internal.SmtpSettings;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestDatabase;

/**
 * The expiry alert job against a real SMTP server (GreenMail) and a real PostgreSQL (the module's own migrations),
 * with fakes of the access, user and audit services.
 */
class ExpiryAlertsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static TestDatabase db;
    private static GreenMail smtp;

    private MutableClock clock;
    private Fakes.Accesses accesses;
    private Fakes.Users users;
    private RecordingAuditTrail audit;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        db.migrate("access_alerts", ExpiryAlerts.class, "db/access_alerts");
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterAll
    static void stop() {
        if (smtp != null) {
            smtp.stop();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void fresh() throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("truncate " + SentAlerts.TABLE);
        }
        smtp.purgeEmailFromAllMailboxes();
        clock = new MutableClock(T0);
        accesses = new Fakes.Accesses(clock);
        users = new Fakes.Users();
        audit = new RecordingAuditTrail(db.unitOfWork());
    }

    // ---- fixtures

    /** Alice: two accesses at 20 and 25 days (30-day alert), one at 1 day (2-day alert only). Bob: one at 10 days. */
    private void standardData() {
        users.add("u-alice", "Alice", "Martin", "alice@karyo.test", true);
        users.add("u-bob", "Bob <b>", "O'Neil & Co", "bob@karyo.test", true);
        users.add("u-carol", "Carol", "NoMail", null, true);
        users.add("u-dave", "Dave", "Disabled", "dave@karyo.test", false);
        accesses.add(1, "u-alice", "Data reader", "Hôpital Nord", T0.plus(DAY.multipliedBy(20)));
        accesses.add(2, "u-alice", "Exporter", "Cardiology", T0.plus(DAY.multipliedBy(25)));
        accesses.add(3, "u-alice", "Admin", "Hôpital Nord", T0.plus(DAY).plusSeconds(3600));
        accesses.add(4, "u-bob", "<script>alert(1)</script>", "Hôpital & <Nord>", T0.plus(DAY.multipliedBy(10)));
        accesses.add(5, "u-carol", "Data reader", "Hôpital Nord", T0.plus(DAY.multipliedBy(5)));
        accesses.add(6, "u-dave", "Data reader", "Hôpital Nord", T0.plus(DAY.multipliedBy(3)));
        accesses.add(7, "u-alice", "Far away", "Hôpital Nord", T0.plus(DAY.multipliedBy(90)));
    }

    private static Mailer mailer() {
        return new SmtpMailer(new SmtpSettings(
                "127.0.0.1",
                smtp.getSmtp().getPort(),
                null,
                null,
                SmtpSettings.StartTls.OFF,
                false,
                "Karyo <noreply@karyo.test>",
                5_000));
    }

    private static Mailer unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new SmtpMailer(new SmtpSettings(
                "127.0.0.1", port, null, null, SmtpSettings.StartTls.OFF, false, "Karyo <noreply@karyo.test>", 2_000));
    }

    /** A new job component (as after a restart), enabled unless the config says otherwise. */
    private ExpiryAlertJob job(Map<String, Object> cfg, Mailer mailer) {
        Map<String, Object> values = new HashMap<>(Map.of("enabled", true));
        values.putAll(cfg);
        ExpiryAlertJob job = new ExpiryAlertJob(
                AlertSettingsTest.config(values),
                EnvOverrides.of(Map.of()),
                accesses.service(),
                users.service(),
                audit,
                db.unitOfWork(),
                db.dataSource(),
                clock);
        if (mailer != null) {
            job.setMailer(mailer);
        }
        return job;
    }

    private ExpiryAlertJob job(Mailer mailer) {
        return job(Map.of(), mailer);
    }

    /** Recorded alerts as "access/days". */
    private static List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select access_id, threshold_days from " + SentAlerts.TABLE
                        + " order by access_id, threshold_days")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "/" + rs.getInt(2));
            }
        }
        return out;
    }

    private static MimeMessage[] received(int expected) {
        smtp.waitForIncomingEmail(5_000, expected);
        return smtp.getReceivedMessages();
    }

    private static String to(MimeMessage m) throws Exception {
        return ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
    }

    private static List<String> summary(MimeMessage[] messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : messages) {
            out.add(to(m) + " | " + m.getSubject());
        }
        out.sort(String::compareTo);
        return out;
    }

    private static String part(MimeMessage m, String type) throws Exception {
        MimeMultipart parts = (MimeMultipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.isMimeType(type)) {
                return ((String) p.getContent()).replace("\r\n", "\n");
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private static MimeMessage messageTo(MimeMessage[] messages, String address, String subjectPart) throws Exception {
        for (MimeMessage m : messages) {
            if (to(m).equals(address) && m.getSubject().contains(subjectPart)) {
                return m;
            }
        }
        throw new AssertionError("no mail to " + address + " about " + subjectPart);
    }

    // ---- tests

    @Test
    void sendsThe30And2DayAlertsOncePerAccessGroupedPerUser() throws Exception {
        standardData();

        RunResult r = job(mailer()).alerts().run();

        assertThat(r.status()).isEqualTo(Status.DONE);
        assertThat(r.mailsSent()).isEqualTo(3);
        assertThat(r.alertsRecorded()).isEqualTo(4);
        assertThat(r.usersSkipped()).isEqualTo(2); // carol (no address) and dave (disabled)
        assertThat(r.mailsFailed()).isZero();
        MimeMessage[] mails = received(3);
        assertThat(summary(mails))
                .containsExactly(
                        "alice@karyo.test | Your Karyo accesses end within 2 days",
                        "alice@karyo.test | Your Karyo accesses end within 30 days",
                        "bob@karyo.test | Your Karyo accesses end within 30 days");
        // One mail lists both of Alice's 30-day accesses, soonest first; the 1-day access is only in the 2-day mail.
        String alice30 = part(messageTo(mails, "alice@karyo.test", "30 days"), "text/plain");
        assertThat(alice30)
                .contains("Hello Alice Martin,", "2 of your Karyo accesses will end within 30 days")
                .contains("  - Data reader on Hôpital Nord, until 2026-03-22 08:00 UTC\n"
                        + "  - Exporter on Cardiology, until 2026-03-27 08:00 UTC\n")
                .doesNotContain("Admin", "Far away");
        String alice2 = part(messageTo(mails, "alice@karyo.test", "2 days"), "text/plain");
        assertThat(alice2)
                .contains("  - Admin on Hôpital Nord, until 2026-03-03 09:00 UTC")
                .doesNotContain("Exporter");
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2", "4/30");
        assertThat(audit.entries())
                .extracting(
                        e -> e.event().objectId() + "/" + e.event().details().get("threshold_days"))
                .containsExactlyInAnyOrder("1/30", "2/30", "3/2", "4/30");
        assertThat(audit.entries()).allSatisfy(e -> {
            assertThat(e.actorId()).isEqualTo("system");
            assertThat(e.event().action()).isEqualTo("accesses.alert.sent");
            assertThat(e.event().objectType()).isEqualTo("access");
            assertThat(e.event().details()).containsKey("user_id").doesNotContainValue("alice@karyo.test");
            assertThat(e.event().details().values()).noneMatch(v -> v.contains("@"));
        });
        assertThat(accesses.calls).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo(T0);
            assertThat(c[1]).isEqualTo(T0.plus(DAY.multipliedBy(30)));
        });
    }

    @Test
    void plainTextAndHtmlPartsWithEscapedValues() throws Exception {
        standardData();
        job(mailer()).alerts().run();

        MimeMessage bob = messageTo(received(3), "bob@karyo.test", "30 days");
        assertThat(bob.getContentType()).startsWith("multipart/alternative");
        String text = part(bob, "text/plain");
        String html = part(bob, "text/html");
        assertThat(text)
                .contains("Hello Bob <b> O'Neil & Co,")
                .contains("  - <script>alert(1)</script> on Hôpital & <Nord>, until 2026-03-12 08:00 UTC");
        assertThat(html)
                .contains("<p>Hello Bob &lt;b&gt; O&#39;Neil &amp; Co,</p>")
                .contains("<li><strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong> on Hôpital &amp; &lt;Nord&gt;,"
                        + " until 2026-03-12 08:00 UTC</li>")
                .doesNotContain("<script>", "<b>", "{{", "}}");
        assertThat(text).doesNotContain("{{", "}}");
    }

    @Test
    void aSecondRunSendsNothing() throws Exception {
        standardData();
        ExpiryAlertJob job = job(mailer());
        job.alerts().run();
        received(3);
        smtp.purgeEmailFromAllMailboxes();

        RunResult again = job.alerts().run();

        assertThat(again.status()).isEqualTo(Status.DONE);
        assertThat(again.mailsSent()).isZero();
        assertThat(again.alertsRecorded()).isZero();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(audit.entries()).hasSize(4);
    }

    @Test
    void aRestartedJobOnTheSameDatabaseSendsNothing() throws Exception {
        standardData();
        ExpiryAlertJob before = job(mailer());
        before.alerts().run();
        received(3);
        before.deactivate();
        smtp.purgeEmailFromAllMailboxes();

        RunResult after = job(mailer()).alerts().run();

        assertThat(after.mailsSent()).isZero();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2", "4/30");
    }

    @Test
    void laterRunsSendEachNextThresholdOnce() throws Exception {
        standardData();
        job(mailer()).alerts().run();
        received(3);
        smtp.purgeEmailFromAllMailboxes();

        clock.advance(DAY.multipliedBy(19)); // access 1 now ends in 1 day, access 2 in 6 days
        RunResult r = job(mailer()).alerts().run();
        RunResult again = job(mailer()).alerts().run();

        assertThat(r.mailsSent()).isEqualTo(1);
        assertThat(again.mailsSent()).isZero();
        MimeMessage[] mails = received(1);
        assertThat(summary(mails)).containsExactly("alice@karyo.test | Your Karyo accesses end within 2 days");
        assertThat(part(mails[0], "text/plain")).contains("Data reader").doesNotContain("Exporter");
        assertThat(rows()).containsExactly("1/2", "1/30", "2/30", "3/2", "4/30");
    }

    @Test
    void aRenewedAccessIsAlertedAgainForItsNewEnd() throws Exception {
        standardData();
        job(mailer()).alerts().run();
        received(3);
        smtp.purgeEmailFromAllMailboxes();

        Instant renewed = T0.plus(DAY.multipliedBy(25 + 365));
        accesses.moveEnd(2, renewed);
        assertThat(job(mailer()).alerts().run().mailsSent()).isZero(); // a year away now

        clock.set(renewed.minus(DAY.multipliedBy(29)));
        RunResult r = job(mailer()).alerts().run();

        assertThat(r.mailsSent()).isEqualTo(1);
        MimeMessage[] mails = received(1);
        assertThat(summary(mails)).containsExactly("alice@karyo.test | Your Karyo accesses end within 30 days");
        assertThat(part(mails[0], "text/plain")).contains("Exporter on Cardiology, until 2027-03-27 08:00 UTC");
        assertThat(job(mailer()).alerts().run().mailsSent()).isZero();
    }

    @Test
    void disabledSendsNothing() throws Exception {
        standardData();

        RunResult r = job(Map.of("enabled", false), mailer()).alerts().run();

        assertThat(r.status()).isEqualTo(Status.DISABLED);
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(rows()).isEmpty();
        assertThat(accesses.calls).isEmpty();
    }

    @Test
    void withoutAMailerNothingIsRecordedUntilOneAppears() throws Exception {
        standardData();
        ExpiryAlertJob job = job(null);

        assertThat(job.alerts().run().status()).isEqualTo(Status.NO_MAILER);
        assertThat(job.alerts().run().status()).isEqualTo(Status.NO_MAILER);
        assertThat(rows()).isEmpty();
        assertThat(accesses.calls).isEmpty();

        Mailer m = mailer();
        job.setMailer(m);
        assertThat(job.alerts().run().mailsSent()).isEqualTo(3);
        job.unsetMailer(m);
        assertThat(job.alerts().run().status()).isEqualTo(Status.NO_MAILER);
    }

    @Test
    void whenSmtpIsDownNothingIsRecordedAndTheNextRunRetries() throws Exception {
        standardData();

        RunResult down = job(unreachable()).alerts().run();

        assertThat(down.status()).isEqualTo(Status.STOPPED);
        assertThat(down.mailsFailed()).isEqualTo(ExpiryAlerts.MAX_CONSECUTIVE_FAILURES);
        assertThat(down.mailsSent()).isZero();
        assertThat(rows()).isEmpty();
        assertThat(audit.entries()).isEmpty(); // rolled back with the rows

        RunResult up = job(mailer()).alerts().run();

        assertThat(up.status()).isEqualTo(Status.DONE);
        assertThat(up.mailsSent()).isEqualTo(3);
        assertThat(received(3)).hasSize(3);
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2", "4/30");
        assertThat(audit.entries()).hasSize(4);
    }

    @Test
    void aFailedSendForOneUserDoesNotStopTheOthers() throws Exception {
        standardData();
        Mailer real = mailer();
        Mailer refusesBob = (Mailer) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Mailer.class}, (proxy, method, args) -> {
                    org.karyo.mail.api.Mail mail = (org.karyo.mail.api.Mail) args[0];
                    if (mail.to().contains("bob@karyo.test")) {
                        throw new Mailer.MailException("SMTP server refused a recipient (reply 550)", null);
                    }
                    real.send(mail);
                    return null;
                });

        RunResult r = job(refusesBob).alerts().run();

        assertThat(r.status()).isEqualTo(Status.DONE);
        assertThat(r.mailsSent()).isEqualTo(2);
        assertThat(r.mailsFailed()).isEqualTo(1);
        assertThat(received(2)).hasSize(2);
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2");

        RunResult retry = job(mailer()).alerts().run();
        assertThat(retry.mailsSent()).isEqualTo(1);
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2", "4/30");
    }

    @Test
    void aUserWhoGetsAnAddressLaterIsAlertedThen() throws Exception {
        standardData();
        job(mailer()).alerts().run();
        received(3);
        smtp.purgeEmailFromAllMailboxes();

        users.add("u-carol", "Carol", "NoMail", "carol@karyo.test", true);
        RunResult r = job(mailer()).alerts().run();

        assertThat(r.mailsSent()).isEqualTo(1);
        assertThat(r.usersSkipped()).isEqualTo(1); // dave is still disabled
        assertThat(summary(received(1))).containsExactly("carol@karyo.test | Your Karyo accesses end within 30 days");
    }

    @Test
    void concurrentRunsOnTheSameDatabaseSendEachAlertOnce() throws Exception {
        standardData();
        ExpiryAlertJob a = job(mailer());
        ExpiryAlertJob b = job(mailer());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<RunResult>> results = new ArrayList<>();
            for (ExpiryAlertJob j : List.of(a, b)) {
                Callable<RunResult> run = () -> {
                    go.await();
                    return j.alerts().run();
                };
                results.add(pool.submit(run));
            }
            go.countDown();
            int sent = 0;
            for (Future<RunResult> f : results) {
                sent += f.get().mailsSent();
            }
            assertThat(sent).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        Thread.sleep(300); // a duplicate, if any, would arrive now
        assertThat(smtp.getReceivedMessages()).hasSize(3);
        assertThat(rows()).containsExactly("1/30", "2/30", "3/2", "4/30");
        assertThat(audit.entries()).hasSize(4);
    }

    @Test
    void customThresholdsAndSubject() throws Exception {
        users.add("u-alice", "Alice", "Martin", "alice@karyo.test", true);
        accesses.add(1, "u-alice", "Data reader", "Hôpital Nord", T0.plus(DAY.multipliedBy(6)));

        RunResult r = job(
                        Map.of(
                                "thresholds.days",
                                "7",
                                "subject",
                                "{{count}} access(es) of {{username}}: {{days}} days left"),
                        mailer())
                .alerts()
                .run();

        assertThat(r.mailsSent()).isEqualTo(1);
        assertThat(summary(received(1)))
                .containsExactly("alice@karyo.test | 1 access(es) of user-u-alice: 7 days left");
        assertThat(rows()).containsExactly("1/7");
    }

    @Test
    void alertsOfAccessesThatEndedLongAgoArePruned() throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("insert into " + SentAlerts.TABLE
                        + " (access_id, threshold_days, access_end, sent_at) values (?, 2, ?, ?)")) {
            for (long[] row : new long[][] {{91, 31}, {92, 29}}) {
                ps.setLong(1, row[0]);
                ps.setObject(2, OffsetDateTime.ofInstant(T0.minus(DAY.multipliedBy(row[1])), ZoneOffset.UTC));
                ps.setObject(3, OffsetDateTime.ofInstant(T0.minus(DAY.multipliedBy(row[1] + 2)), ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }

        RunResult r = job(mailer()).alerts().run();

        assertThat(r.alertsPruned()).isEqualTo(1);
        assertThat(rows()).containsExactly("92/2");
    }

    @Test
    void theDueThresholdIsTheSmallestThatCoversTheTimeLeft() {
        ExpiryAlerts alerts = job(mailer()).alerts();
        assertThat(alerts.dueThreshold(T0.plus(DAY.multipliedBy(30)), T0)).contains(30);
        assertThat(alerts.dueThreshold(T0.plus(DAY.multipliedBy(30)).plusMillis(1), T0))
                .isEmpty();
        assertThat(alerts.dueThreshold(T0.plus(DAY.multipliedBy(2)).plusMillis(1), T0))
                .contains(30);
        assertThat(alerts.dueThreshold(T0.plus(DAY.multipliedBy(2)), T0)).contains(2);
        assertThat(alerts.dueThreshold(T0.plusMillis(1), T0)).contains(2);
        assertThat(alerts.dueThreshold(T0, T0)).isEmpty();
        assertThat(alerts.dueThreshold(T0.minusMillis(1), T0)).isEmpty();
    }
}
