package org.karyo.omics.hts.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.karyo.omics.hts.ContigStat;
import org.karyo.omics.hts.IngestException;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.omics.hts.Metadata;

/**
 * Validates a VCF or BED text as it streams by, block by block, and builds its tabix index with the virtual offsets
 * of the stored BGZF file (htslib's {@code bgzf_getline}/{@code bgzf_tell} semantics).
 */
public final class TextConsumer implements BlockConsumer {

    private final boolean vcf;
    private final IngestLimits limits;
    private final TabixConf conf;
    private final TabixLine tabix;
    private final VcfHeader header = new VcfHeader();
    private final OffsetChecker checker;
    private final boolean buildIndex;

    private byte[] pending = new byte[4096];
    private int pendingLength;
    private long lineNo;
    private long lastTell;
    private long lastBlockEnd;
    private long blockAddress;
    private long blockNext;

    private boolean inHeader = true;
    private long headerEnd;
    private IndexBuilder builder;

    // sort state
    private final Map<String, Integer> contigIds = new HashMap<>();
    private final List<String> contigs = new ArrayList<>();
    private final List<long[]> counts = new ArrayList<>();
    private byte[] currentName = new byte[0];
    private int currentTid = -1;
    private long lastBeg = -1;
    private long records;

    /**
     * @param vcf VCF (else BED)
     * @param checker checks a supplied index's offsets, or null
     * @param buildIndex build a tabix index
     */
    public TextConsumer(boolean vcf, IngestLimits limits, OffsetChecker checker, boolean buildIndex) {
        this.vcf = vcf;
        this.limits = limits;
        this.conf = vcf ? TabixConf.VCF_CONF : TabixConf.BED_CONF;
        this.tabix = new TabixLine(conf);
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
        blockAddress = address;
        blockNext = address + compressedSize;
        lastBlockEnd = blockNext;
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (data[i] != '\n') {
                if (data[i] == 0) {
                    throw IngestException.atLine(lineNo + 1, "binary content (NUL byte) in a text file");
                }
                continue;
            }
            long tell = i + 1 >= length ? blockNext << 16 : blockAddress << 16 | (i + 1);
            if (pendingLength == 0) {
                if (i - start > limits.maxLineLength()) {
                    throw IngestException.atLine(
                            lineNo + 1, "the line is longer than " + limits.maxLineLength() + " bytes");
                }
                line(data, start, i - start, tell, i + 1);
            } else {
                append(data, start, i - start);
                line(pending, 0, pendingLength, tell, i + 1);
                pendingLength = 0;
            }
            start = i + 1;
        }
        if (start < length) {
            append(data, start, length - start);
        }
    }

    private void append(byte[] b, int off, int n) throws IngestException {
        if ((long) pendingLength + n > limits.maxLineLength()) {
            throw IngestException.atLine(lineNo + 1, "the line is longer than " + limits.maxLineLength() + " bytes");
        }
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
        }
        System.arraycopy(b, off, pending, pendingLength, n);
        pendingLength += n;
    }

    /** One line (without '\n') that ends at virtual offset {@code tell}, at {@code offsetInBlock} of the block. */
    private void line(byte[] b, int off, int len, long tell, int offsetInBlock) throws IngestException {
        lineNo++;
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        if (len == 0) {
            throw IngestException.atLine(lineNo, "empty line (tabix cannot read a file with empty lines)");
        }
        if (inHeader) {
            if (vcf) {
                if (b[off] == '#') {
                    try {
                        if (header.line(new String(b, off, len, StandardCharsets.UTF_8))) {
                            endHeader(tell);
                            mark(offsetInBlock);
                        }
                    } catch (VcfHeader.Invalid e) {
                        throw IngestException.atLine(lineNo, e.getMessage());
                    }
                    lastTell = tell;
                    return;
                }
                if (lineNo == 1) {
                    throw IngestException.atLine(lineNo, "not a VCF file: the first line must be ##fileformat=VCFv4.x");
                }
                throw IngestException.atLine(lineNo, "the header has no #CHROM line");
            }
            if (b[off] == '#') {
                lastTell = tell;
                mark(offsetInBlock);
                return;
            }
            if (startsWith(b, off, len, "track") || startsWith(b, off, len, "browser")) {
                throw IngestException.atLine(
                        lineNo, "BED track/browser lines are not supported by tabix:" + " start them with '#'");
            }
            endHeader(lastTell);
        } else if (b[off] == '#') {
            throw IngestException.atLine(lineNo, "a '#' line after the first record");
        }
        record(b, off, len, tell);
        lastTell = tell;
        mark(offsetInBlock);
    }

    /** A record boundary after the line just read ({@code -1}: at the end of the data). */
    private void mark(int offsetInBlock) {
        if (checker != null) {
            if (offsetInBlock >= 0) {
                checker.boundary(offsetInBlock);
            } else {
                checker.endOfData();
            }
        }
    }

    private void endHeader(long tell) {
        inHeader = false;
        headerEnd = tell;
        if (buildIndex) {
            builder = new IndexBuilder(14, 6, headerEnd);
        }
    }

    private void record(byte[] b, int off, int len, long tell) throws IngestException {
        int[] cols = columns(b, off, len);
        int n = cols[0];
        if (vcf) {
            if (n != header.columns()) {
                throw IngestException.atLine(
                        lineNo, "expected " + header.columns() + " tab-separated columns, found " + n);
            }
            checkInteger(b, cols[3], cols[4], "POS", 0, Integer.MAX_VALUE);
            if (cols[7] == cols[8]) {
                throw IngestException.atLine(lineNo, "REF is empty");
            }
        } else {
            if (n < 3) {
                throw IngestException.atLine(
                        lineNo, "expected at least 3 tab-separated columns (chrom, start, end), found " + n);
            }
            long start = checkInteger(b, cols[3], cols[4], "start", 0, Long.MAX_VALUE / 2);
            long end = checkInteger(b, cols[5], cols[6], "end", 0, Long.MAX_VALUE / 2);
            if (end < start) {
                throw IngestException.atLine(lineNo, "end is before start");
            }
        }
        if (cols[1] == cols[2]) {
            throw IngestException.atLine(lineNo, (vcf ? "CHROM" : "chrom") + " is empty");
        }
        if (!tabix.parse(b, off, len)) {
            throw IngestException.atLine(lineNo, "tabix cannot read the record's position");
        }
        int nameLen = tabix.seqEnd - tabix.seqStart;
        if (currentTid < 0
                || nameLen != currentName.length
                || !Arrays.equals(b, tabix.seqStart, tabix.seqEnd, currentName, 0, nameLen)) {
            String name = new String(b, tabix.seqStart, nameLen, StandardCharsets.UTF_8);
            if (contigIds.containsKey(name)) {
                throw IngestException.atLine(
                        lineNo,
                        "not sorted: the records of a contig resume after another" + " contig ("
                                + (vcf ? "CHROM" : "chrom") + ")");
            }
            currentTid = contigs.size();
            contigIds.put(name, currentTid);
            contigs.add(name);
            counts.add(new long[1]);
            currentName = Arrays.copyOfRange(b, tabix.seqStart, tabix.seqEnd);
            lastBeg = -1;
        } else if (tabix.beg < lastBeg) {
            throw IngestException.atLine(
                    lineNo,
                    "not sorted: " + (vcf ? "POS" : "start")
                            + " is smaller than the previous record's on the same contig");
        }
        lastBeg = tabix.beg;
        counts.get(currentTid)[0]++;
        records++;
        if (builder != null) {
            try {
                builder.push(currentTid, tabix.beg, tabix.end, tell);
            } catch (IndexBuilder.PushException e) {
                throw IngestException.atLine(lineNo, e.getMessage());
            }
        }
    }

    private static boolean startsWith(byte[] b, int off, int len, String word) {
        if (len < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (b[off + i] != word.charAt(i)) {
                return false;
            }
        }
        return len == word.length() || b[off + word.length()] == ' ' || b[off + word.length()] == '\t';
    }

    /** Column boundaries: [count, start1, end1, start2, end2, ...] for the first 8 columns, and the count. */
    private final int[] colBuf = new int[1 + 2 * 8];

    private int[] columns(byte[] b, int off, int len) {
        int[] c = colBuf;
        int n = 0;
        int start = off;
        int end = off + len;
        int i = off;
        for (; i < end && n < 8; i++) {
            if (b[i] == '\t') {
                c[1 + 2 * n] = start;
                c[2 + 2 * n] = i;
                n++;
                start = i + 1;
            }
        }
        for (; i < end; i++) {
            if (b[i] == '\t') {
                n++;
            }
        }
        if (n < 8) {
            c[1 + 2 * n] = start;
            c[2 + 2 * n] = end;
            for (int k = n + 1; k < 8; k++) {
                c[1 + 2 * k] = end;
                c[2 + 2 * k] = end;
            }
        }
        c[0] = n + 1;
        return c;
    }

    private long checkInteger(byte[] b, int from, int to, String column, long min, long max) throws IngestException {
        if (from == to) {
            throw IngestException.atLine(lineNo, column + " is empty");
        }
        if (to - from > 1 && b[from] == '0') {
            throw IngestException.atLine(lineNo, column + " has a leading zero");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw IngestException.atLine(lineNo, column + " is not a non-negative integer");
            }
            v = v * 10 + d;
            if (v > max) {
                throw IngestException.atLine(lineNo, column + " is too large");
            }
        }
        if (v < min) {
            throw IngestException.atLine(lineNo, column + " is too small");
        }
        return v;
    }

    @Override
    public void finish() throws IngestException {
        if (pendingLength > 0) {
            line(pending, 0, pendingLength, lastBlockEnd << 16, -1);
            pendingLength = 0;
        }
        if (inHeader) {
            if (vcf) {
                if (lineNo == 0) {
                    throw IngestException.file("the file is empty");
                }
                throw IngestException.file("the header has no #CHROM line");
            }
            endHeader(lastTell);
        }
    }

    /** Call after {@link #finish()}: the index built, or null. */
    public BinIndex index() {
        if (!buildIndex) {
            return null;
        }
        IndexBuilder b = builder != null ? builder : new IndexBuilder(14, 6, headerEnd);
        long finalOffset = lastBlockEnd << 16;
        return b.finish(finalOffset, b.fitsTbi(), conf, List.copyOf(contigs));
    }

    /** Records per contig in file order. */
    public List<String> contigs() {
        return List.copyOf(contigs);
    }

    public long count(int tid) {
        return counts.get(tid)[0];
    }

    public long records() {
        return records;
    }

    /** Call after {@link #finish()}. */
    public Metadata metadata() {
        List<ContigStat> stats = new ArrayList<>();
        for (int i = 0; i < contigs.size(); i++) {
            String name = contigs.get(i);
            stats.add(new ContigStat(name, vcf ? header.contigLength(name) : null, counts.get(i)[0]));
        }
        if (vcf) {
            return new Metadata(
                    header.fileFormat(),
                    header.samples(),
                    List.copyOf(stats),
                    header.definitions(),
                    records,
                    header.reference());
        }
        return new Metadata("BED", List.of(), List.copyOf(stats), List.of(), records, null);
    }

    /** The tabix configuration of the layout. */
    public TabixConf conf() {
        return conf;
    }
}
