package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.core.shell.support.ConsoleCaller;
import org.karyo.fhir.api.FhirStore;

/** {@code karyo:fhir-expunge}: erases a resource with all its versions (GDPR requests, retention). */
@Service
@Command(
        scope = "karyo",
        name = "fhir-expunge",
        description = "Erases a FHIR resource and every version of it, for good (GDPR erasure, retention); with"
                + " --compartment, a Patient's whole compartment: every resource of that patient",
        detailedDescription = "Unlike a delete, nothing is kept: not even the history. Audited"
                + " (fhir.resource.expunge). Needs fhir.admin. Example: karyo:fhir-expunge Patient/123 --compartment")
public class FhirExpungeCommand implements Action {

    @Reference
    FhirStore store;

    @Reference
    ConsoleIdentity identity;

    @Argument(index = 0, name = "resource", required = true, description = "The resource: Type/id (Patient/123)")
    String resource;

    @Option(
            name = "--compartment",
            aliases = "-c",
            description = "For a Patient: erase every resource of its compartment too")
    boolean compartment;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        String r = resource == null ? "" : resource.strip();
        int slash = r.indexOf('/');
        if (slash <= 0 || slash == r.length() - 1 || r.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("resource: write it Type/id, for example Patient/123");
        }
        String type = r.substring(0, slash);
        String id = r.substring(slash + 1);
        if (compartment && !type.equals("Patient")) {
            throw new IllegalArgumentException("--compartment: only a Patient has a compartment");
        }
        long versions;
        try {
            versions = store.expunge(ConsoleCaller.current(identity), type, id, compartment);
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        out.printf("Erased %s%s: %d versions%n", r, compartment ? " and its compartment" : "", versions);
    }
}
