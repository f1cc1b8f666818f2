package org.karyo.omics.hts.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.karyo.omics.hts.Chunk;
import org.karyo.omics.hts.GenomicIndex;

/**
 * A binning index, TBI or CSI (hts-specs TABIX and CSIv1), with the query algorithm of htslib 1.16
 * ({@code hts_itr_query}), so that the chunks it answers are the ones tabix reads.
 */
public final class BinIndex implements GenomicIndex {

    /** The limit on the size of an index read from a stream. */
    private static final int MAX_INDEX_BYTES = 256 << 20;

    private final boolean csi;
    private final int minShift;
    private final int nLvls;
    private final int nBins;
    private final byte[] meta;
    private final TabixConf conf;
    private final List<String> names;
    private final Map<String, Integer> tids;
    private final Ref[] refs;
    private final long nNoCoor;
    private final boolean hasNoCoor;

    /** The bins of one reference sequence, in stored order. */
    static final class Ref {
        final int[] bins;
        final long[] loffs;
        final long[][] chunks;
        final long[] linear;
        /** Bin ids sorted, and their positions in {@link #bins}. */
        final int[] sortedBins;

        final int[] sortedPos;
        /** loff used by queries: CSI's stored value, or for TBI derived from the linear index as htslib does. */
        final long[] queryLoffs;
        /** The linear index after htslib's load-time fixes. */
        final long[] queryLinear;

        Ref(int[] bins, long[] loffs, long[][] chunks, long[] linear, int nLvls, int nBins) {
            this.bins = bins;
            this.loffs = loffs;
            this.chunks = chunks;
            this.linear = linear;
            Integer[] order = new Integer[bins.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compareUnsigned(bins[a], bins[b]));
            sortedBins = new int[bins.length];
            sortedPos = new int[bins.length];
            for (int i = 0; i < order.length; i++) {
                sortedBins[i] = bins[order[i]];
                sortedPos[i] = order[i];
            }
            if (linear != null) {
                long[] l = linear.clone();
                int k = 0;
                while (k < l.length && l[k] == 0) {
                    k++;
                }
                for (int j = l.length - 1; j > k; j--) {
                    if (l[j - 1] == 0) {
                        l[j - 1] = l[j];
                    }
                }
                for (int j = l.length - 2; j >= 0; j--) {
                    if (l[j] == -1L) {
                        l[j] = l[j + 1];
                    }
                }
                queryLinear = l;
                queryLoffs = new long[bins.length];
                for (int i = 0; i < bins.length; i++) {
                    if (Integer.compareUnsigned(bins[i], nBins) < 0) {
                        int bot = binBot(bins[i], nLvls);
                        queryLoffs[i] = bot < l.length ? l[bot] : 0;
                    }
                }
            } else {
                queryLinear = null;
                queryLoffs = loffs;
            }
        }

        int find(int bin) {
            int i = Arrays.binarySearch(sortedBins, bin);
            return i >= 0 ? sortedPos[i] : -1;
        }
    }

    BinIndex(
            boolean csi,
            int minShift,
            int nLvls,
            byte[] meta,
            List<String> names,
            Ref[] refs,
            long nNoCoor,
            boolean hasNoCoor) {
        this.csi = csi;
        this.minShift = minShift;
        this.nLvls = nLvls;
        this.nBins = ((1 << (3 * nLvls + 3)) - 1) / 7;
        this.meta = meta;
        this.conf = parseConf(meta);
        this.names = List.copyOf(names);
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            m.putIfAbsent(this.names.get(i), i);
        }
        this.tids = m;
        this.refs = refs;
        this.nNoCoor = nNoCoor;
        this.hasNoCoor = hasNoCoor;
    }

    // ---- binning arithmetic (htslib hts.h) ----

    static int binFirst(int l) {
        return ((1 << (3 * l)) - 1) / 7;
    }

    static int binParent(int b) {
        return (b - 1) >> 3;
    }

    static int binLevel(int bin) {
        int l = 0;
        for (int b = bin; b != 0; b = binParent(b)) {
            l++;
        }
        return l;
    }

    static int binBot(int bin, int nLvls) {
        int l = binLevel(bin);
        return (bin - binFirst(l)) << (nLvls - l) * 3;
    }

    static int reg2bin(long beg, long end, int minShift, int nLvls) {
        int s = minShift;
        int t = ((1 << (3 * nLvls)) - 1) / 7;
        end--;
        for (int l = nLvls; l > 0; l--, s += 3, t -= 1 << (3 * l)) {
            if (beg >> s == end >> s) {
                return (int) (t + (beg >> s));
            }
        }
        return 0;
    }

    // ---- reading ----

    /** The type of an index by its first bytes: {@code tbi}, {@code csi}, or empty (see {@link GenomicIndex#typeOf}). */
    public static Optional<String> typeOf(byte[] head, int length) {
        byte[] raw = head;
        int n = Math.min(length, head.length);
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(head, 0, n))) {
                raw = gz.readNBytes(4);
                n = raw.length;
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (n < 4) {
            return Optional.empty();
        }
        String magic = new String(raw, 0, 4, StandardCharsets.ISO_8859_1);
        return switch (magic) {
            case "TBI\1" -> Optional.of("tbi");
            case "CSI\1" -> Optional.of("csi");
            default -> Optional.empty();
        };
    }

    /** Reads a TBI or CSI index, BGZF/gzip-compressed or not. */
    public static BinIndex read(InputStream in) throws IOException {
        byte[] raw = in.readNBytes(MAX_INDEX_BYTES);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (GZIPInputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                raw = gz.readNBytes(MAX_INDEX_BYTES);
            } catch (java.util.zip.ZipException e) {
                throw new IOException("invalid index: corrupt compression");
            }
        }
        return parse(raw);
    }

    static BinIndex parse(byte[] raw) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (raw.length < 4) {
                throw new IOException("invalid index: too short");
            }
            String magic = new String(raw, 0, 4, StandardCharsets.ISO_8859_1);
            b.position(4);
            if (magic.equals("TBI\1")) {
                int nRef = count(b, 4);
                byte[] meta = new byte[28];
                b.get(meta);
                int lNm = ByteBuffer.wrap(meta, 24, 4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt();
                if (lNm < 0 || lNm > b.remaining()) {
                    throw new IOException("invalid index: bad names length");
                }
                byte[] full = new byte[28 + lNm];
                System.arraycopy(meta, 0, full, 0, 28);
                b.get(full, 28, lNm);
                return readCore(b, false, 14, 5, full, nRef);
            } else if (magic.equals("CSI\1")) {
                int minShift = b.getInt();
                int depth = b.getInt();
                if (minShift < 0 || minShift > 32 || depth < 0 || depth > 9 || minShift + 3 * depth > 62) {
                    throw new IOException("invalid index: bad CSI min_shift/depth");
                }
                int lAux = count(b, 1);
                byte[] aux = new byte[lAux];
                b.get(aux);
                int nRef = count(b, 4);
                return readCore(b, true, minShift, depth, aux, nRef);
            }
            throw new IOException("not a tabix (.tbi) or CSI (.csi) index");
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("invalid index: truncated");
        }
    }

    private static int count(ByteBuffer b, int unit) throws IOException {
        int n = b.getInt();
        if (n < 0 || (long) n * unit > b.remaining()) {
            throw new IOException("invalid index: bad count");
        }
        return n;
    }

    private static BinIndex readCore(ByteBuffer b, boolean csi, int minShift, int nLvls, byte[] meta, int nRef)
            throws IOException {
        int nBins = ((1 << (3 * nLvls + 3)) - 1) / 7;
        Ref[] refs = new Ref[nRef];
        for (int r = 0; r < nRef; r++) {
            int nBin = count(b, csi ? 16 : 8);
            int[] bins = new int[nBin];
            long[] loffs = csi ? new long[nBin] : null;
            long[][] chunks = new long[nBin][];
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int j = 0; j < nBin; j++) {
                bins[j] = b.getInt();
                if (!seen.add(bins[j])) {
                    throw new IOException("invalid index: duplicate bin");
                }
                if (csi) {
                    loffs[j] = b.getLong();
                }
                int nChunk = count(b, 16);
                long[] c = new long[nChunk * 2];
                for (int k = 0; k < c.length; k++) {
                    c[k] = b.getLong();
                }
                chunks[j] = c;
            }
            long[] linear = null;
            if (!csi) {
                int nIntv = count(b, 8);
                linear = new long[nIntv];
                for (int k = 0; k < nIntv; k++) {
                    linear[k] = b.getLong();
                }
            }
            refs[r] = new Ref(bins, loffs == null ? new long[nBin] : loffs, chunks, linear, nLvls, nBins);
        }
        long nNoCoor = 0;
        boolean hasNoCoor = false;
        if (b.remaining() >= 8) {
            nNoCoor = b.getLong();
            hasNoCoor = true;
        }
        TabixConf conf = parseConf(meta);
        List<String> names = new ArrayList<>();
        if (conf != null && meta.length >= 28) {
            int lNm =
                    ByteBuffer.wrap(meta, 24, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (lNm < 0 || 28 + lNm > meta.length) {
                throw new IOException("invalid index: bad names length");
            }
            int start = 28;
            for (int i = 28; i < 28 + lNm; i++) {
                if (meta[i] == 0) {
                    names.add(new String(meta, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (names.size() < nRef) {
                throw new IOException("invalid index: fewer names than references");
            }
            while (names.size() > nRef) {
                names.remove(names.size() - 1);
            }
        }
        return new BinIndex(csi, minShift, nLvls, meta, names, refs, nNoCoor, hasNoCoor);
    }

    private static TabixConf parseConf(byte[] meta) {
        if (meta == null || meta.length < 28) {
            return null;
        }
        ByteBuffer m = ByteBuffer.wrap(meta).order(ByteOrder.LITTLE_ENDIAN);
        return new TabixConf(m.getInt(0), m.getInt(4), m.getInt(8), m.getInt(12), m.getInt(16), m.getInt(20));
    }

    // ---- GenomicIndex ----

    @Override
    public String type() {
        return csi ? "csi" : "tbi";
    }

    /** The tabix column configuration, or null for a CSI without tabix meta data (BCF). */
    public TabixConf conf() {
        return conf;
    }

    public int minShift() {
        return minShift;
    }

    public int depth() {
        return nLvls;
    }

    /** The number of references the index holds. */
    public int referenceCount() {
        return refs.length;
    }

    /** The pseudo-bin n_no_coor, or -1 when the index does not store it. */
    public long noCoordinateCount() {
        return hasNoCoor ? nNoCoor : -1;
    }

    @Override
    public List<String> contigs() {
        return names;
    }

    @Override
    public GenomicIndex withNames(List<String> contigNames) {
        List<String> n = new ArrayList<>(contigNames);
        if (n.size() < refs.length) {
            throw new IllegalArgumentException(
                    "the index has " + refs.length + " references but " + contigNames.size() + " names were given");
        }
        return new BinIndex(csi, minShift, nLvls, meta, n.subList(0, refs.length), refs, nNoCoor, hasNoCoor);
    }

    private int tid(String contig) {
        Integer t = tids.get(contig);
        if (t == null) {
            Optional<String> r = resolve(contig);
            if (r.isEmpty()) {
                return -1;
            }
            t = tids.get(r.get());
        }
        return t == null || t >= refs.length ? -1 : t;
    }

    /** The pseudo-bin of reference {@code tid}: {off_beg, off_end, n_mapped, n_unmapped}, or null. */
    public long[] pseudoBin(int tid) {
        Ref ref = refs[tid];
        int k = ref.find(nBins + 1);
        if (k < 0 || ref.chunks[k].length < 4) {
            return null;
        }
        return Arrays.copyOf(ref.chunks[k], 4);
    }

    /** The number of bins of reference {@code tid}, the pseudo-bin included. */
    public int binCount(int tid) {
        return refs[tid].bins.length;
    }

    @Override
    public OptionalLong recordCount(String contig) {
        int t = tid(contig);
        if (t < 0) {
            return OptionalLong.empty();
        }
        long[] p = pseudoBin(t);
        return p == null ? OptionalLong.empty() : OptionalLong.of(p[2]);
    }

    /** The record count of reference {@code tid} from its pseudo-bin, or -1. */
    public long recordCount(int tid) {
        long[] p = pseudoBin(tid);
        return p == null ? -1 : p[2];
    }

    @Override
    public Optional<String> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (String candidate : aliases(name)) {
            Integer t = tids.get(candidate);
            if (t != null && t < refs.length) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The names tried for {@code name}: itself, then with {@code chr} added or removed, then the mitochondrion. */
    public static List<String> aliases(String name) {
        List<String> a = new ArrayList<>(4);
        a.add(name);
        if (name.startsWith("chr") && name.length() > 3) {
            a.add(name.substring(3));
        } else {
            a.add("chr" + name);
        }
        switch (name) {
            case "MT", "chrM", "M", "chrMT" -> {
                for (String m : List.of("chrM", "MT", "M", "chrMT")) {
                    if (!a.contains(m)) {
                        a.add(m);
                    }
                }
            }
            default -> {
                // no other alias
            }
        }
        return a;
    }

    @Override
    public List<Chunk> chunks(String contig, long start, long end) {
        int t = tid(contig);
        if (t < 0) {
            return List.of();
        }
        long[] c = query(t, Math.max(0, start - 1), end == Long.MAX_VALUE ? Long.MAX_VALUE : end);
        List<Chunk> out = new ArrayList<>(c.length / 2);
        for (int i = 0; i < c.length; i += 2) {
            out.add(new Chunk(c[i], c[i + 1]));
        }
        return out;
    }

    /** The reference number of {@code contig} (aliases tried), or -1. */
    public int referenceId(String contig) {
        return tid(contig);
    }

    /**
     * htslib's {@code hts_itr_query} for reference {@code tid} and the 0-based half-open interval [beg, end):
     * the merged chunks as u,v pairs.
     */
    public long[] query(int tid, long beg, long end) {
        if (tid < 0 || tid >= refs.length || end < beg) {
            return new long[0];
        }
        Ref ref = refs[tid];
        if (ref.bins.length == 0) {
            return new long[0];
        }
        long maxPos = 1L << (minShift + 3 * nLvls);
        if (beg >= maxPos) {
            return new long[0];
        }
        int metaK = ref.find(nBins + 1);
        long unmapped = metaK >= 0 && ref.chunks[metaK].length >= 4 ? ref.chunks[metaK][3] : 1;

        int relOff = (int) (beg >> minShift);
        int bin = binFirst(nLvls) + relOff;
        int k;
        do {
            k = ref.find(bin);
            if (k >= 0) {
                break;
            }
            int first = (binParent(bin) << 3) + 1;
            if (bin > first) {
                bin--;
            } else {
                bin = binParent(bin);
            }
        } while (bin != 0);
        if (bin == 0) {
            k = ref.find(0);
        }
        long minOff = k >= 0 ? ref.queryLoffs[k] : 0;
        if (ref.queryLinear != null && relOff < ref.queryLinear.length) {
            long[] lin = ref.queryLinear;
            if (Long.compareUnsigned(minOff, lin[relOff]) < 0) {
                minOff = lin[relOff];
            }
            if (unmapped != 0) {
                int tmp;
                for (tmp = relOff - 1; tmp >= 0; tmp--) {
                    if (Long.compareUnsigned(lin[tmp], minOff) < 0) {
                        minOff = lin[tmp];
                        break;
                    }
                }
                if (k >= 0 && (Long.compareUnsigned(minOff, ref.queryLoffs[k]) < 0 || tmp < 0)) {
                    minOff = ref.queryLoffs[k];
                }
            }
        } else if (unmapped != 0 && k >= 0) {
            minOff = ref.queryLoffs[k];
        }

        long maxOff;
        long b = binFirst(nLvls) + ((end - 1) >> minShift) + 1;
        if (b >= nBins) {
            b = 0;
        }
        int mb = (int) b;
        while (true) {
            while (mb % 8 == 1) {
                mb = binParent(mb);
            }
            if (mb == 0) {
                maxOff = -1L;
                break;
            }
            int mk = ref.find(mb);
            if (mk >= 0 && ref.chunks[mk].length > 0) {
                maxOff = ref.chunks[mk][0];
                break;
            }
            mb++;
        }

        // reg2bins
        long qend = end;
        int s = minShift + 3 * nLvls;
        if (qend >= 1L << s) {
            qend = 1L << s;
        }
        if (beg >= qend) {
            return new long[0];
        }
        qend--;
        List<long[]> offs = new ArrayList<>();
        for (int l = 0, t = 0; l <= nLvls; s -= 3, t += 1 << (3 * l), l++) {
            long from = t + (beg >> s);
            long to = t + (qend >> s);
            for (long i = from; i <= to; i++) {
                int bk = ref.find((int) i);
                if (bk < 0) {
                    continue;
                }
                long[] c = ref.chunks[bk];
                for (int j = 0; j < c.length / 2; j++) {
                    long u = c[2 * j];
                    long v = c[2 * j + 1];
                    if (Long.compareUnsigned(v, minOff) > 0 && Long.compareUnsigned(u, maxOff) < 0) {
                        offs.add(new long[] {
                            Long.compareUnsigned(minOff, u) > 0 ? minOff : u,
                            Long.compareUnsigned(maxOff, v) < 0 ? maxOff : v,
                            ((long) tid << 32) | j
                        });
                    }
                }
            }
        }
        if (offs.isEmpty()) {
            return new long[0];
        }
        offs.sort((x, y) -> {
            int c = Long.compareUnsigned(x[0], y[0]);
            return c != 0 ? c : Long.compareUnsigned(x[2], y[2]);
        });
        int n = offs.size();
        int l = 0;
        for (int i = 1; i < n; i++) {
            if (Long.compareUnsigned(offs.get(l)[1], offs.get(i)[1]) < 0) {
                offs.set(++l, offs.get(i));
            }
        }
        n = l + 1;
        for (int i = 1; i < n; i++) {
            if (Long.compareUnsigned(offs.get(i - 1)[1], offs.get(i)[0]) >= 0) {
                offs.get(i - 1)[1] = offs.get(i)[0];
            }
        }
        l = 0;
        for (int i = 1; i < n; i++) {
            if (offs.get(l)[1] >>> 16 == offs.get(i)[0] >>> 16) {
                offs.get(l)[1] = offs.get(i)[1];
            } else {
                offs.set(++l, offs.get(i));
            }
        }
        n = l + 1;
        long[] out = new long[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = offs.get(i)[0];
            out[2 * i + 1] = offs.get(i)[1];
        }
        return out;
    }

    @Override
    public long[] referencedBlockOffsets() {
        long[] v = referencedVirtualOffsets();
        long[] b = new long[v.length];
        int n = 0;
        for (long x : v) {
            long blk = x >>> 16;
            if (n == 0 || b[n - 1] != blk) {
                b[n++] = blk;
            }
        }
        return Arrays.copyOf(b, n);
    }

    /**
     * Every virtual offset the index refers to (chunk bounds, pseudo-bin bounds, linear index and loff values),
     * sorted and distinct.
     */
    public long[] referencedVirtualOffsets() {
        int total = 0;
        for (Ref r : refs) {
            for (long[] c : r.chunks) {
                total += c.length;
            }
            total += r.bins.length + (r.linear == null ? 0 : r.linear.length);
        }
        long[] all = new long[total];
        int n = 0;
        for (Ref r : refs) {
            for (int j = 0; j < r.bins.length; j++) {
                long[] c = r.chunks[j];
                if (r.bins[j] == nBins + 1) {
                    if (c.length >= 2) {
                        all[n++] = c[0];
                        all[n++] = c[1];
                    }
                    continue;
                }
                for (long x : c) {
                    all[n++] = x;
                }
                if (csi) {
                    all[n++] = r.loffs[j];
                }
            }
            if (r.linear != null) {
                for (long x : r.linear) {
                    all[n++] = x;
                }
            }
        }
        long[] sorted = Arrays.copyOf(all, n);
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] ^= Long.MIN_VALUE;
        }
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (m == 0 || sorted[m - 1] != sorted[i]) {
                sorted[m++] = sorted[i];
            }
        }
        long[] out = Arrays.copyOf(sorted, m);
        for (int i = 0; i < out.length; i++) {
            out[i] ^= Long.MIN_VALUE;
        }
        return out;
    }

    // ---- writing ----

    /** The uncompressed serialisation. */
    public byte[] serialize() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LittleEndian o = new LittleEndian(bytes);
        if (csi) {
            o.bytes(new byte[] {'C', 'S', 'I', 1});
            o.i32(minShift);
            o.i32(nLvls);
            o.i32(meta == null ? 0 : meta.length);
            if (meta != null) {
                o.bytes(meta);
            }
            o.i32(refs.length);
        } else {
            o.bytes(new byte[] {'T', 'B', 'I', 1});
            o.i32(refs.length);
            o.bytes(meta);
        }
        for (Ref r : refs) {
            o.i32(r.bins.length);
            for (int j = 0; j < r.bins.length; j++) {
                o.i32(r.bins[j]);
                if (csi) {
                    o.i64(r.loffs[j]);
                }
                o.i32(r.chunks[j].length / 2);
                for (long x : r.chunks[j]) {
                    o.i64(x);
                }
            }
            if (!csi) {
                o.i32(r.linear.length);
                for (long x : r.linear) {
                    o.i64(x);
                }
            }
        }
        if (hasNoCoor) {
            o.i64(nNoCoor);
        }
        return bytes.toByteArray();
    }

    @Override
    public void write(OutputStream out) throws IOException {
        byte[] raw = serialize();
        out.write(BgzfWriter.compress(raw, 0, raw.length));
        out.write(Bgzf.eofBlock());
    }

    /** The serialised, BGZF-compressed index. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A canonical description for comparing two indexes by meaning: per reference, bins sorted by number with their
     * chunks (and loff for CSI), the linear index, the pseudo-bin; plus the header fields.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(type())
                .append(" min_shift=")
                .append(minShift)
                .append(" depth=")
                .append(nLvls);
        sb.append(" conf=").append(conf).append(" names=").append(names);
        sb.append(" n_no_coor=").append(hasNoCoor ? nNoCoor : -1).append('\n');
        for (int r = 0; r < refs.length; r++) {
            Ref ref = refs[r];
            sb.append("ref ").append(r).append('\n');
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < ref.bins.length; j++) {
                order.add(j);
            }
            Collections.sort(order, (a, b) -> Integer.compareUnsigned(ref.bins[a], ref.bins[b]));
            for (int j : order) {
                sb.append(" bin ").append(Integer.toUnsignedString(ref.bins[j]));
                if (csi) {
                    sb.append(" loff=").append(Long.toHexString(ref.loffs[j]));
                }
                for (long x : ref.chunks[j]) {
                    sb.append(' ').append(Long.toHexString(x));
                }
                sb.append('\n');
            }
            if (ref.linear != null) {
                sb.append(" linear");
                for (long x : ref.linear) {
                    sb.append(' ').append(Long.toHexString(x));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Little-endian writer. */
    private static final class LittleEndian {
        private final ByteArrayOutputStream out;

        LittleEndian(ByteArrayOutputStream out) {
            this.out = out;
        }

        void bytes(byte[] b) {
            out.write(b, 0, b.length);
        }

        void i32(int v) {
            out.write(v);
            out.write(v >>> 8);
            out.write(v >>> 16);
            out.write(v >>> 24);
        }

        void i64(long v) {
            i32((int) v);
            i32((int) (v >>> 32));
        }
    }
}
