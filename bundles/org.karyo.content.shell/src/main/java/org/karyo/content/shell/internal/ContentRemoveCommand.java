package org.karyo.content.shell.internal;

import java.io.PrintStream;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.content.api.ContentService;
import org.karyo.core.shell.support.ConsoleCaller;

/** {@code karyo:content-remove}: soft-deletes a content. */
@Service
@Command(
        scope = "karyo",
        name = "content-remove",
        description =
                "Removes a web content (soft delete: it disappears from every list, its row stays in the database)")
public class ContentRemoveCommand implements Action {

    @Reference
    ContentService contents;

    @Reference
    ConsoleIdentity identity;

    @Argument(
            index = 0,
            name = "id",
            required = true,
            description = "The id of the content, as karyo:content-list shows it")
    long id;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        try {
            contents.delete(ConsoleCaller.current(identity), id, OptionalLong.empty());
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf("Removed content %d%n", id);
    }
}
