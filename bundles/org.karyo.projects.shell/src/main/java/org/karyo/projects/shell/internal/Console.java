package org.karyo.projects.shell.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectService;

/** What the projects commands share: resolving a project typed as an id or a code, and wording failures. */
final class Console {
    private Console() {}

    /** A project given by id or by code (any case), as the caller may see it. */
    static Project project(ProjectService projects, Caller caller, String arg) {
        String a = arg == null ? "" : arg.strip();
        if (a.matches("[0-9]{1,18}")) {
            return projects.get(caller, Long.parseLong(a));
        }
        List<Project> found = projects
                .list(
                        caller,
                        new ProjectQuery(
                                null, Set.of(), null, a, new PageRequest(100, 0, ProjectQuery.DEFAULT_ORDERING)))
                .results()
                .stream()
                .filter(p -> p.code().equalsIgnoreCase(a))
                .toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(
                    "project: no project you may see has the id or code '" + a + "'; see karyo:projects-list");
        }
        return found.get(0);
    }

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

    /** An upper-case enum constant name. */
    static String upper(String s) {
        return s.strip().toUpperCase(Locale.ROOT);
    }
}
