package org.karyo.omics.hts.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a binning index record by record, as htslib 1.16's {@code hts_idx_push} / {@code hts_idx_finish} do, so that
 * the result has the bins, chunks, linear index and pseudo-bins tabix or bcftools would write. Holds bins only.
 */
public final class IndexBuilder {

    /** A record the index cannot take (unsorted, a contig that resumes, a bad interval). */
    public static final class PushException extends Exception {
        private static final long serialVersionUID = 1L;

        PushException(String message) {
            super(message);
        }
    }

    private static final long UNSET = 0xffffffffL;

    private final int minShift;
    private final int nLvls;
    private final int nBins;
    private final List<Map<Integer, Bins>> bidx = new ArrayList<>();
    private final List<Linear> lidx = new ArrayList<>();
    private long maxBeg = -1;
    private long maxEnd = -1;

    // htslib's idx->z
    private long lastBin = UNSET;
    private long saveBin = UNSET;
    private long lastCoor = UNSET;
    private int lastTid = -1;
    private int saveTid = -1;
    private long lastOff;
    private long saveOff;
    private long offBeg;
    private long offEnd;
    private long nMapped;
    private long nUnmapped;

    /** Chunks of one bin. */
    static final class Bins {
        long[] list = new long[2];
        int n;
        long loff;

        void add(long u, long v) {
            if (2 * n == list.length) {
                list = Arrays.copyOf(list, list.length * 2);
            }
            list[2 * n] = u;
            list[2 * n + 1] = v;
            n++;
        }

        void sort() {
            long[][] pairs = new long[n][];
            for (int i = 0; i < n; i++) {
                pairs[i] = new long[] {list[2 * i], list[2 * i + 1]};
            }
            Arrays.sort(pairs, (a, b) -> Long.compareUnsigned(a[0], b[0]));
            for (int i = 0; i < n; i++) {
                list[2 * i] = pairs[i][0];
                list[2 * i + 1] = pairs[i][1];
            }
        }
    }

    /** A linear index under construction (-1 marks an unset window). */
    static final class Linear {
        long[] offset = new long[0];
        int n;
    }

    /**
     * @param minShift 14 for tabix and bcftools
     * @param nLvls the depth (5 for TBI; CSI's is computed by the caller, 6 for tabix --csi)
     * @param offset0 the virtual offset where the first record starts (just after the header)
     */
    public IndexBuilder(int minShift, int nLvls, long offset0) {
        this.minShift = minShift;
        this.nLvls = nLvls;
        this.nBins = ((1 << (3 * nLvls + 3)) - 1) / 7;
        this.lastOff = offset0;
        this.saveOff = offset0;
        this.offBeg = offset0;
        this.offEnd = offset0;
    }

    /** The largest position the index can hold. */
    public long maxPosition() {
        return 1L << (minShift + 3 * nLvls);
    }

    /**
     * Adds a record on reference {@code tid} covering [beg, end) (0-based), which ends at virtual offset
     * {@code offset}.
     */
    public void push(int tid, long beg, long end, long offset) throws PushException {
        long maxPos = maxPosition();
        if (beg > maxPos || end > maxPos) {
            throw new PushException("position is beyond what the index can hold (" + maxPos + ")");
        }
        while (bidx.size() <= tid) {
            bidx.add(null);
            lidx.add(new Linear());
        }
        if (lastTid != tid) {
            if (bidx.get(tid) != null) {
                throw new PushException(
                        "the records of a contig are not contiguous (the contig appears again after" + " another one)");
            }
            lastTid = tid;
            lastBin = UNSET;
        } else if (lastCoor > beg) {
            throw new PushException("unsorted positions: the record starts before the previous record");
        }
        if (end < beg) {
            throw new PushException("the record ends before it begins");
        }
        if (bidx.get(tid) == null) {
            bidx.set(tid, new HashMap<>());
        }
        if (beg < 0) {
            beg = 0;
        }
        if (end <= 0) {
            end = 1;
        }
        insertToLinear(lidx.get(tid), beg, end, lastOff);
        int bin = BinIndex.reg2bin(beg, end, minShift, nLvls);
        if (lastBin != bin) {
            if (saveBin != UNSET) {
                insert(bidx.get(saveTid), (int) saveBin, saveOff, lastOff);
            }
            if (lastBin == UNSET && saveBin != UNSET) {
                offEnd = lastOff;
                insert(bidx.get(saveTid), nBins + 1, offBeg, offEnd);
                insert(bidx.get(saveTid), nBins + 1, nMapped, nUnmapped);
                nMapped = 0;
                nUnmapped = 0;
                offBeg = offEnd;
            }
            saveOff = lastOff;
            saveBin = bin;
            lastBin = bin;
            saveTid = tid;
        }
        nMapped++;
        lastOff = offset;
        lastCoor = beg;
        maxBeg = Math.max(maxBeg, beg);
        maxEnd = Math.max(maxEnd, end);
    }

    private static void insert(Map<Integer, Bins> b, int bin, long u, long v) {
        b.computeIfAbsent(bin, k -> new Bins()).add(u, v);
    }

    private void insertToLinear(Linear l, long beg, long end, long offset) {
        int b = (int) (beg >> minShift);
        int e = (int) ((end - 1) >> minShift);
        if (l.offset.length < e + 1) {
            int m = Math.max(l.offset.length * 2, e + 1);
            int old = l.offset.length;
            l.offset = Arrays.copyOf(l.offset, m);
            Arrays.fill(l.offset, old, m, -1L);
        }
        for (int i = b; i <= e; i++) {
            if (l.offset[i] == -1L) {
                l.offset[i] = offset;
            }
        }
        if (l.n < e + 1) {
            l.n = e + 1;
        }
    }

    /** Makes the index hold at least {@code n} references (BCF's CSI lists every contig of the header). */
    public void ensureReferences(int n) {
        while (bidx.size() < n) {
            bidx.add(null);
            lidx.add(new Linear());
        }
    }

    /** True when every record fits a TBI index (positions below 2^29). */
    public boolean fitsTbi() {
        return maxBeg < (1L << 29) && maxEnd <= (1L << 29);
    }

    /**
     * Finishes the index.
     *
     * @param finalOffset the virtual offset at the end of the data
     * @param tbi write a TBI (only when this builder has depth 6 and {@link #fitsTbi()}; bins are renumbered) or CSI
     * @param conf tabix meta data, or null (BCF's CSI)
     * @param names the reference names in tid order (for the tabix meta data)
     */
    public BinIndex finish(long finalOffset, boolean tbi, TabixConf conf, List<String> names) {
        if (saveTid >= 0) {
            insert(bidx.get(saveTid), (int) saveBin, saveOff, finalOffset);
            insert(bidx.get(saveTid), nBins + 1, offBeg, finalOffset);
            insert(bidx.get(saveTid), nBins + 1, nMapped, nUnmapped);
        }
        int depth = nLvls;
        int bins = nBins;
        if (tbi) {
            if (nLvls != 6 || minShift != 14 || !fitsTbi()) {
                throw new IllegalStateException("cannot write this index as TBI");
            }
            depth = 5;
            bins = ((1 << 18) - 1) / 7;
            for (int t = 0; t < bidx.size(); t++) {
                Map<Integer, Bins> m = bidx.get(t);
                if (m == null) {
                    continue;
                }
                Map<Integer, Bins> r = new HashMap<>();
                for (Map.Entry<Integer, Bins> e : m.entrySet()) {
                    int b = e.getKey();
                    if (b == nBins + 1) {
                        r.put(bins + 1, e.getValue());
                    } else {
                        int l = BinIndex.binLevel(b);
                        r.put(BinIndex.binFirst(l - 1) + (b - BinIndex.binFirst(l)), e.getValue());
                    }
                }
                bidx.set(t, r);
            }
        }
        BinIndex.Ref[] refs = new BinIndex.Ref[bidx.size()];
        for (int t = 0; t < bidx.size(); t++) {
            Map<Integer, Bins> m = bidx.get(t);
            if (m == null) {
                m = new HashMap<>();
            }
            Linear l = lidx.get(t);
            long[] linear = Arrays.copyOf(l.offset, l.n);
            for (int i = linear.length - 2; i >= 0; i--) {
                if (linear[i] == -1L) {
                    linear[i] = linear[i + 1];
                }
            }
            for (Map.Entry<Integer, Bins> e : m.entrySet()) {
                int b = e.getKey();
                if (Integer.compareUnsigned(b, bins) < 0) {
                    int bot = BinIndex.binBot(b, depth);
                    e.getValue().loff = bot < linear.length ? linear[bot] : 0;
                } else {
                    e.getValue().loff = 0;
                }
            }
            compress(m, depth, bins);
            int[] ids = m.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            long[] loffs = new long[ids.length];
            long[][] chunks = new long[ids.length][];
            for (int j = 0; j < ids.length; j++) {
                Bins p = m.get(ids[j]);
                loffs[j] = p.loff;
                chunks[j] = Arrays.copyOf(p.list, 2 * p.n);
            }
            refs[t] = new BinIndex.Ref(ids, loffs, chunks, tbi ? linear : null, depth, bins);
        }
        byte[] meta = conf == null ? null : meta(conf, names);
        if (tbi && meta == null) {
            throw new IllegalStateException("a TBI index needs tabix meta data");
        }
        return new BinIndex(!tbi, minShift, depth, meta, conf == null ? List.of() : names, refs, 0, true);
    }

    private static void compress(Map<Integer, Bins> bidx, int nLvls, int nBins) {
        for (int l = nLvls; l > 0; l--) {
            int start = BinIndex.binFirst(l);
            for (Integer key : new ArrayList<>(bidx.keySet())) {
                Bins p = bidx.get(key);
                if (p == null || key >= nBins || key < start) {
                    continue;
                }
                if (l < nLvls && p.n > 1) {
                    p.sort();
                }
                if ((p.list[2 * (p.n - 1) + 1] >>> 16) - (p.list[0] >>> 16) < 0x10000) {
                    Bins q = bidx.get(BinIndex.binParent(key));
                    if (q == null) {
                        continue;
                    }
                    for (int i = 0; i < p.n; i++) {
                        q.add(p.list[2 * i], p.list[2 * i + 1]);
                    }
                    bidx.remove(key);
                }
            }
        }
        Bins zero = bidx.get(0);
        if (zero != null) {
            zero.sort();
        }
        for (Map.Entry<Integer, Bins> e : bidx.entrySet()) {
            if (e.getKey() >= nBins) {
                continue;
            }
            Bins p = e.getValue();
            int m = 0;
            for (int l = 1; l < p.n; l++) {
                if (p.list[2 * m + 1] >>> 16 >= p.list[2 * l] >>> 16) {
                    if (Long.compareUnsigned(p.list[2 * m + 1], p.list[2 * l + 1]) < 0) {
                        p.list[2 * m + 1] = p.list[2 * l + 1];
                    }
                } else {
                    m++;
                    p.list[2 * m] = p.list[2 * l];
                    p.list[2 * m + 1] = p.list[2 * l + 1];
                }
            }
            p.n = m + 1;
        }
    }

    /** The tabix meta data: the configuration, then the NUL-terminated names. */
    static byte[] meta(TabixConf conf, List<String> names) {
        java.io.ByteArrayOutputStream nm = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            nm.write(b, 0, b.length);
            nm.write(0);
        }
        byte[] namesBytes = nm.toByteArray();
        java.nio.ByteBuffer m =
                java.nio.ByteBuffer.allocate(28 + namesBytes.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        m.putInt(conf.preset())
                .putInt(conf.seqColumn())
                .putInt(conf.beginColumn())
                .putInt(conf.endColumn())
                .putInt(conf.metaChar())
                .putInt(conf.skip())
                .putInt(namesBytes.length)
                .put(namesBytes);
        return m.array();
    }
}
