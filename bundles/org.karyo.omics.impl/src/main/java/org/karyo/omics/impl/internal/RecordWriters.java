package org.karyo.omics.impl.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.karyo.omics.hts.LineSink;

/**
 * How region query results are written: VCF lines with only the sample columns the caller may see, BED lines as
 * stored, or one JSON object per record. Lines arrive as {@code tabix} prints them (no trailing newline).
 */
final class RecordWriters {

    private static final byte TAB = '\t';
    private static final byte NL = '\n';
    private static final int FIXED = 8; // CHROM POS ID REF ALT QUAL FILTER INFO
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private RecordWriters() {}

    /**
     * The columns of a VCF to write: the 8 fixed ones, then FORMAT and the kept samples when any is kept.
     *
     * @param sampleCount how many sample columns the file has
     * @param keep the kept samples' positions among the file's samples, in output order
     */
    record Columns(int sampleCount, int[] keep) {

        /** Whether every sample is kept in file order, so lines pass unchanged. */
        boolean identity() {
            if (keep.length != sampleCount) {
                return false;
            }
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] != i) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The header with its {@code #CHROM} line naming only the kept columns. */
    static byte[] vcfHeader(byte[] header, List<String> keptNames) {
        String text = new String(header, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#CHROM")) {
                out.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
                if (!keptNames.isEmpty()) {
                    out.append("\tFORMAT");
                    for (String s : keptNames) {
                        out.append('\t').append(s);
                    }
                }
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes VCF lines with the given columns. */
    static LineSink vcf(OutputStream out, Columns columns) {
        if (columns.identity()) {
            return (buf, off, len) -> {
                out.write(buf, off, len);
                out.write(NL);
            };
        }
        int[] keep = columns.keep();
        int[] starts = new int[FIXED + 1 + columns.sampleCount() + 1];
        int[] ends = new int[starts.length];
        return (buf, off, len) -> {
            int n = split(buf, off, len, starts, ends);
            // the 8 fixed columns, as one slice
            int fixedEnd = n > FIXED ? ends[FIXED - 1] : off + len;
            out.write(buf, off, fixedEnd - off);
            if (keep.length > 0 && n > FIXED) {
                out.write(TAB);
                out.write(buf, starts[FIXED], ends[FIXED] - starts[FIXED]);
                for (int k : keep) {
                    int column = FIXED + 1 + k;
                    out.write(TAB);
                    if (column < n) {
                        out.write(buf, starts[column], ends[column] - starts[column]);
                    } else {
                        out.write('.');
                    }
                }
            }
            out.write(NL);
        };
    }

    /** Writes BED lines as they are stored. */
    static LineSink lines(OutputStream out) {
        return (buf, off, len) -> {
            out.write(buf, off, len);
            out.write(NL);
        };
    }

    /** A JSON array written one record at a time; {@link #close} ends it. */
    abstract static class JsonArray implements LineSink {
        private final OutputStream out;
        private boolean first = true;

        JsonArray(OutputStream out) throws IOException {
            this.out = out;
            out.write('[');
        }

        @Override
        public final void line(byte[] buf, int off, int len) throws IOException {
            StringBuilder sb = new StringBuilder(len + 64);
            sb.append(first ? "\n" : ",\n");
            first = false;
            record(new String(buf, off, len, StandardCharsets.UTF_8).split("\t", -1), sb);
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }

        abstract void record(String[] f, StringBuilder sb);

        void close() throws IOException {
            out.write(first ? "]".getBytes(StandardCharsets.US_ASCII) : "\n]\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * VCF records as JSON: {@code {chrom, pos, id, ref, alt[], qual, filter[], info{}, samples{name:{key:value}}}}.
     * Missing values ({@code .}) are {@code null}; INFO flags are {@code true}; other values are strings as written.
     */
    static JsonArray vcfJson(OutputStream out, List<String> fileSamples, int[] keep) throws IOException {
        return new JsonArray(out) {
            @Override
            void record(String[] f, StringBuilder sb) {
                sb.append("{\"chrom\":");
                string(sb, col(f, 0));
                sb.append(",\"pos\":");
                number(sb, col(f, 1));
                sb.append(",\"id\":");
                missingOr(sb, col(f, 2));
                sb.append(",\"ref\":");
                string(sb, col(f, 3));
                sb.append(",\"alt\":");
                list(sb, col(f, 4), ",");
                sb.append(",\"qual\":");
                number(sb, col(f, 5));
                sb.append(",\"filter\":");
                list(sb, col(f, 6), ";");
                sb.append(",\"info\":{");
                String info = col(f, 7);
                if (info != null && !info.equals(".")) {
                    boolean firstKey = true;
                    for (String item : info.split(";")) {
                        if (item.isEmpty()) {
                            continue;
                        }
                        if (!firstKey) {
                            sb.append(',');
                        }
                        firstKey = false;
                        int eq = item.indexOf('=');
                        if (eq < 0) {
                            string(sb, item);
                            sb.append(":true");
                        } else {
                            string(sb, item.substring(0, eq));
                            sb.append(':');
                            missingOr(sb, item.substring(eq + 1));
                        }
                    }
                }
                sb.append("},\"samples\":{");
                String format = col(f, FIXED);
                String[] keys = format == null || format.equals(".") ? new String[0] : format.split(":");
                boolean firstSample = true;
                for (int k : keep) {
                    if (!firstSample) {
                        sb.append(',');
                    }
                    firstSample = false;
                    string(sb, fileSamples.get(k));
                    sb.append(":{");
                    String value = col(f, FIXED + 1 + k);
                    String[] values = value == null ? new String[0] : value.split(":", -1);
                    for (int i = 0; i < keys.length && i < values.length; i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        string(sb, keys[i]);
                        sb.append(':');
                        missingOr(sb, values[i]);
                    }
                    sb.append('}');
                }
                sb.append("}}");
            }
        };
    }

    /** BED records as JSON: {@code {chrom, start, end, fields[]}} (0-based start, as BED writes it). */
    static JsonArray bedJson(OutputStream out) throws IOException {
        return new JsonArray(out) {
            @Override
            void record(String[] f, StringBuilder sb) {
                sb.append("{\"chrom\":");
                string(sb, col(f, 0));
                sb.append(",\"start\":");
                number(sb, col(f, 1));
                sb.append(",\"end\":");
                number(sb, col(f, 2));
                sb.append(",\"fields\":[");
                for (int i = 3; i < f.length; i++) {
                    if (i > 3) {
                        sb.append(',');
                    }
                    string(sb, f[i]);
                }
                sb.append("]}");
            }
        };
    }

    private static String col(String[] f, int i) {
        return i < f.length ? f[i] : null;
    }

    /** Splits a line at tabs into at most {@code starts.length} columns; returns how many it found. */
    private static int split(byte[] buf, int off, int len, int[] starts, int[] ends) {
        int n = 0;
        int start = off;
        int end = off + len;
        for (int i = off; i < end && n < starts.length - 1; i++) {
            if (buf[i] == TAB) {
                starts[n] = start;
                ends[n] = i;
                n++;
                start = i + 1;
            }
        }
        starts[n] = start;
        int stop = end;
        if (n == starts.length - 1) {
            for (int i = start; i < end; i++) {
                if (buf[i] == TAB) {
                    stop = i;
                    break;
                }
            }
        }
        ends[n] = stop;
        return n + 1;
    }

    private static void number(StringBuilder sb, String s) {
        if (s == null || s.equals(".") || !NUMBER.matcher(s).matches()) {
            if (s == null || s.equals(".")) {
                sb.append("null");
            } else {
                string(sb, s);
            }
        } else {
            sb.append(s);
        }
    }

    private static void missingOr(StringBuilder sb, String s) {
        if (s == null || s.equals(".")) {
            sb.append("null");
        } else {
            string(sb, s);
        }
    }

    private static void list(StringBuilder sb, String s, String separator) {
        sb.append('[');
        if (s != null && !s.equals(".")) {
            String[] items = s.split(Pattern.quote(separator));
            for (int i = 0; i < items.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, items[i]);
            }
        }
        sb.append(']');
    }

    /** A JSON string literal. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
