package org.karyo.fhir.impl.internal.parse;

import java.util.ArrayList;
import java.util.List;
import org.karyo.fhir.impl.internal.parse.Issue.Severity;

/** Collects the issues of one parse, up to a cap; past the cap the work stops and one more issue says so. */
final class Issues {
    private final int cap;
    private final List<Issue> list = new ArrayList<>();
    private boolean truncated;
    private int status = 400;

    Issues(int cap) {
        this.cap = cap;
    }

    void error(String code, Path location, String message) {
        add(new Issue(Severity.ERROR, code, location.toString(), message));
    }

    void fatal(String code, Path location, String message) {
        add(new Issue(Severity.FATAL, code, location.toString(), message));
    }

    void add(Issue issue) {
        if (list.size() < cap) {
            list.add(issue);
        } else {
            truncated = true;
        }
    }

    /** True when the cap is reached: walkers stop early (so there may be more issues than reported). */
    boolean full() {
        if (list.size() >= cap) {
            truncated = true;
            return true;
        }
        return false;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    void status(int status) {
        this.status = status;
    }

    List<Issue> list() {
        if (!truncated) {
            return List.copyOf(list);
        }
        List<Issue> out = new ArrayList<>(list);
        out.add(new Issue(
                Severity.ERROR,
                Issue.TOO_COSTLY,
                list.get(list.size() - 1).location(),
                "The check stopped after " + cap + " issues: there may be more"));
        return out;
    }

    FhirInputException exception() {
        return new FhirInputException(status, list());
    }
}
