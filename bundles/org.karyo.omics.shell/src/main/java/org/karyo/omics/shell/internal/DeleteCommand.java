package org.karyo.omics.shell.internal;

import java.io.PrintStream;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.omics.api.ArtifactService;

/** {@code karyo:omics-delete}: deletes an artifact, its row and then its stored objects. */
@Service
@Command(
        scope = "karyo",
        name = "omics-delete",
        description = "Deletes a genomic file: its row at once, its stored objects (data, index, QC) right after;"
                + " needs omics.manage on its project")
public class DeleteCommand implements Action {

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

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        try {
            artifacts.delete(ConsoleCaller.current(identity), id, OptionalLong.empty());
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Deleted artifact %d%n", id);
    }
}
