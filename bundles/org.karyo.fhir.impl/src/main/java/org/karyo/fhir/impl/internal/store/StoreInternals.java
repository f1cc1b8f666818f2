package org.karyo.fhir.impl.internal.store;

import java.util.List;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.WriteEvent;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/** What the module's other components (the import job, the console's statistics) share with the store. */
public interface StoreInternals {
    Sql sql();

    Writes writes();

    Writer writer();

    ParamLookup params();

    /**
     * Writes one resource of a bulk import under its own id (a new version when it exists) in {@code tx}, as an update
     * does, except that its references are not checked (the import checks them when it ends) and a Patient it refers
     * to before that Patient is stored gets its key reserved.
     */
    WriteOutcome importPut(Writes.Tx tx, Caller caller, Resource resource);

    /** The ids of up to {@code limit} current resources of {@code type} matching a search, in every perimeter. */
    List<String> matchAll(String type, String criteria, int limit);

    /**
     * Runs the write hooks on a resource that a bulk import writes, inside the import's unit of work; whether any hook
     * saw it (and so may have completed it).
     */
    boolean runWriteHooks(WriteEvent event);
}
