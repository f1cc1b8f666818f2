package org.karyo.omics.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.OmicsService;

/** {@code karyo:omics-artifacts}: a table of genomic files, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "omics-artifacts",
        description = "Lists genomic files (artifacts) of the projects you may read, newest first")
public class ArtifactsCommand implements Action {

    @Reference
    OmicsService omics;

    @Reference
    ConsoleIdentity identity;

    @Option(name = "--project", aliases = "-p", description = "Only these project ids, comma-separated")
    String project;

    @Option(name = "--kind", aliases = "-k", description = "Only these kinds, comma-separated: VCF, BED, BCF, PARQUET")
    String kind;

    @Option(name = "--sample", aliases = "-s", description = "Only files with a sample column of exactly this name")
    String sample;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (default 20)")
    int limit = PageRequest.DEFAULT_LIMIT;

    @Option(name = "--offset", description = "How many to skip first (default 0)")
    int offset;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Page<Artifact> found;
        try {
            Set<Long> projects = Filters.values("project", project, Long::valueOf);
            Set<ArtifactKind> kinds =
                    Filters.values("kind", kind, s -> ArtifactKind.valueOf(s.toUpperCase(Locale.ROOT)));
            ArtifactQuery query = new ArtifactQuery(
                    projects, kinds, null, sample, new PageRequest(limit, offset, ArtifactQuery.DEFAULT_ORDERING));
            found = omics.artifacts(ConsoleCaller.current(identity), query);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Project").alignRight();
        table.column("Kind");
        table.column("File").maxSize(40);
        table.column("Assembly");
        table.column("Samples").alignRight();
        table.column("Records").alignRight();
        table.column("Stored").alignRight();
        table.column("Index");
        table.column("Created");
        for (Artifact a : found.results()) {
            table.addRow()
                    .addContent(
                            a.id(),
                            a.projectId(),
                            a.kind(),
                            a.fileName(),
                            a.assembly().name(),
                            a.metadata().samples().size(),
                            a.metadata().records(),
                            Sizes.of(a.storedSize()),
                            a.indexType(),
                            a.createdAt());
        }
        table.print(out);
        out.printf("%d of %d shown (offset %d)%n", found.results().size(), found.count(), found.offset());
    }
}
