package org.karyo.jobs.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.karyo.jobs.api.Job;
import org.karyo.jobs.api.Progress;
import org.karyo.jobs.api.TaskRun;

/** How the console shows jobs and runs. */
final class Shown {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Shown() {}

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** {@code 1200/5000 rows (24%)}, or {@code 1200 rows} while the total is unknown. */
    static String progress(Progress p) {
        if (p.total() == null) {
            return p.done() + " " + p.unit();
        }
        long percent = p.total() == 0 ? 100 : Math.min(100, p.done() * 100 / p.total());
        return p.done() + "/" + p.total() + " " + p.unit() + " (" + percent + "%)";
    }

    static String state(Job j) {
        return j.cancelRequested() && !j.state().finished()
                ? j.state() + " (cancelling)"
                : j.state().toString();
    }

    static String text(String s) {
        return s == null ? "" : s;
    }

    /** {@code SUCCEEDED 2026-… on n1}, or empty. */
    static String run(TaskRun r) {
        return r == null ? "" : r.outcome() + " " + time(r.startedAt()) + " on " + r.node();
    }

    /** Every field of a job, one per line. */
    static void job(PrintStream out, Job j) {
        out.printf("Job %d%n", j.id());
        line(out, "Type", j.type());
        line(out, "Module", j.module());
        line(out, "Key", text(j.key()));
        line(out, "Owner", j.owner());
        line(out, "State", state(j));
        line(out, "Progress", progress(j.progress()));
        line(out, "Attempts", j.attempts() + " of at most " + j.maxAttempts());
        line(out, "Node", text(j.node()));
        line(out, "Created", time(j.createdAt()));
        line(out, "Started", time(j.startedAt()));
        line(out, "Finished", time(j.finishedAt()));
        if (j.error() != null) {
            line(out, "Error", j.error());
        }
        j.result().forEach((k, v) -> line(out, "Result " + k, v));
    }

    private static void line(PrintStream out, String name, String value) {
        out.printf("  %-12s %s%n", name, value);
    }
}
