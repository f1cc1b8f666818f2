package org.karyo.omics.hts.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.karyo.omics.hts.FileKind;
import org.karyo.omics.hts.IngestException;
import org.karyo.omics.hts.IngestLimits;
import org.karyo.omics.hts.IngestResult;
import org.karyo.omics.hts.Metadata;
import org.karyo.omics.hts.ParquetInfo;

/** The single streaming validation pass of an upload (see {@link org.karyo.omics.hts.Ingest#run}). */
public final class IngestPass {

    /** The compression ratio is judged once this many bytes have been decompressed. */
    static final long RATIO_FLOOR = 8L << 20;
    /** The Parquet footer is decoded during ingest when it fits in this many bytes at the end of the file. */
    static final int PARQUET_TAIL = 4 << 20;

    private IngestPass() {}

    /** Carries an {@link IngestException} through {@link BgzfWriter}'s listener. */
    private static final class Rejected extends IOException {
        private static final long serialVersionUID = 1L;

        Rejected(IngestException e) {
            super(e);
        }
    }

    public static IngestResult run(
            FileKind kind, InputStream upload, OutputStream stored, byte[] suppliedIndex, IngestLimits limits)
            throws IOException, IngestException {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(limits, "limits");
        Hashing up = new Hashing(upload);
        stored = new java.io.BufferedOutputStream(stored, 1 << 16);
        if (kind == FileKind.PARQUET) {
            if (suppliedIndex != null) {
                throw IngestException.file("a Parquet file has no index");
            }
            return parquet(up, stored, limits);
        }
        BufferedInputStream in = new BufferedInputStream(up, 1 << 16);
        in.mark(64);
        byte[] head = in.readNBytes(Bgzf.HEADER_LENGTH);
        in.reset();
        if (head.length == 0) {
            throw IngestException.file("the file is empty");
        }
        boolean bgzf = Bgzf.isBlockHeader(head, 0, head.length);
        if (!bgzf && Bgzf.isGzip(head, 0, head.length)) {
            throw IngestException.file("the file is compressed with plain gzip, which cannot be indexed:"
                    + " compress it with bgzip (htslib) instead");
        }
        BinIndex supplied = null;
        OffsetChecker checker = null;
        if (suppliedIndex != null) {
            if (!bgzf) {
                throw IngestException.file("an index was supplied but the file is not BGZF-compressed; upload the"
                        + " file without its index (Karyo compresses and indexes it)");
            }
            supplied = suppliedIndex(kind, suppliedIndex);
            checker = new OffsetChecker(supplied.referencedVirtualOffsets());
        }
        TextConsumer text = null;
        BcfConsumer bcf = null;
        BlockConsumer consumer;
        if (kind == FileKind.BCF) {
            bcf = new BcfConsumer(limits, checker, supplied == null);
            consumer = bcf;
        } else {
            text = new TextConsumer(kind == FileKind.VCF, limits, checker, supplied == null);
            consumer = text;
        }
        long storedSize;
        String storedSha;
        String storedMd5;
        try {
            if (bgzf) {
                readBgzf(kind, in, stored, consumer, limits);
                storedSize = up.count;
                storedSha = hex(up.sha.digest());
                storedMd5 = hex(up.md5.digest());
                up.finished = true;
            } else {
                sniffPlain(kind, head);
                HashingOut out = new HashingOut(stored);
                compress(in, out, consumer, limits);
                storedSize = out.count;
                storedSha = hex(out.sha.digest());
                storedMd5 = hex(out.md5.digest());
            }
            stored.flush();
            consumer.finish();
        } catch (Rejected r) {
            throw (IngestException) r.getCause();
        } catch (BgzfException e) {
            throw IngestException.atBlock(e.blockOffset(), e.getMessage());
        }
        String uploadSha = up.finished ? storedSha : hex(up.sha.digest());
        String uploadMd5 = up.finished ? storedMd5 : hex(up.md5.digest());
        BinIndex built = text != null ? text.index() : bcf.index();
        if (supplied != null) {
            String why = checker.finish(storedSize);
            if (why == null) {
                why = text != null ? compareText(supplied, text) : compareBcf(supplied, bcf);
            }
            if (why != null) {
                throw IngestException.file("the supplied index does not match the file: " + why);
            }
        }
        Metadata metadata = text != null ? text.metadata() : bcf.metadata();
        byte[] index = supplied != null ? suppliedIndex.clone() : built == null ? null : built.toBytes();
        String indexType = supplied != null ? supplied.type() : built == null ? null : built.type();
        return new IngestResult(
                uploadSha,
                uploadMd5,
                up.count,
                storedSha,
                storedMd5,
                storedSize,
                true,
                !bgzf,
                index,
                indexType,
                metadata);
    }

    private static BinIndex suppliedIndex(FileKind kind, byte[] bytes) throws IngestException {
        BinIndex idx;
        try {
            idx = BinIndex.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw IngestException.file("the supplied index is not a valid .tbi or .csi file");
        }
        TabixConf conf = idx.conf();
        switch (kind) {
            case VCF -> {
                if (conf == null || (conf.preset() & 0xffff) != TabixConf.VCF) {
                    throw IngestException.file("the supplied index was not built for a VCF file (tabix -p vcf)");
                }
            }
            case BED -> {
                if (conf == null
                        || conf.preset() != TabixConf.UCSC
                        || conf.seqColumn() != 1
                        || conf.beginColumn() != 2
                        || conf.endColumn() != 3) {
                    throw IngestException.file("the supplied index was not built for a BED file (tabix -p bed)");
                }
            }
            case BCF -> {
                if (!"csi".equals(idx.type()) || conf != null) {
                    throw IngestException.file("a BCF file needs a .csi index built by bcftools index");
                }
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        if (conf != null && conf.metaChar() != '#') {
            throw IngestException.file("the supplied index uses another meta character than '#'");
        }
        return idx;
    }

    private static void readBgzf(
            FileKind kind, InputStream in, OutputStream stored, BlockConsumer consumer, IngestLimits limits)
            throws IOException, IngestException {
        long uncompressed = 0;
        boolean sniffed = false;
        boolean lastEmpty = false;
        boolean any = false;
        try (BlockReader reader = new BlockReader(new Tee(in, stored), 0)) {
            while (reader.next()) {
                any = true;
                int len = reader.length();
                long address = reader.address();
                uncompressed += len;
                if (uncompressed > limits.maxUncompressedBytes()) {
                    throw IngestException.atBlock(
                            address,
                            "the file expands to more than " + limits.maxUncompressedBytes() + " bytes (the limit)");
                }
                if (uncompressed > RATIO_FLOOR
                        && uncompressed > (double) limits.maxCompressionRatio() * reader.nextAddress()) {
                    throw IngestException.atBlock(
                            address,
                            "the file expands more than " + limits.maxCompressionRatio()
                                    + " times its compressed size (the limit)");
                }
                if (!sniffed && len > 0) {
                    sniffed = true;
                    sniffData(kind, reader.data(), len);
                }
                consumer.block(address, reader.compressedSize(), reader.data(), len);
                lastEmpty = len == 0;
            }
            if (any && !lastEmpty) {
                throw IngestException.atBlock(
                        reader.nextAddress(), "the BGZF end-of-file block is missing: the file" + " is truncated");
            }
        }
    }

    private static void sniffData(FileKind kind, byte[] data, int len) throws IngestException {
        boolean bcf = len >= 4 && data[0] == 'B' && data[1] == 'C' && data[2] == 'F' && data[3] == 2;
        if (kind == FileKind.BCF && !bcf) {
            throw IngestException.file("not a BCF file (a compressed VCF? upload it as VCF)");
        }
        if (kind != FileKind.BCF && bcf) {
            throw IngestException.file("this is a BCF file: upload it as BCF");
        }
    }

    private static void sniffPlain(FileKind kind, byte[] head) throws IngestException {
        sniffData(kind, head, head.length);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
            throw IngestException.file("this is a Parquet file: upload it as PARQUET");
        }
    }

    private static void compress(InputStream in, OutputStream out, BlockConsumer consumer, IngestLimits limits)
            throws IOException, IngestException {
        BgzfWriter writer = new BgzfWriter(out, (address, size, data, length) -> {
            try {
                consumer.block(address, size, data, length);
            } catch (IngestException e) {
                throw new Rejected(e);
            }
        });
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limits.maxUncompressedBytes()) {
                throw IngestException.file(
                        "the file is larger than " + limits.maxUncompressedBytes() + " bytes (the limit)");
            }
            writer.write(buf, 0, n);
        }
        writer.finish();
        out.flush();
    }

    private static String compareText(BinIndex idx, TextConsumer file) {
        List<String> names = idx.contigs();
        List<String> fileContigs = file.contigs();
        for (int tid = 0; tid < idx.referenceCount(); tid++) {
            if (idx.binCount(tid) == 0) {
                continue;
            }
            int f = fileContigs.indexOf(names.get(tid));
            if (f < 0) {
                return "it lists a contig that has no record in the file";
            }
            long c = idx.recordCount(tid);
            if (c >= 0 && c != file.count(f)) {
                return "its record count for a contig differs from the file's";
            }
        }
        for (String c : fileContigs) {
            int tid = names.indexOf(c);
            if (tid < 0 || tid >= idx.referenceCount() || idx.binCount(tid) == 0) {
                return "a contig of the file is missing from it";
            }
        }
        return null;
    }

    private static String compareBcf(BinIndex idx, BcfConsumer file) {
        List<String> dict = file.dictionary();
        if (idx.referenceCount() > dict.size()) {
            return "it has more references than the header has contigs";
        }
        for (int tid = 0; tid < dict.size(); tid++) {
            boolean inIndex = tid < idx.referenceCount() && idx.binCount(tid) > 0;
            long n = dict.get(tid) == null ? 0 : file.count(tid);
            if (inIndex != (n > 0)) {
                return n > 0 ? "a contig of the file is missing from it" : "it lists a contig with no record";
            }
            if (inIndex) {
                long c = idx.recordCount(tid);
                if (c >= 0 && c != n) {
                    return "its record count for a contig differs from the file's";
                }
            }
        }
        return null;
    }

    // ---- Parquet ----

    private static IngestResult parquet(Hashing up, OutputStream stored, IngestLimits limits)
            throws IOException, IngestException {
        byte[] buf = new byte[1 << 16];
        byte[] head = new byte[4];
        int headN = 0;
        Tail tail = new Tail(PARQUET_TAIL);
        int n;
        while ((n = up.read(buf, 0, buf.length)) > 0) {
            if (up.count > limits.maxUncompressedBytes()) {
                throw IngestException.file(
                        "the file is larger than " + limits.maxUncompressedBytes() + " bytes (the limit)");
            }
            for (int i = 0; i < n && headN < 4; i++) {
                head[headN++] = buf[i];
            }
            tail.add(buf, 0, n);
            stored.write(buf, 0, n);
        }
        stored.flush();
        long size = up.count;
        if (size < 12 || head[0] != 'P' || head[1] != 'A' || head[2] != 'R' || head[3] != '1') {
            throw IngestException.file("not a Parquet file (no PAR1 magic at the start)");
        }
        byte[] t = tail.bytes();
        int tl = t.length;
        if (t[tl - 4] != 'P' || t[tl - 3] != 'A' || t[tl - 2] != 'R' || t[tl - 1] != '1') {
            throw IngestException.file("not a Parquet file (no PAR1 magic at the end: truncated?)");
        }
        long footer = Integer.toUnsignedLong(Bgzf.i32(t, tl - 8));
        if (footer == 0 || footer > size - 12) {
            throw IngestException.file("invalid Parquet footer length");
        }
        long rows = -1;
        if (footer + 8 <= tl) {
            ParquetInfo info = ParquetFooter.parse(t, (int) (tl - 8 - footer), (int) footer);
            rows = info.rows();
        }
        String sha = hex(up.sha.digest());
        String md5 = hex(up.md5.digest());
        return new IngestResult(
                sha,
                md5,
                size,
                sha,
                md5,
                size,
                false,
                false,
                null,
                null,
                new Metadata("PARQUET", List.of(), List.of(), List.of(), rows, null));
    }

    /** The last bytes of a stream. */
    private static final class Tail {
        private final byte[] ring;
        private long total;

        Tail(int size) {
            ring = new byte[size];
        }

        void add(byte[] b, int off, int n) {
            if (n >= ring.length) {
                System.arraycopy(b, off + n - ring.length, ring, 0, ring.length);
                total += n;
                return;
            }
            int pos = (int) (total % ring.length);
            int first = Math.min(n, ring.length - pos);
            System.arraycopy(b, off, ring, pos, first);
            System.arraycopy(b, off + first, ring, 0, n - first);
            total += n;
        }

        byte[] bytes() {
            int len = (int) Math.min(total, ring.length);
            byte[] out = new byte[len];
            long start = total - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((start + i) % ring.length)];
            }
            return out;
        }
    }

    // ---- streams ----

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hashes and counts what is read. */
    private static final class Hashing extends InputStream {
        private final InputStream in;
        final MessageDigest sha = digest("SHA-256");
        final MessageDigest md5 = digest("MD5");
        long count;
        boolean finished;

        Hashing(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sha.update((byte) b);
                md5.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sha.update(b, off, n);
                md5.update(b, off, n);
                count += n;
            }
            return n;
        }
    }

    /** Hashes and counts what is written. */
    private static final class HashingOut extends OutputStream {
        private final OutputStream out;
        final MessageDigest sha = digest("SHA-256");
        final MessageDigest md5 = digest("MD5");
        long count;

        HashingOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            sha.update((byte) b);
            md5.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha.update(b, off, len);
            md5.update(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    /** Copies what is read to {@code out}. */
    private static final class Tee extends InputStream {
        private final InputStream in;
        private final OutputStream out;

        Tee(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                out.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                out.write(b, off, n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
