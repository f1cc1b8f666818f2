package org.karyo.omics.hts.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.karyo.omics.hts.ContigStat;
import org.karyo.omics.hts.IngestException;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.omics.hts.Metadata;

/**
 * Validates a BCF 2.1/2.2 stream block by block: the magic, the header text (parsed as a VCF header) and each
 * record's CHROM, POS and rlen, which give the per-contig counts, the sort check and a CSI index as
 * {@code bcftools index} builds it. The rest of each record is skipped, not decoded.
 */
public final class BcfConsumer implements BlockConsumer {

    private enum Phase {
        MAGIC,
        LTEXT,
        TEXT,
        HEAD,
        SKIP
    }

    private final IngestLimits limits;
    private final OffsetChecker checker;
    private final boolean buildIndex;
    private final VcfHeader header = new VcfHeader();

    private Phase phase = Phase.MAGIC;
    private final byte[] acc = new byte[20];
    private int accN;
    private long need = 5;
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private int minor;

    private List<String> dictionary;
    private IndexBuilder builder;
    private long lastBlockEnd;
    private long records;
    private long[] counts;
    private final List<Integer> order = new ArrayList<>();
    private boolean[] seen;
    private int currentRid = -1;
    private long lastPos;

    public BcfConsumer(IngestLimits limits, OffsetChecker checker, boolean buildIndex) {
        this.limits = limits;
        this.checker = checker;
        this.buildIndex = buildIndex;
    }

    @Override
    public void block(long address, int compressedSize, byte[] data, int length) throws IngestException {
        if (checker != null) {
            checker.block(address, length);
        }
        if (length == 0) {
            return;
        }
        long next = address + compressedSize;
        lastBlockEnd = next;
        int i = 0;
        while (i < length) {
            switch (phase) {
                case MAGIC, LTEXT, HEAD -> {
                    int n = (int) Math.min(need - accN, length - i);
                    System.arraycopy(data, i, acc, accN, n);
                    accN += n;
                    i += n;
                    if (accN == need) {
                        accN = 0;
                        int end = i;
                        long tell = end >= length ? next << 16 : address << 16 | end;
                        complete(tell, end);
                    }
                }
                case TEXT -> {
                    int n = (int) Math.min(need, length - i);
                    text.write(data, i, n);
                    need -= n;
                    i += n;
                    if (need == 0) {
                        long tell = i >= length ? next << 16 : address << 16 | i;
                        headerDone(tell, i);
                    }
                }
                case SKIP -> {
                    int n = (int) Math.min(need, length - i);
                    need -= n;
                    i += n;
                    if (need == 0) {
                        long tell = i >= length ? next << 16 : address << 16 | i;
                        recordDone(tell, i);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void complete(long tell, int offsetInBlock) throws IngestException {
        switch (phase) {
            case MAGIC -> {
                if (acc[0] != 'B' || acc[1] != 'C' || acc[2] != 'F' || acc[3] != 2 || (acc[4] != 1 && acc[4] != 2)) {
                    throw IngestException.file("not a BCF file: the data must start with BCF version 2.1 or 2.2");
                }
                minor = acc[4];
                phase = Phase.LTEXT;
                need = 4;
            }
            case LTEXT -> {
                long l = Integer.toUnsignedLong(Bgzf.i32(acc, 0));
                if (l > limits.maxLineLength()) {
                    throw IngestException.file("the BCF header is longer than " + limits.maxLineLength() + " bytes");
                }
                phase = Phase.TEXT;
                need = l;
                if (l == 0) {
                    headerDone(tell, offsetInBlock);
                }
            }
            case HEAD -> {
                long lShared = Integer.toUnsignedLong(Bgzf.i32(acc, 0));
                long lIndiv = Integer.toUnsignedLong(Bgzf.i32(acc, 4));
                long number = records + 1;
                if (lShared < 24) {
                    throw IngestException.atRecord(number, "invalid BCF record (shared part too short)");
                }
                if (lShared + lIndiv > limits.maxLineLength()) {
                    throw IngestException.atRecord(
                            number, "the record is longer than " + limits.maxLineLength() + " bytes");
                }
                int rid = Bgzf.i32(acc, 8);
                long pos = Bgzf.i32(acc, 12);
                long rlen = Bgzf.i32(acc, 16);
                checkRecord(number, rid, pos, rlen);
                phase = Phase.SKIP;
                need = lShared + lIndiv - 12;
            }
            default -> throw new IllegalStateException();
        }
    }

    private void headerDone(long tell, int offsetInBlock) throws IngestException {
        byte[] t = text.toByteArray();
        int len = t.length;
        while (len > 0 && t[len - 1] == 0) {
            len--;
        }
        String s = new String(t, 0, len, StandardCharsets.UTF_8);
        try {
            boolean done = false;
            int lineNo = 0;
            for (String line : s.split("\n", -1)) {
                lineNo++;
                String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (l.isEmpty()) {
                    continue;
                }
                if (done) {
                    throw new VcfHeader.Invalid("text after the #CHROM line of the header");
                }
                done = header.line(l);
            }
            if (!done) {
                throw new VcfHeader.Invalid("the header has no #CHROM line");
            }
            dictionary = header.bcfContigDictionary();
        } catch (VcfHeader.Invalid e) {
            throw IngestException.file("BCF header: " + e.getMessage());
        }
        counts = new long[dictionary.size()];
        seen = new boolean[dictionary.size()];
        if (checker != null) {
            checker.boundary(offsetInBlock);
        }
        if (buildIndex) {
            builder = new IndexBuilder(14, levels(), tell);
            builder.ensureReferences(dictionary.size());
        }
        phase = Phase.HEAD;
        need = 20;
        accN = 0;
    }

    /** htslib's {@code idx_calc_n_lvls_ids} with min_shift 14, starting at depth 0. */
    private int levels() {
        long maxLen = 0;
        for (String c : dictionary) {
            if (c != null) {
                Long l = header.contigLength(c);
                if (l != null && l > maxLen) {
                    maxLen = l;
                }
            }
        }
        if (maxLen == 0) {
            maxLen = (1L << 31) - 1;
        }
        maxLen += 256;
        int n = 0;
        for (long s = 1L << 14; maxLen > s; s <<= 3) {
            n++;
        }
        return n;
    }

    private void checkRecord(long number, int rid, long pos, long rlen) throws IngestException {
        if (rid < 0 || rid >= dictionary.size() || dictionary.get(rid) == null) {
            throw IngestException.atRecord(number, "CHROM is not a contig of the header");
        }
        if (rid != currentRid) {
            if (seen[rid]) {
                throw IngestException.atRecord(
                        number, "not sorted: the records of a contig resume after another" + " contig (CHROM)");
            }
            seen[rid] = true;
            order.add(rid);
            currentRid = rid;
        } else if (pos < lastPos) {
            throw IngestException.atRecord(
                    number, "not sorted: POS is smaller than the previous record's on the same" + " contig");
        }
        if (pos < -1) {
            throw IngestException.atRecord(number, "POS is negative");
        }
        if (rlen < 0) {
            throw IngestException.atRecord(number, "invalid BCF record (negative rlen)");
        }
        lastPos = pos;
        this.pendingRid = rid;
        this.pendingPos = pos;
        this.pendingEnd = pos + rlen;
    }

    private int pendingRid;
    private long pendingPos;
    private long pendingEnd;

    private void recordDone(long tell, int offsetInBlock) throws IngestException {
        records++;
        counts[pendingRid]++;
        if (builder != null) {
            try {
                builder.push(pendingRid, pendingPos, pendingEnd, tell);
            } catch (IndexBuilder.PushException e) {
                throw IngestException.atRecord(records, e.getMessage());
            }
        }
        if (checker != null) {
            checker.boundary(offsetInBlock);
        }
        phase = Phase.HEAD;
        need = 20;
        accN = 0;
    }

    @Override
    public void finish() throws IngestException {
        if (phase != Phase.HEAD || accN != 0) {
            if (phase == Phase.MAGIC && accN == 0) {
                throw IngestException.file("the file is empty");
            }
            throw IngestException.file("the BCF data ends inside a "
                    + (phase == Phase.SKIP || phase == Phase.HEAD
                            ? "record (record " + (records + 1) + "): the file is truncated"
                            : "header: the file is truncated"));
        }
    }

    /** The contig dictionary of the header (BCF's contig ids). */
    public List<String> dictionary() {
        return dictionary;
    }

    /** Records of contig id {@code rid}. */
    public long count(int rid) {
        return counts[rid];
    }

    /** Call after {@link #finish()}: the CSI index built (as bcftools index), or null. */
    public BinIndex index() {
        if (builder == null) {
            return null;
        }
        return builder.finish(lastBlockEnd << 16, false, null, List.of());
    }

    public Metadata metadata() {
        List<ContigStat> stats = new ArrayList<>();
        for (int rid : order) {
            String name = dictionary.get(rid);
            stats.add(new ContigStat(name, header.contigLength(name), counts[rid]));
        }
        return new Metadata(
                "BCFv2." + minor,
                header.samples(),
                List.copyOf(stats),
                header.definitions(),
                records,
                header.reference());
    }
}
