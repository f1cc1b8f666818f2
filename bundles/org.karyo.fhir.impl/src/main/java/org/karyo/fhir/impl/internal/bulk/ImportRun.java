package org.karyo.fhir.impl.internal.bulk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.karyo.api.KaryoException;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.impl.internal.parse.FhirJson;
import org.karyo.fhir.impl.internal.parse.Issue;
import org.karyo.fhir.impl.internal.store.SetWriter;
import org.karyo.fhir.impl.internal.store.StoreInternals;
import org.karyo.jobs.api.JobContext;
import org.karyo.jobs.api.JobFailedException;
import org.karyo.persistence.Writes;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an import job. The files are read in {@link ImportFile#ORDER}; their lines are parsed on a pool of threads
 * in chunks of {@value #CHUNK} while the job's thread writes the chunks before them, each in one unit of work (one
 * audit entry {@code fhir.import.batch}).
 *
 * <ol>
 *   <li>A first quick pass counts the lines (the progress's total).
 *   <li>First pass: every line without a conditional reference is parsed and stored; the others are set aside (their
 *       line numbers only).
 *   <li>Second pass: the set-aside lines are read again, their conditional references resolved against what is now
 *       stored (a cache per import), and stored; a line whose reference matches nothing yet waits for another round,
 *       as long as a round stores something (a conditional reference may name a resource that itself had one).
 *   <li>The references of every stored line that did not resolve when its chunk was stored are checked once more; those
 *       that still resolve to nothing are reported per line.
 * </ol>
 *
 * <p>A chunk that fails as a whole is written again line by line, each in its own unit of work, so that one bad line
 * (a hook's refusal, a conflict) is refused alone.
 */
final class ImportRun {
    /** The search keys' GIN pending list limit in kB: every day (migration V2), and during an import. */
    static final int PENDING_KB = 256;

    static final int IMPORT_PENDING_KB = 16384;

    static final int CHUNK = 1000;
    static final long CHUNK_CHARS = 4L << 20;
    /** How many rounds the second pass makes at most. */
    static final int ROUNDS = 10;

    static final String REPORT_PREFIX = "fhir/import-reports/";
    /** The issue code of a line the database refused for a reason of its own. */
    static final String STORE_FAILED = "exception";

    private static final Logger LOG = LoggerFactory.getLogger(ImportRun.class);
    private static final int MAX_RESOLVED = 100_000;

    private final JobContext ctx;
    private final StoreInternals store;
    private final SetWriter bulk;
    private final LinePreparer preparer;
    private final ObjectStore objects;
    private final Path folder;
    private final List<ImportFile> files;
    private final boolean stopOnError;
    private final boolean fastUpdate;
    private final int threads;
    private final int maxLine;
    private final ImportReport report = new ImportReport();
    private final Map<String, String> resolved = new ConcurrentHashMap<>();
    private final Map<String, long[]> pending = new HashMap<>();
    private final List<List<Integer>> deferred = new ArrayList<>();
    private final Map<Long, String> waiting = new LinkedHashMap<>();
    private final ArrayDeque<Future<List<Entry>>> inflight = new ArrayDeque<>();
    private ExecutorService pool;
    private long read;
    private long stored;
    private long done;
    private long total;
    private long batches;
    /** Time the writing thread waited for parsed chunks, and spent storing them: which side bounds the rate. */
    private long waitNanos;

    private long writeNanos;

    ImportRun(
            JobContext ctx,
            StoreInternals store,
            SetWriter bulk,
            LinePreparer preparer,
            ObjectStore objects,
            Path folder,
            List<ImportFile> files,
            boolean stopOnError,
            boolean fastUpdate,
            int threads,
            FhirJson.Limits limits) {
        this.ctx = ctx;
        this.store = store;
        this.bulk = bulk;
        this.preparer = preparer;
        this.objects = objects;
        this.folder = folder;
        this.files = files.stream().sorted(ImportFile.ORDER).toList();
        this.stopOnError = stopOnError;
        this.fastUpdate = fastUpdate;
        this.threads = Math.max(1, threads);
        this.maxLine = (int) limits.maxBytes();
        for (int i = 0; i < this.files.size(); i++) {
            deferred.add(new ArrayList<>());
        }
    }

    Map<String, String> run() throws Exception {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fhir-import-" + ctx.id() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int f = 0; f < files.size(); f++) {
                try (InputStream in = open(f)) {
                    total += NdjsonLines.count(in);
                }
                ctx.throwIfCancelled();
            }
            ctx.progress(0, total);
            fastUpdate(true);
            firstPass();
            secondPass();
            checkReferences();
            ctx.progress(done, total);
            LOG.info(
                    "FHIR import job {}: {} lines read, {} resources stored in {} batches, {} lines refused, {}"
                            + " unresolved references ({} ms waiting for parsed lines, {} ms storing)",
                    ctx.id(),
                    read,
                    stored,
                    batches,
                    report.refused(),
                    report.unresolved(),
                    waitNanos / 1_000_000,
                    writeNanos / 1_000_000);
            return result(writeReport());
        } catch (JobFailedException e) {
            writeReport();
            throw e;
        } finally {
            fastUpdate(false);
            pool.shutdownNow();
            for (Future<List<Entry>> f : inflight) {
                f.cancel(true);
            }
        }
    }

    /**
     * Raises the limit of the search keys' GIN pending list for the import (it merges many rows' keys at once, cheaper
     * the more it merges) and lowers it back to its everyday 256 kB at its end, emptying the list. Searches stay right
     * meanwhile (they read the list too). A short lock of the index: when it is not granted within a second, the import
     * goes on without.
     */
    private void fastUpdate(boolean on) {
        if (!fastUpdate) {
            return;
        }
        try {
            store.writes().run("FHIR import", tx -> {
                tx.update("SET LOCAL lock_timeout = '1s'");
                tx.update(
                        "ALTER INDEX " + SetWriter.S + ".resource_keys SET (fastupdate = on, gin_pending_list_limit = "
                                + (on ? IMPORT_PENDING_KB : PENDING_KB) + ")");
            });
            if (!on) {
                store.sql().count("SELECT gin_clean_pending_list('" + SetWriter.S + ".resource_keys'::regclass)");
            }
        } catch (RuntimeException e) {
            LOG.info(
                    "FHIR import job {}: the search index's pending list could not be {}",
                    ctx.id(),
                    on ? "raised" : "lowered",
                    e);
        }
    }

    private void firstPass() throws Exception {
        for (int f = 0; f < files.size(); f++) {
            String type = files.get(f).type();
            try (NdjsonLines lines = new NdjsonLines(open(f), maxLine)) {
                List<Entry> chunk = new ArrayList<>();
                long chars = 0;
                NdjsonLines.Line l;
                while ((l = lines.next()) != null) {
                    read++;
                    if (l.problem() != null) {
                        report.refused(name(f), l.number(), Refusal.of(Issue.STRUCTURE, null, capital(l.problem())));
                        done++;
                        continue;
                    }
                    chunk.add(new Entry(f, l.number(), l.text()));
                    chars += l.text().length();
                    if (chunk.size() >= CHUNK || chars >= CHUNK_CHARS) {
                        submit(chunk, type, null);
                        chunk = new ArrayList<>();
                        chars = 0;
                    }
                }
                if (!chunk.isEmpty()) {
                    submit(chunk, type, null);
                }
            }
        }
        drain();
    }

    private void secondPass() throws Exception {
        List<List<Integer>> todo = deferred;
        for (int round = 1; round <= ROUNDS; round++) {
            boolean any = todo.stream().anyMatch(l -> !l.isEmpty());
            if (!any) {
                return;
            }
            waiting.clear();
            long before = stored;
            LinePreparer.Resolver resolver = this::resolve;
            for (int f = 0; f < files.size(); f++) {
                List<Integer> wanted = todo.get(f);
                if (wanted.isEmpty()) {
                    continue;
                }
                Set<Integer> numbers = new HashSet<>(wanted);
                String type = files.get(f).type();
                try (NdjsonLines lines = new NdjsonLines(open(f), maxLine)) {
                    List<Entry> chunk = new ArrayList<>();
                    long chars = 0;
                    NdjsonLines.Line l;
                    while ((l = lines.next()) != null && !numbers.isEmpty()) {
                        if (!numbers.remove(l.number()) || l.text() == null) {
                            continue;
                        }
                        chunk.add(new Entry(f, l.number(), l.text()));
                        chars += l.text().length();
                        if (chunk.size() >= CHUNK || chars >= CHUNK_CHARS) {
                            submit(chunk, type, resolver);
                            chunk = new ArrayList<>();
                            chars = 0;
                        }
                    }
                    if (!chunk.isEmpty()) {
                        submit(chunk, type, resolver);
                    }
                }
            }
            drain();
            if (waiting.isEmpty()) {
                return;
            }
            if (stored == before || round == ROUNDS) {
                break;
            }
            List<List<Integer>> next = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                next.add(new ArrayList<>());
            }
            for (long p : waiting.keySet()) {
                next.get(Entry.fileOf(p)).add(Entry.lineOf(p));
            }
            todo = next;
        }
        for (Map.Entry<Long, String> w : waiting.entrySet()) {
            long p = w.getKey();
            report.refused(
                    name(Entry.fileOf(p)),
                    Entry.lineOf(p),
                    Refusal.of(
                            "not-found",
                            null,
                            "The conditional reference " + w.getValue() + " matches no resource of this server"));
            done++;
        }
        waiting.clear();
        ctx.progress(done, total);
    }

    /** What a conditional reference resolves to (cached for the import), or {@code null} while it matches nothing. */
    private String resolve(String conditional) {
        String hit = resolved.get(conditional);
        if (hit != null) {
            return hit;
        }
        int q = conditional.indexOf('?');
        String type = conditional.substring(0, q);
        List<String> ids = store.matchAll(type, conditional.substring(q + 1), 2);
        if (ids.size() > 1) {
            throw FhirException.unprocessable(
                    null, "The conditional reference " + conditional + " matches more than one " + type);
        }
        if (ids.isEmpty()) {
            return null;
        }
        String ref = type + "/" + ids.get(0);
        if (resolved.size() < MAX_RESOLVED) {
            resolved.put(conditional, ref);
        }
        return ref;
    }

    private void submit(List<Entry> chunk, String type, LinePreparer.Resolver resolver) throws Exception {
        inflight.add(pool.submit(() -> {
            for (Entry e : chunk) {
                try {
                    preparer.prepare(e, type, resolver);
                } catch (RuntimeException x) {
                    LOG.warn("FHIR import job {}: line {} of file #{} could not be read", ctx.id(), e.line, e.file, x);
                    e.refuse(Refusal.of(Issue.INVALID, null, "The line could not be read (an internal error)"));
                }
            }
            return chunk;
        }));
        while (inflight.size() > threads + 1) {
            write(next());
        }
    }

    private void drain() throws Exception {
        while (!inflight.isEmpty()) {
            write(next());
        }
    }

    private List<Entry> next() throws Exception {
        long t0 = System.nanoTime();
        try {
            return inflight.poll().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
    }

    /** Stores a prepared chunk (one file's lines), reports its refused lines and notes the others. */
    private void write(List<Entry> chunk) throws Exception {
        ctx.throwIfCancelled();
        List<Entry> ready = new ArrayList<>();
        for (Entry e : chunk) {
            if (e.refusal != null) {
                report.refused(name(e.file), e.line, e.refusal);
                done++;
            } else if (e.deferred) {
                deferred.get(e.file).add(e.line);
            } else if (!e.conditionals.isEmpty()) {
                waiting.put(e.position(), e.conditionals.get(0));
            } else {
                ready.add(e);
            }
        }
        if (!ready.isEmpty()) {
            long t0 = System.nanoTime();
            commit(ready);
            List<Entry> kept = new ArrayList<>();
            for (Entry e : ready) {
                if (e.refusal != null) {
                    report.refused(name(e.file), e.line, e.refusal);
                } else {
                    stored++;
                    kept.add(e);
                }
                done++;
            }
            track(kept);
            writeNanos += System.nanoTime() - t0;
        }
        ctx.progress(done, total);
        if (stopOnError && report.refused() > 0) {
            throw new JobFailedException(
                    "The import stopped at its first refused line (import.stop.on.error): " + report.firstRefusal());
        }
    }

    /**
     * Stores the entries in one unit of work; when that fails, each in its own (a bad one then refused alone). When every
     * one of them fails for a reason that is not the line's (the database is gone), the import fails.
     */
    private void commit(List<Entry> ready) throws JobFailedException {
        if (commitOnce(ready) || ready.size() == 1) {
            return;
        }
        int failed = 0;
        int tried = 0;
        for (Entry e : ready) {
            if (e.refusal == null) {
                tried++;
                if (!commitOnce(List.of(e))
                        && e.refusal != null
                        && e.refusal.code().equals(STORE_FAILED)) {
                    failed++;
                }
            }
        }
        if (tried > 1 && failed == tried) {
            throw new JobFailedException("The FHIR store could not be written (see the log of job " + ctx.id() + ")");
        }
    }

    /** One unit of work; whether it committed (else a lone entry gets its refusal). */
    private boolean commitOnce(List<Entry> ready) {
        Caller caller = ctx.caller();
        try {
            store.writes().write("FHIR import", tx -> {
                int n = writeBatch(tx, caller, ready);
                tx.audit(
                        caller,
                        AuditEvent.success("fhir.import.batch", "fhir.import", ctx.id())
                                .with("type", ready.get(0).type)
                                .with("resources", n));
                return n;
            });
            batches++;
            return true;
        } catch (RuntimeException x) {
            if (ready.size() == 1 && ready.get(0).refusal == null) {
                ready.get(0).refuse(refusalOf(x, ready.get(0)));
            }
            return false;
        }
    }

    private Refusal refusalOf(RuntimeException x, Entry e) {
        if (x instanceof KaryoException k) {
            return Refusal.of(k);
        }
        LOG.warn("FHIR import job {}: {} of file #{} line {} could not be stored", ctx.id(), e.type, e.file, e.line, x);
        return Refusal.of(STORE_FAILED, null, "The resource could not be stored (a database error)");
    }

    private int writeBatch(Writes.Tx tx, Caller caller, List<Entry> ready) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        int n = 0;
        List<Entry> batch = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Entry e : ready) {
            if (e.refusal != null) {
                continue;
            }
            if (LinePreparer.THROUGH_WRITER.contains(e.type)) {
                store.importPut(tx, caller, e.resource);
                n++;
                continue;
            }
            if (!keys.add(e.key())) {
                // the same resource twice in one chunk: the later line is a later version
                n += bulk.write(tx, caller, batch, now);
                batch = new ArrayList<>();
                keys.clear();
                keys.add(e.key());
            }
            batch.add(e);
        }
        n += bulk.write(tx, caller, batch, now);
        return n;
    }

    /** Notes the references of stored lines that resolve to nothing yet. */
    private void track(List<Entry> kept) {
        Map<String, List<Long>> refs = new LinkedHashMap<>();
        for (Entry e : kept) {
            String self = e.key();
            for (String ref : e.index.references()) {
                if (ref.indexOf('/') > 0 && !ref.equals(self)) {
                    refs.computeIfAbsent(ref, k -> new ArrayList<>()).add(e.position());
                }
            }
            e.resource = null;
            e.body = null;
        }
        if (refs.isEmpty()) {
            return;
        }
        for (String missing : missing(new ArrayList<>(refs.keySet()))) {
            long[] old = pending.getOrDefault(missing, new long[0]);
            List<Long> more = refs.get(missing);
            long[] all = Arrays.copyOf(old, old.length + more.size());
            for (int i = 0; i < more.size(); i++) {
                all[old.length + i] = more.get(i);
            }
            pending.put(missing, all);
        }
    }

    /** Checks the references noted as unresolved once everything is stored, and reports those still unresolved. */
    private void checkReferences() {
        List<String> refs = new ArrayList<>(pending.keySet());
        for (int i = 0; i < refs.size(); i += 5000) {
            for (String ref : missing(refs.subList(i, Math.min(refs.size(), i + 5000)))) {
                for (long p : pending.get(ref)) {
                    report.unresolved(name(Entry.fileOf(p)), Entry.lineOf(p), ref);
                }
            }
        }
        pending.clear();
    }

    /** Which of the local references {@code Type/id} name no current resource. */
    private List<String> missing(List<String> refs) {
        String[] types = new String[refs.size()];
        String[] ids = new String[refs.size()];
        for (int i = 0; i < refs.size(); i++) {
            String r = refs.get(i);
            int slash = r.indexOf('/');
            types[i] = r.substring(0, slash);
            ids[i] = r.substring(slash + 1);
        }
        String s = SetWriter.S;
        return store.sql()
                .list(
                        "SELECT x.t || '/' || x.i FROM unnest(?::text[], ?::text[]) AS x(t, i) WHERE NOT EXISTS"
                                + " (SELECT 1 FROM " + s + ".resource_id ri JOIN " + s + ".resource r ON"
                                + " r.patient_key = ri.patient_key AND r.res_pk = ri.res_pk WHERE ri.rtype = x.t"
                                + " AND ri.id = x.i AND NOT r.deleted)",
                        rs -> rs.getString(1),
                        types,
                        ids);
    }

    /** Keeps the full report in the object store, for {@code fhir.admin}; its key, or {@code null}. */
    private String writeReport() {
        if (report.isEmpty()) {
            return null;
        }
        String key = REPORT_PREFIX + "job-" + ctx.id() + ".tsv";
        byte[] bytes = (String.join("\n", report.lines()) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            objects.put(
                    key,
                    new ByteArrayInputStream(bytes),
                    bytes.length,
                    PutOptions.contentType("text/tab-separated-values"));
            return key;
        } catch (RuntimeException e) {
            LOG.warn("FHIR import job {}: its report could not be kept in the object store", ctx.id(), e);
            return null;
        }
    }

    private Map<String, String> result(String reportKey) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("files", Integer.toString(files.size()));
        out.put("lines.read", Long.toString(read));
        out.put("resources.stored", Long.toString(stored));
        out.put("lines.refused", Long.toString(report.refused()));
        out.put("references.unresolved", Long.toString(report.unresolved()));
        out.put("batches", Long.toString(batches));
        if (reportKey != null) {
            out.put("report.key", reportKey);
        }
        out.putAll(report.result());
        return out;
    }

    private InputStream open(int f) throws IOException {
        return files.get(f).open(objects, folder);
    }

    private String name(int f) {
        return files.get(f).name();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
