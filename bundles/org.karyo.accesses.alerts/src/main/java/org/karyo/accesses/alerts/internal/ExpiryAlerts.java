package org.karyo.accesses.alerts.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.karyo.accesses.alerts.internal.SentAlerts.Key;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessService;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserService;
import org.karyo.mail.api.Mail;
import org.karyo.mail.api.Mailer;
import org.karyo.mail.api.Mailer.MailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the expiry alerts (Cohort360's {@code check_expiring_accesses}, made restart-safe).
 *
 * <p><b>Which alert is due.</b> For each valid access that ends within the largest threshold, the due threshold is the
 * smallest one that is at least the time left ({@code end - now ≤ d days}). An access 20 days from its end is due its
 * 30-day alert; at 1 day left it is due its 2-day alert, and if the platform was down through the 30-day window it
 * gets only the 2-day one, never a late "30 days" mail. An alert is due unless {@code sent_alerts} holds the row
 * (access, threshold) for the access's current end: missed runs are caught up by the next run, and an access whose end
 * was moved (a renewal) is alerted again for its new end.
 *
 * <p><b>One mail per user and threshold</b> lists all of that user's due accesses (Cohort360 sends one mail per
 * profile). Users without an e-mail address, disabled users and unknown users are skipped (counted and logged without
 * identifiers) and stay due, so they get the mail once they have an address.
 *
 * <p><b>At least once.</b> Each mail is one transaction: the rows are inserted first ({@code ON CONFLICT}: a row that
 * another run already holds makes its access drop out of the mail), the audit entries are appended, then the mail is
 * sent, and the transaction commits. If sending fails, everything rolls back and the alert is due again at the next
 * run. The only way to mail twice is a failure between the SMTP server's acceptance and the commit (the database gone
 * at that very moment); the opposite order (commit, then send) would lose alerts whenever SMTP is down, which is the
 * common failure. After {@value #MAX_CONSECUTIVE_FAILURES} failed sends in a row the run stops (the server is down) and
 * the next run retries.
 */
final class ExpiryAlerts {

    static final String ACTION = "accesses.alert.sent";
    static final int MAX_CONSECUTIVE_FAILURES = 3;
    /** Rows of accesses that ended this long ago are deleted: no valid access can refer to them any more. */
    static final Duration PRUNE_AFTER = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryAlerts.class);

    /** What a run did. */
    record RunResult(
            Status status, int mailsSent, int alertsRecorded, int usersSkipped, int mailsFailed, int alertsPruned) {

        static RunResult of(Status status) {
            return new RunResult(status, 0, 0, 0, 0, 0);
        }
    }

    /** How a run ended. */
    enum Status {
        /** Alerts are switched off. */
        DISABLED,
        /** No Mailer (SMTP is not configured). */
        NO_MAILER,
        /** Another run was still going. */
        BUSY,
        /** The run went through the due alerts (some sends may have failed). */
        DONE,
        /** The run stopped after consecutive send failures. */
        STOPPED,
        /** The run could not read the accesses or the alert records. */
        FAILED
    }

    private final AlertSettings settings;
    private final AccessService accesses;
    private final UserService users;
    private final SentAlerts sent;
    private final AlertMails mails;
    private final Supplier<Mailer> mailer;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean reportedNoMailer;
    private int lastSkipped; // guarded by running

    ExpiryAlerts(
            AlertSettings settings,
            AccessService accesses,
            UserService users,
            SentAlerts sent,
            AlertMails mails,
            Supplier<Mailer> mailer,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accesses = Objects.requireNonNull(accesses, "accesses");
        this.users = Objects.requireNonNull(users, "users");
        this.sent = Objects.requireNonNull(sent, "sent");
        this.mails = Objects.requireNonNull(mails, "mails");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stops a run in progress after its current mail; later runs do nothing. */
    void close() {
        closed = true;
    }

    /** Sends the due alerts. Never throws: failures are logged and counted. */
    RunResult run() {
        if (!settings.enabled() || closed) {
            return RunResult.of(Status.DISABLED);
        }
        Mailer m = mailer.get();
        if (m == null) {
            if (!reportedNoMailer) {
                reportedNoMailer = true;
                LOG.info("No Mailer (SMTP is not configured): access expiry alerts are not sent until one appears");
            }
            return RunResult.of(Status.NO_MAILER);
        }
        if (reportedNoMailer) {
            reportedNoMailer = false;
            LOG.info("A Mailer is present: access expiry alerts are sent again");
        }
        if (!running.compareAndSet(false, true)) {
            return RunResult.of(Status.BUSY);
        }
        try {
            RunResult result = sendDue(m);
            // Skipped users stay due: their count is logged when it changes, not every run.
            boolean news = result.mailsSent() + result.mailsFailed() > 0 || result.usersSkipped() != lastSkipped;
            lastSkipped = result.usersSkipped();
            if (news || result.status() != Status.DONE) {
                LOG.info(
                        "Access expiry alerts: {} mail(s) sent for {} alert(s), {} user(s) without e-mail address or"
                                + " disabled skipped, {} mail(s) failed ({})",
                        result.mailsSent(),
                        result.alertsRecorded(),
                        result.usersSkipped(),
                        result.mailsFailed(),
                        result.status());
            } else {
                LOG.debug("Access expiry alerts: nothing due");
            }
            return result;
        } catch (RuntimeException e) {
            LOG.error("Access expiry alerts: the run failed; the next run retries", e);
            return RunResult.of(Status.FAILED);
        } finally {
            running.set(false);
        }
    }

    private RunResult sendDue(Mailer m) {
        Instant now = clock.instant();
        List<Access> ending = accesses.endingBetween(now, now.plus(Duration.ofDays(settings.horizonDays())));
        Map<Key, Instant> recorded =
                sent.recorded(ending.stream().map(Access::id).distinct().toList());

        // threshold → user id → due accesses, soonest end first
        Map<Integer, Map<String, List<Access>>> due = new TreeMap<>();
        for (Access a : ending.stream()
                .sorted(Comparator.comparing(Access::end).thenComparing(Access::id))
                .toList()) {
            Optional<Integer> threshold = dueThreshold(a.end(), now);
            if (threshold.isEmpty() || a.userId() == null) {
                continue;
            }
            Instant end = micros(a.end());
            if (end.equals(recorded.get(new Key(a.id(), threshold.get())))) {
                continue;
            }
            due.computeIfAbsent(threshold.get(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(a.userId(), u -> new ArrayList<>())
                    .add(a);
        }

        Map<String, Optional<User>> known = new HashMap<>();
        int mailsSent = 0;
        int alerts = 0;
        int skipped = 0;
        int failed = 0;
        int consecutive = 0;
        Status status = Status.DONE;
        loop:
        for (Map.Entry<Integer, Map<String, List<Access>>> byThreshold : due.entrySet()) {
            int days = byThreshold.getKey();
            for (Map.Entry<String, List<Access>> byUser : byThreshold.getValue().entrySet()) {
                if (closed) {
                    status = Status.STOPPED;
                    break loop;
                }
                Optional<User> user = known.computeIfAbsent(byUser.getKey(), users::byId);
                Optional<String> address =
                        user.filter(User::active).flatMap(User::email).filter(e -> !e.isBlank());
                if (address.isEmpty()) {
                    skipped++;
                    continue;
                }
                try {
                    int n = sendOne(m, user.get(), address.get(), days, byUser.getValue(), now);
                    if (n > 0) {
                        mailsSent++;
                        alerts += n;
                    }
                    consecutive = 0;
                } catch (RuntimeException e) {
                    failed++;
                    consecutive++;
                    LOG.warn(
                            "Access expiry alert ({} days) to user {} not sent; the next run retries: {}",
                            days,
                            byUser.getKey(),
                            e instanceof SendFailure ? e.getCause().getMessage() : e.toString());
                    if (consecutive >= MAX_CONSECUTIVE_FAILURES) {
                        LOG.warn("Access expiry alerts: {} sends failed in a row; stopping this run", consecutive);
                        status = Status.STOPPED;
                        break loop;
                    }
                }
            }
        }
        int pruned = sent.prune(now.minus(PRUNE_AFTER));
        return new RunResult(status, mailsSent, alerts, skipped, failed, pruned);
    }

    /** The smallest threshold that is at least the time left, if the end is in the future and within the largest. */
    Optional<Integer> dueThreshold(Instant end, Instant now) {
        if (!end.isAfter(now)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, end);
        for (int d : settings.thresholds()) {
            if (left.compareTo(Duration.ofDays(d)) <= 0) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Records, audits and sends one user's mail in one transaction.
     *
     * @return how many alerts it carried (0: another run recorded them all first)
     * @throws SendFailure when the mail could not be sent (the transaction rolled back)
     */
    private int sendOne(Mailer m, User user, String address, int days, List<Access> list, Instant now) {
        return sent.writes().write("access expiry alert", tx -> {
            List<Access> claimed = new ArrayList<>();
            for (Access a : list) {
                if (SentAlerts.claim(tx, new Key(a.id(), days), micros(a.end()), now)) {
                    claimed.add(a);
                }
            }
            if (claimed.isEmpty()) {
                return 0;
            }
            for (Access a : claimed) {
                tx.audit(
                        Caller.SYSTEM,
                        AuditEvent.success(ACTION, "access", a.id())
                                .with("threshold_days", days)
                                .with("user_id", user.id()));
            }
            Mail mail = mails.mail(address, user, days, claimed);
            try {
                m.send(mail);
            } catch (MailException e) {
                throw new SendFailure(e);
            }
            return claimed.size();
        });
    }

    private static Instant micros(Instant i) {
        return i.truncatedTo(ChronoUnit.MICROS);
    }

    /** A failed send, thrown through the unit of work so that it rolls back. */
    static final class SendFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SendFailure(MailException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
