package org.karyo.projects.shell.internal;

import java.io.PrintStream;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantService;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectService;

/**
 * {@code karyo:projects-participants}: a project's participants, nominative or pseudonymised as the console user's rights
 * say (the service decides; this command only prints what it gets).
 */
@Service
@Command(
        scope = "karyo",
        name = "projects-participants",
        description = "Lists the participants of a project: identifier and name, or pseudonym and birth year when you"
                + " may read pseudonymised data only; gender, consent today, sample ids",
        detailedDescription = "Example: karyo:projects-participants COHORT1 --consent GIVEN --search NA128")
public class ParticipantListCommand implements Action {

    @Reference
    ProjectService projects;

    @Reference
    ParticipantService participants;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "project", required = true, description = "The project: its id or its code")
    String project;

    @Option(
            name = "--search",
            aliases = "-s",
            description = "Only participants whose identifier or name (nominative readers) or sample id contains this")
    String search;

    @Option(
            name = "--consent",
            aliases = "-c",
            description = "Only these consents today, comma-separated: PENDING, GIVEN, WITHDRAWN, EXPIRED")
    String consent;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 50)")
    int limit = 50;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<Participant> found;
        try {
            Caller caller = ConsoleCaller.current(identity);
            Project p = Console.project(projects, caller, project);
            Set<ConsentState> states = Filters.values("consent", consent, s -> ConsentState.valueOf(Console.upper(s)));
            found = participants.list(
                    caller,
                    p.id(),
                    new ParticipantQuery(
                            search, null, states, new PageRequest(limit, offset, ParticipantQuery.DEFAULT_ORDERING)));
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Identifier / pseudonym");
        table.column("Name");
        table.column("Gender");
        table.column("Born");
        table.column("Consent");
        table.column("Samples").maxSize(40);
        for (Participant x : found.results()) {
            table.addRow()
                    .addContent(
                            x.id(),
                            x.pseudonymized() ? x.pseudonym() : x.identifier(),
                            x.pseudonymized() ? "" : x.firstName() + " " + x.lastName(),
                            x.gender(),
                            x.pseudonymized()
                                    ? Integer.toString(x.birthYear())
                                    : x.birthDate().toString(),
                            x.consent().status(),
                            String.join(";", x.sampleIds()));
        }
        table.print(out);
        out.printf(
                "%d of %d shown (offset %d)%s%n",
                found.results().size(),
                found.count(),
                found.offset(),
                !found.results().isEmpty() && found.results().get(0).pseudonymized() ? ", pseudonymised" : "");
    }
}
