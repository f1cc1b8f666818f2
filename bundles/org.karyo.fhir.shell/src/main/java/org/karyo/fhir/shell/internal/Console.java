package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.JobService;
import org.karyo.jobs.api.Progress;

/** What the FHIR commands share: wording failures, following a job with a progress bar, sizes. */
final class Console {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final int BAR = 30;

    private Console() {}

    /** Waits between two looks at a job. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

    /** An exception whose message Karaf prints after "Error executing command:": every invalid field on it. */
    static IllegalArgumentException explain(KaryoException e) {
        if (e.errors().isEmpty()) {
            return new IllegalArgumentException(e.getMessage(), e);
        }
        String fields = e.errors().stream().map(Console::field).collect(Collectors.joining("; "));
        return new IllegalArgumentException(fields, e);
    }

    private static String field(FieldError f) {
        return f.field() + " " + f.message();
    }

    /**
     * Follows a job until it ends, redrawing one progress line ({@code \r}) at each look; returns the job as it ended,
     * or {@code null} when the wait was interrupted (the job goes on).
     */
    static Job follow(JobService jobs, Caller caller, long id, PrintStream out, Duration every, Sleeper sleeper) {
        String last = "";
        while (true) {
            Job j = jobs.get(caller, id);
            String line = bar(j.progress()) + "  " + j.state();
            if (!line.equals(last)) {
                out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
                out.flush();
                last = line;
            }
            if (j.state().finished()) {
                out.println();
                return j;
            }
            try {
                sleeper.sleep(every);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.println();
                out.printf("Stopped following; job %d goes on (karyo:job-show %d)%n", id, id);
                return null;
            }
        }
    }

    /** {@code [#########---------]  45%  9000/20000 lines}, or {@code 9000 lines} while the total is unknown. */
    static String bar(Progress p) {
        if (p.total() == null || p.total() <= 0) {
            return String.format(Locale.ROOT, "[%s]  %d %s", "?".repeat(BAR), p.done(), p.unit());
        }
        long total = p.total();
        long done = Math.min(p.done(), total);
        int filled = (int) (done * BAR / total);
        long percent = done * 100 / total;
        return String.format(
                Locale.ROOT,
                "[%s%s] %3d%%  %d/%d %s",
                "#".repeat(filled),
                "-".repeat(BAR - filled),
                percent,
                p.done(),
                total,
                p.unit());
    }

    /** A human-readable byte count. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }
}
