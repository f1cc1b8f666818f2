package org.karyo.accesses.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessService;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;

/** {@code karyo:access-close}: ends a valid access now. */
@Service
@Command(
        scope = "karyo",
        name = "access-close",
        description = "Ends a valid access now (its rights stop at once); an access that has not started or has"
                + " ended cannot be closed")
public class AccessCloseCommand implements Action {

    @Reference
    AccessService accesses;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "id", required = true, description = "The access's id, as karyo:access-list shows it")
    long id;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        Access closed;
        try {
            closed = accesses.close(Console.caller(identity), id);
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
        out.printf(
                "Closed access %d (%s, %s), ended at %s%n",
                closed.id(), closed.username(), closed.roleName(), closed.end());
    }
}
