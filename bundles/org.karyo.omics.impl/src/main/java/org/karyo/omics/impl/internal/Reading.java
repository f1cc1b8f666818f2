package org.karyo.omics.impl.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.omics.api.ArtifactKind;
import org.karyo.omics.api.Download;
import org.karyo.omics.api.HtsgetRequest;
import org.karyo.omics.api.HtsgetTicket;
import org.karyo.omics.api.HtsgetUrl;
import org.karyo.omics.api.IndexType;
import org.karyo.omics.api.OmicsRights;
import org.karyo.omics.api.RecordFormat;
import org.karyo.omics.api.RecordStream;
import org.karyo.omics.api.RecordsRequest;
import org.karyo.omics.hts.GenomicIndex;
import org.karyo.omics.hts.HtsgetPiece;
import org.karyo.omics.hts.Layout;
import org.karyo.omics.hts.Region;
import org.karyo.omics.hts.RegionReader;
import org.karyo.projects.api.ParticipantRef;
import org.karyo.projects.api.ProjectDirectory;
import org.karyo.storage.api.ObjectStore;

/**
 * The read side of artifacts: region queries (checked and audited before they stream), htsget tickets and
 * downloads, with the consent rules: genotypes (sample columns, the file's bytes) only with
 * {@link OmicsRights#READ_GENOTYPES} and only for samples whose participant's consent allows it.
 */
final class Reading {

    static final String VCF_MEDIA_TYPE = "text/vcf";
    static final String BED_MEDIA_TYPE = "text/plain";
    static final String JSON_MEDIA_TYPE = "application/json";
    private static final int ECHO_MAX = 64;

    private final OmicsStore omics;
    private final ObjectStore store;
    private final ProjectDirectory projects;
    private final Settings settings;
    private final Clock clock;
    private final IndexCache indexes;
    private final ThreadPoolExecutor readAhead;

    Reading(OmicsStore omics) {
        this.omics = omics;
        this.store = omics.objects();
        this.projects = omics.projects();
        this.settings = omics.settings();
        this.clock = omics.clock();
        this.indexes = new IndexCache(settings.indexCacheEntries());
        int n = settings.readAheadThreads();
        if (n > 0) {
            // no queue: a query that finds every thread busy inflates on its own thread (BlockStream falls back)
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    n,
                    n,
                    30,
                    TimeUnit.SECONDS,
                    new SynchronousQueue<>(),
                    ValidationJob.threads("karyo-omics-read-ahead-"));
            pool.allowCoreThreadTimeOut(true);
            this.readAhead = pool;
        } else {
            this.readAhead = null;
        }
    }

    /** Stops the read-ahead threads (queries still running finish on their own threads). */
    void close() {
        if (readAhead != null) {
            readAhead.shutdown();
        }
    }

    void evict(long artifactId) {
        indexes.evict(artifactId);
    }

    /**
     * A region query's parameters, checked. The region texts are parsed against the artifact's contig names, as htslib
     * does ({@link #regions}), since a name may hold a colon ({@code HLA-A*01:01:01:01}).
     */
    record Parsed(List<String> regions, String text, List<String> samples, RecordFormat format) {}

    /** Checks the number of regions and the samples of a query, reporting every bad one. */
    Parsed parse(RecordsRequest request) {
        List<FieldError> errors = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        if (request.regions().isEmpty()) {
            errors.add(new FieldError("region", "at least one region is required, for example chr1:10000-20000"));
        } else if (request.regions().size() > settings.maxRegions()) {
            errors.add(new FieldError("region", "at most " + settings.maxRegions() + " regions per query"));
        } else {
            for (String text : request.regions()) {
                regions.add(text == null ? "" : text.strip());
            }
        }
        List<String> samples = null;
        if (request.samples() != null) {
            samples = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String s : request.samples()) {
                String name = s == null ? "" : s.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!seen.add(name)) {
                    errors.add(new FieldError("samples", "names sample '" + echo(name) + "' twice"));
                }
                samples.add(name);
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return new Parsed(regions, String.join(" ", request.regions()), samples, request.format());
    }

    /** A region query on an artifact the caller may read. */
    RecordStream records(Caller caller, OmicsReads.ArtifactRow a, Parsed p) {
        switch (a.kind()) {
            case BCF -> throw unprocessable(
                    "bcf-region-query-unsupported",
                    "artifact " + a.id() + " is a BCF file: Karyo stores BCF with its header metadata but does not"
                            + " answer region queries on it (download it, or upload the VCF)");
            case PARQUET -> throw unprocessable(
                    "parquet-region-query-unsupported",
                    "artifact " + a.id() + " is a Parquet file: it has no genomic index to query by region");
            default -> {
                // VCF, BED
            }
        }
        if (a.indexType() == IndexType.NONE) {
            throw unprocessable("no-index", "artifact " + a.id() + " has no index");
        }
        boolean vcf = a.kind() == ArtifactKind.VCF;
        RecordFormat format = p.format() != null ? p.format() : vcf ? RecordFormat.VCF : RecordFormat.BED;
        if (vcf && format == RecordFormat.BED) {
            throw KaryoException.invalid("format", "a VCF artifact is written as vcf or json");
        }
        if (!vcf && format == RecordFormat.VCF) {
            throw KaryoException.invalid("format", "a BED artifact is written as bed or json");
        }

        List<String> fileSamples = List.copyOf(a.samples());
        int[] keep = new int[0];
        if (vcf) {
            keep = keptSamples(caller, a, fileSamples, p.samples());
        } else if (p.samples() != null && !p.samples().isEmpty()) {
            throw KaryoException.invalid("samples", "a BED artifact has no samples");
        }
        List<String> keptNames = new ArrayList<>();
        for (int k : keep) {
            keptNames.add(fileSamples.get(k));
        }

        GenomicIndex index = indexes.get(a.id(), store, a.indexKey());
        List<Region> regions = regions(p.regions(), index);
        omics.audit(
                caller,
                AuditEvent.success("omics.records.query", "artifact", a.id())
                        .with("project_id", a.projectId())
                        .with("regions", clip(p.text(), AuditEvent.MAX_DETAIL_LENGTH))
                        .with("format", format.name())
                        .with("sample_count", keep.length));

        RegionReader reader = new RegionReader(
                new StoreRangeSource(store, a.dataKey(), a.storedSize()),
                index,
                vcf ? Layout.VCF : Layout.BED,
                readAhead);
        String mediaType =
                switch (format) {
                    case VCF -> VCF_MEDIA_TYPE;
                    case BED -> BED_MEDIA_TYPE;
                    case JSON -> JSON_MEDIA_TYPE;
                };
        int[] kept = keep;
        return new RecordStream() {
            @Override
            public String mediaType() {
                return mediaType;
            }

            @Override
            public List<String> samples() {
                return List.copyOf(keptNames);
            }

            @Override
            public long writeTo(OutputStream out) throws IOException {
                BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
                long n;
                switch (format) {
                    case VCF -> {
                        buffered.write(RecordWriters.vcfHeader(indexes.header(a.id(), reader::header), keptNames));
                        n = reader.query(
                                regions,
                                RecordWriters.vcf(buffered, new RecordWriters.Columns(fileSamples.size(), kept)));
                    }
                    case BED -> n = reader.query(regions, RecordWriters.lines(buffered));
                    default -> {
                        RecordWriters.JsonArray json = vcf
                                ? RecordWriters.vcfJson(buffered, fileSamples, kept)
                                : RecordWriters.bedJson(buffered);
                        n = reader.query(regions, json);
                        json.close();
                    }
                }
                buffered.flush();
                return n;
            }
        };
    }

    /**
     * Parses region texts as htslib does with the file's contig names known: an unquoted text that is a whole contig
     * name (aliases included) is that contig, text after the last colon is otherwise coordinates, and braces quote a
     * name. The contigs are then resolved to the index's names. Reports every bad text.
     */
    private static List<Region> regions(List<String> texts, GenomicIndex index) {
        List<FieldError> errors = new ArrayList<>();
        List<Region> regions = new ArrayList<>();
        for (String text : texts) {
            try {
                Region r = Region.parse(text, c -> index.resolve(c).isPresent());
                regions.add(new Region(index.resolve(r.contig()).orElse(r.contig()), r.start(), r.end()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("region", "'" + echo(text) + "' is not a region: " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return regions;
    }

    /**
     * The positions of the sample columns to write: those asked for, or every one the caller may see. Refuses an
     * unknown sample (INVALID) and a blocked one asked for by name (FORBIDDEN).
     */
    private int[] keptSamples(
            Caller caller, OmicsReads.ArtifactRow a, List<String> fileSamples, List<String> requested) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < fileSamples.size(); i++) {
            position.putIfAbsent(fileSamples.get(i), i);
        }
        if (requested != null) {
            List<FieldError> unknown = new ArrayList<>();
            for (String s : requested) {
                if (!position.containsKey(s)) {
                    unknown.add(new FieldError("samples", "the file has no sample '" + echo(s) + "'"));
                }
            }
            if (!unknown.isEmpty()) {
                throw KaryoException.invalid(unknown);
            }
        }
        if (requested != null && requested.isEmpty()) {
            return new int[0]; // sites only, asked for
        }
        if (fileSamples.isEmpty()) {
            return new int[0];
        }
        Access access = access(caller, a, fileSamples);
        if (requested != null) {
            int[] keep = new int[requested.size()];
            for (int i = 0; i < keep.length; i++) {
                String s = requested.get(i);
                if (!access.genotypes()) {
                    throw forbiddenSample(s, "reading genotypes needs the right " + OmicsRights.READ_GENOTYPES);
                }
                if (access.blocked().contains(s)) {
                    throw forbiddenSample(s, "the consent of its participant does not allow reading genotypes");
                }
                keep[i] = position.get(s);
            }
            return keep;
        }
        if (!access.genotypes()) {
            return new int[0];
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < fileSamples.size(); i++) {
            if (!access.blocked().contains(fileSamples.get(i))) {
                keep.add(i);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    private static KaryoException forbiddenSample(String sample, String why) {
        String message = "samples: genotypes of sample '" + echo(sample) + "' may not be read: " + why;
        return new KaryoException(
                Kind.FORBIDDEN,
                "genotypes-forbidden",
                message,
                List.of(new FieldError("samples", message)),
                Map.of("sample", echo(sample)),
                null);
    }

    /**
     * Whether the caller may read genotypes of the artifact's project, and which samples consent blocks: every one
     * when the artifact's own participant's consent does not allow it, else those whose participant's does not.
     * Samples that match no participant are not blocked.
     */
    record Access(boolean genotypes, Set<String> blocked, boolean ownBlocked) {}

    Access access(Caller caller, OmicsReads.ArtifactRow a, List<String> fileSamples) {
        boolean genotypes = omics.holds(caller, a.projectId(), OmicsRights.READ_GENOTYPES);
        boolean own = false;
        if (a.participantId() != null) {
            ParticipantRef p;
            try {
                p = projects.participant(a.projectId(), a.participantId());
            } catch (KaryoException e) {
                if (e.kind() != Kind.NOT_FOUND) {
                    throw e;
                }
                p = null; // the participant is gone: its consent cannot be checked, so nothing is shown
            }
            own = p == null || !p.consent().allowsGenotypes();
        }
        if (own) {
            return new Access(genotypes, new HashSet<>(fileSamples), true);
        }
        Set<String> blocked = new HashSet<>();
        if (!fileSamples.isEmpty()) {
            Map<String, ParticipantRef> bySample = projects.participantsBySample(a.projectId(), fileSamples);
            for (Map.Entry<String, ParticipantRef> e : bySample.entrySet()) {
                if (!e.getValue().consent().allowsGenotypes()) {
                    blocked.add(e.getKey());
                }
            }
        }
        return new Access(genotypes, blocked, false);
    }

    /**
     * Refuses the whole file's bytes (FORBIDDEN, saying why) without the right to read genotypes, or when consent
     * blocks any sample of it (or the artifact's participant).
     */
    private void requireWholeFile(Caller caller, OmicsReads.ArtifactRow a, String what) {
        Access access = access(caller, a, List.copyOf(a.samples()));
        if (!access.genotypes()) {
            // the artifact is visible (omics.read): say why its bytes are not, rather than pretend it does not exist
            throw KaryoException.forbidden(what + " of artifact " + a.id() + " is refused: the whole file holds"
                    + " genotypes, which need the right " + OmicsRights.READ_GENOTYPES + " on project "
                    + a.projectId() + " (a region query shows the sites)");
        }
        if (access.ownBlocked()) {
            throw KaryoException.forbidden(what + " of artifact " + a.id()
                    + " is refused: the consent of its participant does not allow reading genotypes");
        }
        if (!access.blocked().isEmpty()) {
            throw KaryoException.forbidden(what + " of artifact " + a.id() + " is refused: the consent of "
                    + access.blocked().size() + " of its samples' participants does not allow reading genotypes"
                    + " (a region query shows the other samples)");
        }
    }

    // ---- htsget -----------------------------------------------------------------------------------------------

    /** Checks an htsget request's parameters (before the artifact is looked up). */
    static void checkHtsget(HtsgetRequest r) {
        if ("BCF".equals(r.format())) {
            // a well-formed htsget request for a format Karyo does not decode: 422, as a BCF region query
            throw unprocessable(
                    "bcf-region-query-unsupported",
                    "htsget serves VCF only: Karyo does not decode BCF records (download the file, or upload the VCF)");
        }
        if (r.format() != null && !r.format().equals("VCF")) {
            throw KaryoException.invalid("format", "only VCF is served, not " + echo(r.format()));
        }
        if (r.dataClass() != null && !r.dataClass().equals("header")) {
            throw KaryoException.invalid("class", "must be header when given");
        }
        if (r.referenceName() == null && (r.start() != null || r.end() != null)) {
            throw KaryoException.invalid("referenceName", "is required with start or end");
        }
        if (r.start() != null && r.start() < 0) {
            throw KaryoException.invalid("start", "must be at least 0");
        }
        if (r.end() != null && r.end() < 0) {
            throw KaryoException.invalid("end", "must be at least 0");
        }
        if (r.start() != null && r.end() != null && r.start() > r.end()) {
            throw new KaryoException(
                    Kind.INVALID,
                    "invalid-range",
                    "start " + r.start() + " is after end " + r.end(),
                    List.of(new FieldError("end", "must not be before start")),
                    null,
                    null);
        }
    }

    /** An htsget ticket for a VCF artifact the caller may read genotypes of. */
    HtsgetTicket htsget(Caller caller, OmicsReads.ArtifactRow a, HtsgetRequest r) {
        if (a.kind() == ArtifactKind.BCF) {
            throw unprocessable(
                    "bcf-region-query-unsupported",
                    "artifact " + a.id() + " is a BCF file: htsget serves VCF only, and Karyo does not decode BCF"
                            + " records (download it, or upload the VCF)");
        }
        if (a.kind() != ArtifactKind.VCF) {
            throw unprocessable(
                    "htsget-unsupported-format", "artifact " + a.id() + " is " + a.kind() + ": htsget serves VCF only");
        }
        requireWholeFile(caller, a, "htsget");
        boolean headerOnly = "header".equals(r.dataClass());
        URI url = store.presignGet(a.dataKey(), settings.ticketExpiry(), null);
        List<HtsgetUrl> urls = new ArrayList<>();
        String regionText;
        if (r.referenceName() == null && !headerOnly) {
            urls.add(new HtsgetUrl(url.toString(), Map.of(), "body"));
            regionText = "whole file";
        } else {
            GenomicIndex index = indexes.get(a.id(), store, a.indexKey());
            List<Region> regions = new ArrayList<>();
            if (!headerOnly) {
                String contig = index.resolve(r.referenceName())
                        .orElseThrow(() -> new KaryoException(
                                Kind.NOT_FOUND,
                                "reference-not-found",
                                "artifact " + a.id() + " has no reference '" + echo(r.referenceName()) + "'",
                                null,
                                null,
                                null));
                long start = r.start() == null ? 1 : r.start() + 1; // 0-based half-open -> 1-based inclusive
                long end = r.end() == null ? Long.MAX_VALUE : r.end();
                if (end >= start) {
                    regions.add(new Region(contig, start, end));
                }
            }
            regionText = headerOnly
                    ? "header"
                    : r.referenceName() + ":" + (r.start() == null ? 0 : r.start()) + "-"
                            + (r.end() == null ? "" : r.end());
            List<HtsgetPiece> pieces;
            try {
                pieces = new RegionReader(new StoreRangeSource(store, a.dataKey(), a.storedSize()), index, Layout.VCF)
                        .htsgetPieces(regions);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("reading artifact " + a.id() + " failed", e);
            }
            for (int i = 0; i < pieces.size(); i++) {
                String dataClass = i == 0 || headerOnly ? "header" : "body";
                HtsgetPiece piece = pieces.get(i);
                if (piece instanceof HtsgetPiece.Inline inline) {
                    urls.add(new HtsgetUrl(
                            "data:;base64," + Base64.getEncoder().encodeToString(inline.bytes()), Map.of(), dataClass));
                } else if (piece instanceof HtsgetPiece.Range range) {
                    urls.add(new HtsgetUrl(
                            url.toString(),
                            Map.of("Range", "bytes=" + range.start() + "-" + range.endInclusive()),
                            dataClass));
                }
            }
        }
        omics.audit(
                caller,
                AuditEvent.success("omics.htsget.ticket", "artifact", a.id())
                        .with("project_id", a.projectId())
                        .with("region", clip(regionText, AuditEvent.MAX_DETAIL_LENGTH))
                        .with("urls", urls.size()));
        return new HtsgetTicket("VCF", urls);
    }

    // ---- download ---------------------------------------------------------------------------------------------

    Download download(Caller caller, OmicsReads.ArtifactRow a) {
        requireWholeFile(caller, a, "the download");
        String name = downloadName(a);
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        URI url = store.presignGet(a.dataKey(), settings.downloadExpiry(), name);
        omics.audit(
                caller,
                AuditEvent.success("omics.artifact.download", "artifact", a.id())
                        .with("project_id", a.projectId()));
        return new Download(
                url, name, a.storedSize(), a.storedSha256(), a.storedMd5(), now.plus(settings.downloadExpiry()));
    }

    /** The stored file's name: the uploaded name, with {@code .gz} added when Karyo compressed it. */
    static String downloadName(OmicsReads.ArtifactRow a) {
        String name = a.fileName();
        boolean text = a.kind() == ArtifactKind.VCF || a.kind() == ArtifactKind.BED;
        if (text && !name.endsWith(".gz") && !name.endsWith(".bgz")) {
            return name + ".gz";
        }
        return name;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static KaryoException unprocessable(String type, String message) {
        return new KaryoException(Kind.UNPROCESSABLE, type, message, null, null, null);
    }

    private static String echo(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= ECHO_MAX ? s : s.substring(0, ECHO_MAX) + "...";
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
