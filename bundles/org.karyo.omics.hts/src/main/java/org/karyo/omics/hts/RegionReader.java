package org.karyo.omics.hts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.karyo.omics.hts.internal.BgzfCursor;
import org.karyo.omics.hts.internal.BgzfWriter;
import org.karyo.omics.hts.internal.BinIndex;
import org.karyo.omics.hts.internal.BlockReader;
import org.karyo.omics.hts.internal.TabixConf;
import org.karyo.omics.hts.internal.TabixLine;

/**
 * Region queries over a BGZF file and its index, by ranged reads only (never the whole file). Records are found the
 * way htslib 1.16's tabix finds them: the same index chunks ({@code hts_itr_query}), the same reading loop
 * ({@code hts_itr_next}) and the same record intervals ({@code tbx_parse1}). One ranged read serves each span of
 * nearby chunks. Not thread-safe: use one reader per request.
 */
public final class RegionReader {

    /** Chunks closer than this are read through one ranged read. */
    private static final long SPAN_GAP = 128 << 10;

    private final RangeSource data;
    private final BinIndex index;
    private final TabixConf conf;
    private final Executor readAhead;
    private byte[] header;
    private long headerEnd = -1;
    private int opens;

    /** A reader of {@code data} through {@code index}, with the column layout of the text format. */
    public RegionReader(RangeSource data, GenomicIndex index, Layout layout) {
        this(data, index, layout, null);
    }

    /**
     * A reader whose long ranged reads (a whole contig, say) are inflated ahead on one of {@code readAhead}'s threads
     * while the caller's thread scans and writes records; on the caller's thread when the executor refuses the task.
     * A small fixed pool with no queue bounds the threads all queries use.
     */
    public RegionReader(RangeSource data, GenomicIndex index, Layout layout, Executor readAhead) {
        this.readAhead = readAhead;
        this.data = Objects.requireNonNull(data, "data");
        if (!(Objects.requireNonNull(index, "index") instanceof BinIndex b)) {
            throw new IllegalArgumentException("index must come from GenomicIndex.read");
        }
        this.index = b;
        this.conf = switch (Objects.requireNonNull(layout, "layout")) {
            case VCF -> TabixConf.VCF_CONF;
            case BED -> TabixConf.BED_CONF;
        };
    }

    /** The number of ranged reads ({@link RangeSource#open}) this reader has made. */
    public int rangedReads() {
        return opens;
    }

    /**
     * Writes the records overlapping each region, region by region in the given order, exactly as
     * {@code tabix file r1 r2 ...} prints them (without header); unknown contigs yield nothing. Overlap: a VCF record
     * spans POS..POS+len(REF)-1, or to INFO/END when present; a BED record spans [start+1, end] in 1-based terms.
     *
     * @return the number of records written
     */
    public long query(List<Region> regions, LineSink sink) throws IOException {
        long count = 0;
        try (BgzfCursor cursor = new BgzfCursor(data, readAhead)) {
            TabixLine parser = new TabixLine(conf);
            for (Region region : regions) {
                count += query(cursor, parser, region, sink);
            }
            opens += cursor.opens();
        }
        return count;
    }

    private long query(BgzfCursor cursor, TabixLine parser, Region region, LineSink sink) throws IOException {
        int tid = index.referenceId(region.contig());
        if (tid < 0) {
            return 0;
        }
        byte[] name = index.contigs().get(tid).getBytes(StandardCharsets.UTF_8);
        long beg = region.start() - 1;
        long end = region.end() == Long.MAX_VALUE ? HTS_POS_MAX : region.end();
        long[] off = index.query(tid, beg, end);
        int n = off.length / 2;
        if (n == 0) {
            return 0;
        }
        long[] spanEnd = spanEnds(off);
        long count = 0;
        int i = -1;
        long currOff = 0;
        while (true) {
            if (currOff == 0 || Long.compareUnsigned(currOff, off[2 * i + 1]) >= 0) {
                if (i == n - 1) {
                    break;
                }
                if (i < 0 || off[2 * i + 1] != off[2 * (i + 1)]) {
                    cursor.seek(off[2 * (i + 1)], spanEnd[i + 1]);
                    currOff = cursor.tell();
                }
                i++;
            }
            if (!cursor.readLine()) {
                break;
            }
            currOff = cursor.tell();
            byte[] line = cursor.line();
            int len = cursor.lineLength();
            if (!parser.parse(line, 0, len)) {
                throw new IOException("malformed record in an indexed region");
            }
            if (!sameName(line, parser.seqStart, parser.seqEnd, name) || parser.beg >= end) {
                break;
            }
            if (parser.end > beg && end > parser.beg) {
                sink.line(line, 0, len);
                count++;
            }
        }
        return count;
    }

    /** htslib's HTS_POS_MAX, the end of an open-ended region. */
    private static final long HTS_POS_MAX = ((long) Integer.MAX_VALUE << 32) | Integer.MAX_VALUE;

    private static boolean sameName(byte[] line, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(line, from, to, name, 0, name.length);
    }

    /** For each chunk, the file offset up to which the ranged read opened for it should reach. */
    private static long[] spanEnds(long[] off) {
        int n = off.length / 2;
        long[] ends = new long[n];
        int i = n - 1;
        long end = (off[2 * i + 1] >>> 16) + 65536;
        for (; i >= 0; i--) {
            long myEnd = (off[2 * i + 1] >>> 16) + 65536;
            if (i < n - 1 && (off[2 * (i + 1)] >>> 16) - (off[2 * i + 1] >>> 16) > SPAN_GAP) {
                end = myEnd;
            }
            end = Math.max(end, myEnd);
            ends[i] = end;
        }
        return ends;
    }

    /** The header lines (meta lines starting with the index's meta char, '#'), read from the file start. */
    public byte[] header() throws IOException {
        if (header == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BgzfCursor cursor = new BgzfCursor(data)) {
                cursor.seek(0, 0);
                long end = 0;
                while (cursor.readLine()) {
                    int len = cursor.lineLength();
                    if (len == 0 || cursor.line()[0] != (byte) conf.metaChar()) {
                        break;
                    }
                    out.write(cursor.line(), 0, len);
                    out.write('\n');
                    end = cursor.tell();
                }
                opens += cursor.opens();
                headerEnd = end;
            }
            header = out.toByteArray();
        }
        return header.clone();
    }

    /**
     * For GA4GH htsget: the pieces a client concatenates to get a valid BGZF file holding (at least) the records
     * overlapping {@code regions}: first the header as inline BGZF bytes, then byte ranges of whole data blocks
     * straight from the stored file, then the BGZF EOF block inline. Ranges are merged and in file order. Where a
     * range starts or ends inside a block (the index's chunks do), that block's part that belongs to the range is
     * given inline, recompressed, so that the concatenation holds whole lines only (never a header line again nor a
     * part of a record).
     */
    public List<HtsgetPiece> htsgetPieces(List<Region> regions) throws IOException {
        header();
        List<long[]> chunks = new ArrayList<>();
        for (Region region : regions) {
            int tid = index.referenceId(region.contig());
            if (tid < 0) {
                continue;
            }
            long end = region.end() == Long.MAX_VALUE ? HTS_POS_MAX : region.end();
            long[] off = index.query(tid, region.start() - 1, end);
            for (int i = 0; i < off.length; i += 2) {
                if (Long.compareUnsigned(off[i], off[i + 1]) < 0) {
                    chunks.add(new long[] {off[i], off[i + 1]});
                }
            }
        }
        chunks.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] c : chunks) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && c[0] >>> 16 <= last[1] >>> 16) {
                if (Long.compareUnsigned(c[1], last[1]) > 0) {
                    last[1] = c[1];
                }
            } else {
                merged.add(new long[] {c[0], c[1]});
            }
        }
        List<HtsgetPiece> pieces = new ArrayList<>();
        pieces.add(new HtsgetPiece.Inline(BgzfWriter.compress(header, 0, header.length)));
        for (long[] span : merged) {
            addSpan(pieces, span[0], span[1]);
        }
        pieces.add(new HtsgetPiece.Inline(org.karyo.omics.hts.internal.Bgzf.eofBlock()));
        return pieces;
    }

    private void addSpan(List<HtsgetPiece> pieces, long u, long v) throws IOException {
        long ub = u >>> 16;
        int uo = (int) (u & 0xffff);
        long vb = v >>> 16;
        int vo = (int) (v & 0xffff);
        if (ub == vb) {
            Block b = block(ub);
            if (vo > uo) {
                pieces.add(new HtsgetPiece.Inline(BgzfWriter.compress(b.data, uo, Math.min(vo, b.data.length) - uo)));
            }
            return;
        }
        long rangeStart = ub;
        if (uo != 0) {
            Block b = block(ub);
            if (uo < b.data.length) {
                pieces.add(new HtsgetPiece.Inline(BgzfWriter.compress(b.data, uo, b.data.length - uo)));
            }
            rangeStart = b.next;
        }
        if (rangeStart < vb) {
            pieces.add(new HtsgetPiece.Range(rangeStart, vb - 1));
        }
        if (vo != 0) {
            Block b = block(vb);
            pieces.add(new HtsgetPiece.Inline(BgzfWriter.compress(b.data, 0, Math.min(vo, b.data.length))));
        }
    }

    private record Block(byte[] data, long next) {}

    private Block block(long address) throws IOException {
        long len = Math.min(65536, data.length() - address);
        if (len <= 0) {
            throw new IOException("invalid virtual offset: byte " + address + " is past the end of the file");
        }
        try (InputStream in = data.open(address, len);
                BlockReader r = new BlockReader(in, address)) {
            opens++;
            if (!r.next()) {
                throw new IOException("invalid virtual offset: no BGZF block at byte " + address);
            }
            return new Block(Arrays.copyOf(r.data(), r.length()), r.nextAddress());
        }
    }

    /** The end of the header, as a virtual offset (known after {@link #header()}). */
    long headerEnd() {
        return headerEnd;
    }

    /** The index's name for {@code contig}, trying aliases. */
    Optional<String> resolve(String contig) {
        return index.resolve(contig);
    }
}
