package org.karyo.omics.shell.internal;

import java.util.Locale;
import java.util.Set;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.ArtifactQuery;
import org.karyo.omics.api.ArtifactService;

/** {@code karyo:omics-artifacts}: a table of genomic files, newest first. */
@Service
@Command(
        scope = "karyo",
        name = "omics-artifacts",
        description = "Lists genomic files (artifacts) of the projects you may read, newest first")
public class ArtifactsCommand extends ListCommand<Artifact> {

    @Reference
    ArtifactService artifacts;

    @Option(name = "--kind", aliases = "-k", description = "Only these kinds, comma-separated: VCF, BED, BCF, PARQUET")
    String kind;

    @Option(name = "--sample", aliases = "-s", description = "Only files with a sample column of exactly this name")
    String sample;

    @Override
    Page<Artifact> fetch(Caller caller, Set<Long> projects) {
        Set<ArtifactKind> kinds = Filters.values("kind", kind, s -> ArtifactKind.valueOf(s.toUpperCase(Locale.ROOT)));
        return artifacts.list(
                caller,
                new ArtifactQuery(
                        projects, kinds, null, sample, new PageRequest(limit, offset, ArtifactQuery.DEFAULT_ORDERING)));
    }

    @Override
    void columns(ShellTable table) {
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
    }

    @Override
    Object[] cells(Artifact a) {
        return new Object[] {
            a.id(),
            a.projectId(),
            a.kind(),
            a.fileName(),
            a.assembly().name(),
            a.metadata().samples().size(),
            a.metadata().records(),
            Sizes.of(a.storedSize()),
            a.indexType(),
            a.createdAt()
        };
    }
}
