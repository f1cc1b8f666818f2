package org.karyo.fhir.impl.internal.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.hl7.fhir.r5.model.Bundle.HTTPVerb;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.Interaction;
import org.karyo.fhir.api.SearchRequest;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.persistence.Writes;

/**
 * Batch and transaction Bundles. A transaction runs in one unit of work, all or nothing: its entries are processed in
 * FHIR's order (DELETE, POST, PUT/PATCH, GET), {@code urn:uuid} full URLs get their server ids first so entries may
 * refer to each other in any order, conditional creates ({@code ifNoneExist}) and conditional references
 * ({@code Patient?identifier=s|v}) are resolved, and references are checked when every entry is written. A batch
 * answers each entry on its own.
 */
final class Transactions {
    private final FhirStoreImpl store;
    private final Writer writer;
    private final Writes writes;
    private final String base;
    /** What the caller may read: the same for every entry of the Bundle. */
    private final Access access;
    /** Visibility checks run once every entry is written (a Patient may come after the entries that refer to it). */
    private final List<Runnable> after = new ArrayList<>();

    Transactions(FhirStoreImpl store, Writer writer, Writes writes, String base, Access access) {
        this.store = store;
        this.writer = writer;
        this.writes = writes;
        this.base = base;
        this.access = access;
    }

    Bundle run(Bundle bundle) {
        Caller caller = access.caller();
        boolean transaction = bundle.getType() == BundleType.TRANSACTION;
        Bundle response = new Bundle().setType(transaction ? BundleType.TRANSACTIONRESPONSE : BundleType.BATCHRESPONSE);
        List<BundleEntryComponent> entries = bundle.getEntry();
        for (int i = 0; i < entries.size(); i++) {
            response.addEntry();
            if (!entries.get(i).hasRequest() || !entries.get(i).getRequest().hasMethod()) {
                throw FhirException.badRequest("Bundle.entry[" + i + "].request", "Every entry has a request");
            }
        }
        if (!transaction) {
            for (int i = 0; i < entries.size(); i++) {
                int n = i;
                try {
                    Map<String, String> ids = new HashMap<>();
                    BundleEntryComponent out = writes.write("FHIR resource", tx -> {
                        WriteBatch batch = WriteBatch.single();
                        BundleEntryComponent r = entry(tx, caller, entries.get(n), n, batch, ids);
                        writer.finish(tx, batch);
                        after.forEach(Runnable::run);
                        after.clear();
                        return r;
                    });
                    response.getEntry().set(i, out);
                } catch (KaryoException e) {
                    response.getEntry().set(i, failed(e));
                }
            }
            return response;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> rank(entries.get(i).getRequest().getMethod())));
        return writes.write("FHIR transaction", tx -> {
            WriteBatch batch = new WriteBatch(true, false);
            Map<String, String> ids = new HashMap<>();
            // server ids for every urn:uuid create first, and conditional creates resolved, so any entry may refer
            // to any other
            for (int i : order) {
                BundleEntryComponent e = entries.get(i);
                if (e.getRequest().getMethod() == HTTPVerb.POST && e.hasResource()) {
                    String type = e.getResource().fhirType();
                    String id = null;
                    if (e.getRequest().hasIfNoneExist()) {
                        Optional<WriteOutcome> m = store.conditionalMatch(
                                tx,
                                store.enterWrite(caller, type, Interaction.CREATE),
                                type,
                                e.getRequest().getIfNoneExist());
                        if (m.isPresent()) {
                            id = "=" + m.get().id();
                        }
                    }
                    if (id == null) {
                        id = Writer.newId();
                    }
                    if (e.hasFullUrl()) {
                        ids.put(e.getFullUrl(), type + "/" + id);
                    }
                    ids.put("#entry" + i, type + "/" + id);
                }
            }
            SetWriter sets = new SetWriter(store, writer.extractor());
            Map<String, Created> pending = new java.util.LinkedHashMap<>();
            for (int i : order) {
                BundleEntryComponent e = entries.get(i);
                Created c = settable(tx, caller, e, i, ids);
                if (c == null || pending.containsKey(c.key())) {
                    flush(tx, caller, sets, pending);
                }
                if (c != null) {
                    writer.checkReferences(tx, c.key(), c.index, batch);
                    pending.put(c.key(), c);
                    response.getEntry().set(i, c.out);
                } else {
                    response.getEntry().set(i, entry(tx, caller, e, i, batch, ids));
                }
            }
            flush(tx, caller, sets, pending);
            writer.finish(tx, batch);
            tx.audit(
                    caller,
                    AuditEvent.success("fhir.transaction.commit", "fhir.Bundle", null)
                            .with("entries", entries.size()));
            return response;
        });
    }

    /**
     * A transaction entry that the set-based writer can write with others (a create, or an update by id without
     * {@code If-Match}, of a resource whose derived state it keeps: not an Organization or a Group), checked and
     * indexed; {@code null} for any other entry, which goes through {@link #entry} in its turn.
     */
    private Created settable(Writes.Tx tx, Caller caller, BundleEntryComponent e, int i, Map<String, String> ids) {
        HTTPVerb method = e.getRequest().getMethod();
        Resource res = e.getResource();
        String url = e.getRequest().getUrl();
        if (res == null || url == null || (method != HTTPVerb.POST && method != HTTPVerb.PUT)) {
            return null;
        }
        String type = res.fhirType();
        if (type.equals("Organization") || type.equals("Group")) {
            return null;
        }
        String id;
        if (method == HTTPVerb.POST) {
            String assigned = ids.get("#entry" + i);
            if (assigned == null || assigned.contains("/=")) {
                return null;
            }
            id = assigned.substring(assigned.indexOf('/') + 1);
            store.enterWrite(caller, type, Interaction.CREATE);
        } else {
            if (url.startsWith(base + "/")) {
                url = url.substring(base.length() + 1);
            }
            String[] segs = url.split("/");
            if (url.contains("?")
                    || segs.length != 2
                    || !segs[0].equals(type)
                    || e.getRequest().hasIfMatch()) {
                return null;
            }
            id = segs[1];
            store.enterWrite(caller, type, Interaction.UPDATE);
            res.setId(id);
            store.ensureWritable(tx, access, type, id);
        }
        resolveReferences(tx, caller, res, ids, "Bundle.entry[" + i + "]");
        Created c = new Created(method == HTTPVerb.POST);
        c.type = type;
        c.id = id;
        c.resource = res;
        c.index = writer.index(res);
        after.add(() -> store.ensureVisible(tx, access, type, id));
        return c;
    }

    /** Writes the pending entries in one set-based pass. */
    private void flush(Writes.Tx tx, Caller caller, SetWriter sets, Map<String, Created> pending) {
        if (pending.isEmpty()) {
            return;
        }
        List<Created> items = new ArrayList<>(pending.values());
        pending.clear();
        // the rows are in the unit of work now: later entries find them there, and finish() checks the references
        sets.write(tx, caller, items, writer.now());
    }

    /** A transaction entry on the set-based path, and its response entry, completed once it is written. */
    private static final class Created extends SetWriter.Item {
        final BundleEntryComponent out = new BundleEntryComponent();
        private final boolean post;

        Created(boolean post) {
            this.post = post;
        }

        @Override
        protected boolean fresh() {
            return post;
        }

        @Override
        protected boolean inImport() {
            return false;
        }

        @Override
        protected void refuse(KaryoException e) {
            throw e;
        }

        @Override
        protected boolean refused() {
            return false;
        }

        @Override
        protected void written(int version, boolean created) {
            out.getResponse()
                    .setStatus(post || created ? "201 Created" : "200 OK")
                    .setLocation(type + "/" + id + "/_history/" + version)
                    .setEtag("W/\"" + version + "\"")
                    .setLastModified(resource.getMeta().getLastUpdated());
        }
    }

    private static int rank(HTTPVerb m) {
        return switch (m) {
            case DELETE -> 0;
            case POST -> 1;
            case PUT, PATCH -> 2;
            default -> 3;
        };
    }

    private BundleEntryComponent entry(
            Writes.Tx tx, Caller caller, BundleEntryComponent e, int i, WriteBatch batch, Map<String, String> ids) {
        HTTPVerb method = e.getRequest().getMethod();
        String url = e.getRequest().getUrl();
        String where = "Bundle.entry[" + i + "]";
        if (url == null) {
            throw FhirException.badRequest(where + ".request.url", "Every entry's request has a url");
        }
        if (url.startsWith(base + "/")) {
            url = url.substring(base.length() + 1);
        }
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
        String[] segs = path.split("/");
        Resource res = e.getResource();
        if (res != null) {
            resolveReferences(tx, caller, res, ids, where);
        }
        BundleEntryComponent out = new BundleEntryComponent();
        switch (method) {
            case POST -> {
                if (res == null) {
                    throw FhirException.badRequest(where + ".resource", "A POST entry carries a resource");
                }
                String type = res.fhirType();
                store.enterWrite(caller, type, Interaction.CREATE);
                String assigned = ids.get("#entry" + i);
                String id = assigned == null ? Writer.newId() : assigned.substring(assigned.indexOf('/') + 1);
                if (id.startsWith("=")) {
                    String existing = id.substring(1);
                    out.getResponse().setStatus("200 OK").setLocation(type + "/" + existing);
                    return out;
                }
                WriteOutcome w = writer.put(tx, caller, Interaction.CREATE, type, id, res, null, batch);
                after.add(() -> store.ensureVisible(tx, access, type, w.id()));
                return written(out, w, "201 Created");
            }
            case PUT -> {
                if (res == null) {
                    throw FhirException.badRequest(where + ".resource", "A PUT entry carries a resource");
                }
                String type = segs[0];
                store.enterWrite(caller, type, Interaction.UPDATE);
                String id;
                if (query != null) {
                    List<String> found = store.matchIds(access, type, query, 2);
                    if (found.size() > 1) {
                        throw FhirException.of(
                                412,
                                OperationOutcome.IssueType.MULTIPLEMATCHES,
                                where,
                                "The conditional update matches more than one " + type);
                    }
                    id = found.isEmpty() ? Writer.newId() : found.get(0);
                } else if (segs.length == 2) {
                    id = segs[1];
                } else {
                    throw FhirException.badRequest(where + ".request.url", "A PUT entry's url is Type/id");
                }
                res.setId(id);
                store.ensureWritable(tx, access, type, id);
                String ifMatch = etag(e.getRequest().getIfMatch());
                WriteOutcome w = writer.put(tx, caller, Interaction.UPDATE, type, id, res, ifMatch, batch);
                String written = id;
                after.add(() -> store.ensureVisible(tx, access, type, written));
                return written(out, w, w.created() ? "201 Created" : "200 OK");
            }
            case DELETE -> {
                String type = segs[0];
                store.enterWrite(caller, type, Interaction.DELETE);
                List<String> targets = query != null
                        ? store.matchIds(access, type, query, 2)
                        : segs.length == 2 ? List.of(segs[1]) : List.of();
                if (targets.size() > 1) {
                    throw FhirException.of(
                            412,
                            OperationOutcome.IssueType.MULTIPLEMATCHES,
                            where,
                            "The conditional delete matches more than one " + type);
                }
                for (String id : targets) {
                    store.ensureWritable(tx, access, type, id);
                    writer.delete(tx, caller, type, id, etag(e.getRequest().getIfMatch()), batch);
                }
                out.getResponse().setStatus("204 No Content");
                return out;
            }
            case GET -> {
                Resource got;
                if (segs.length == 2 && query == null) {
                    got = store.read(caller, segs[0], segs[1]);
                } else {
                    got = store.search(caller, segs[0], SearchRequest.parse(query == null ? "" : query, base));
                }
                out.setResource(got).getResponse().setStatus("200 OK");
                return out;
            }
            default -> throw FhirException.of(
                    405,
                    OperationOutcome.IssueType.NOTSUPPORTED,
                    where + ".request.method",
                    "The method " + method.toCode() + " is not supported in a Bundle");
        }
    }

    private BundleEntryComponent written(BundleEntryComponent out, WriteOutcome w, String status) {
        out.getResponse()
                .setStatus(status)
                .setLocation(w.type() + "/" + w.id() + "/_history/" + w.version())
                .setEtag("W/\"" + w.version() + "\"")
                .setLastModified(java.util.Date.from(w.lastUpdated()));
        return out;
    }

    /** Rewrites {@code urn:uuid:} references to the entries' server ids and conditional references to their match. */
    private void resolveReferences(Writes.Tx tx, Caller caller, Resource res, Map<String, String> ids, String where) {
        List<Reference> refs = new ArrayList<>();
        collect(res, refs, 0);
        for (Reference r : refs) {
            String ref = r.getReference();
            if (ref == null) {
                continue;
            }
            String mapped = ids.get(ref);
            if (mapped != null) {
                r.setReference(mapped.replace("/=", "/"));
            } else if (ref.startsWith("urn:uuid:")) {
                throw FhirException.unprocessable(where, "The reference " + ref + " names no entry of the Bundle");
            } else if (ref.contains("?")) {
                String type = ref.substring(0, ref.indexOf('?'));
                List<String> found = store.matchIds(access, type, ref.substring(ref.indexOf('?') + 1), 2);
                if (found.size() != 1) {
                    throw FhirException.unprocessable(
                            where,
                            "The conditional reference " + ref + " matches "
                                    + (found.isEmpty() ? "nothing" : "more than one resource"));
                }
                r.setReference(type + "/" + found.get(0));
                ids.put(ref, type + "/" + found.get(0));
            }
        }
    }

    /** Every Reference element of a resource. */
    static void collect(Base b, List<Reference> out, int depth) {
        if (depth > 64) {
            return;
        }
        if (b instanceof Reference r) {
            out.add(r);
        }
        for (org.hl7.fhir.r5.model.Property p : b.children()) {
            for (Base v : p.getValues()) {
                if (v != null && !(v instanceof Resource)) {
                    collect(v, out, depth + 1);
                }
            }
        }
    }

    private static String etag(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        return v.replace("\"", "");
    }

    private static BundleEntryComponent failed(KaryoException e) {
        BundleEntryComponent out = new BundleEntryComponent();
        OperationOutcome oo = e instanceof FhirException f
                ? f.outcome()
                : FhirException.badRequest(null, e.getMessage()).outcome();
        int status = e instanceof FhirException f ? f.status() : 400;
        out.getResponse().setStatus(Integer.toString(status)).setOutcome(oo);
        return out;
    }
}
