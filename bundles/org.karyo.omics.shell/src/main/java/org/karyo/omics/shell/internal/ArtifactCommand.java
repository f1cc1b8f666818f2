package org.karyo.omics.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.omics.api.Artifact;
import org.karyo.omics.api.ArtifactMetadata;
import org.karyo.omics.api.ArtifactService;
import org.karyo.omics.api.Contig;

/** {@code karyo:omics-artifact}: one genomic file with its checksums and the metadata read at upload. */
@Service
@Command(
        scope = "karyo",
        name = "omics-artifact",
        description = "Shows one genomic file: project, checksums, assembly, repository and the metadata read at upload"
                + " (sample count, contigs with record counts, INFO/FORMAT/FILTER definitions)")
public class ArtifactCommand implements Action {

    @Reference
    ArtifactService artifacts;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "id",
            required = true,
            description = "The artifact id, as karyo:omics-artifacts shows it")
    long id;

    @Option(name = "--contigs", aliases = "-c", description = "Also list every contig with its record count")
    boolean contigs;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Artifact a;
        try {
            a = artifacts.get(ConsoleCaller.current(identity), id);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        ArtifactMetadata m = a.metadata();
        out.printf("Artifact %d (version %d), %s%n", a.id(), a.version(), a.state());
        out.printf("  project        %d%n", a.projectId());
        out.printf("  participant    %s%n", a.participantId() == null ? "-" : a.participantId());
        out.printf("  file           %s (%s, %s, index %s)%n", a.fileName(), a.kind(), a.compression(), a.indexType());
        out.printf("  format         %s%n", m.fileFormat());
        out.printf(
                "  assembly       %s (%s)%n", a.assembly().name(), a.assembly().reference());
        out.printf(
                "  repository     %s%n",
                a.repository() == null
                        ? "-"
                        : a.repository().name() + " " + a.repository().id());
        out.printf("  uploaded       %s bytes, sha256 %s%n", a.uploadSize(), a.uploadSha256());
        out.printf("  stored         %s bytes, sha256 %s, md5 %s%n", a.storedSize(), a.storedSha256(), a.storedMd5());
        out.printf("  records        %d%n", m.records());
        out.printf("  samples        %d%n", m.samples().size());
        out.printf(
                "  definitions    %d INFO, %d FORMAT, %d FILTER%n",
                m.info().size(), m.format().size(), m.filter().size());
        out.printf("  contigs        %d%n", m.contigs().size());
        if (m.parquet() != null) {
            out.printf(
                    "  parquet        %d rows in %d row groups, %d columns%n",
                    m.parquet().rows(),
                    m.parquet().rowGroups(),
                    m.parquet().columns().size());
        }
        out.printf(
                "  qc metrics     %s%n",
                a.qcMetrics() == null
                        ? "-"
                        : a.qcMetrics().fileName() + " (" + a.qcMetrics().size() + " bytes)");
        out.printf("  created        %s by %s (upload %d)%n", a.createdAt(), a.createdBy(), a.uploadId());
        if (contigs && !m.contigs().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Contig");
            table.column("Length").alignRight();
            table.column("Records").alignRight();
            for (Contig c : m.contigs()) {
                table.addRow().addContent(c.name(), c.length() == null ? "" : c.length(), c.records());
            }
            table.print(out);
        }
    }
}
