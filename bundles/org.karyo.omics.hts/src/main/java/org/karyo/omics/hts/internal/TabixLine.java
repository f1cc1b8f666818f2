package org.karyo.omics.hts.internal;

/**
 * htslib 1.16's {@code tbx_parse1}: finds the sequence name and the 0-based half-open interval of a text record
 * under a tabix configuration (VCF: POS, REF length and INFO/END; BED: start and end columns).
 */
public final class TabixLine {

    private final TabixConf conf;
    private final CNumbers numbers = new CNumbers();

    /** Offsets of the sequence name within the buffer of the last parsed line. */
    public int seqStart;

    public int seqEnd;
    /** 0-based begin, exclusive end. */
    public long beg;

    public long end;

    /** The last column tbx_parse1 looks at: the rest of the line is not scanned. */
    private final int lastColumn;

    public TabixLine(TabixConf conf) {
        this.conf = conf;
        int last = Math.max(conf.seqColumn(), Math.max(conf.beginColumn(), conf.endColumn()));
        if ((conf.preset() & 0xffff) == TabixConf.VCF) {
            last = Math.max(last, 8);
        }
        this.lastColumn = last;
    }

    /** Parses {@code b[off..off+len)} (a line without its newline); false when tabix could not parse it. */
    public boolean parse(byte[] b, int off, int len) {
        int lineEnd = off + len;
        seqStart = -1;
        seqEnd = -1;
        beg = -1;
        end = -1;
        int preset = conf.preset() & 0xffff;
        boolean ucsc = (conf.preset() & TabixConf.UCSC) != 0;
        int id = 1;
        int colStart = off;
        for (int i = off; i <= lineEnd; i++) {
            if (i == lineEnd || b[i] == '\t' || b[i] == 0) {
                if (id == conf.seqColumn()) {
                    seqStart = colStart;
                    seqEnd = i;
                } else if (id == conf.beginColumn()) {
                    long v = numbers.strtoll(b, colStart, lineEnd);
                    if (numbers.end == colStart) {
                        return false;
                    }
                    beg = v;
                    end = v;
                    if (!ucsc) {
                        beg--;
                    } else {
                        end++;
                    }
                    if (beg < 0) {
                        beg = 0;
                    }
                    if (end < 1) {
                        end = 1;
                    }
                } else if (preset == TabixConf.GENERIC) {
                    if (id == conf.endColumn()) {
                        long v = numbers.strtoll(b, colStart, lineEnd);
                        if (numbers.end == colStart) {
                            return false;
                        }
                        end = v;
                    }
                } else if (preset == TabixConf.VCF) {
                    if (id == 4) {
                        if (colStart < i) {
                            end = beg + (i - colStart);
                        }
                    } else if (id == 8) {
                        infoEnd(b, colStart, i);
                    }
                }
                colStart = i + 1;
                id++;
                if (id > lastColumn) {
                    break;
                }
            }
        }
        return seqStart >= 0 && seqEnd >= 0 && beg >= 0 && end >= 0;
    }

    private void infoEnd(byte[] b, int from, int to) {
        int s = indexOf(b, from, to, END_EQ);
        if (s == from) {
            s += 4;
        } else if (s >= 0) {
            s = indexOf(b, from, to, SEMI_END_EQ);
            if (s >= 0) {
                s += 5;
            }
        }
        if (s >= 0 && !(s < to && b[s] == '.')) {
            long v = numbers.strtoll(b, s, to);
            if (v > beg) {
                end = v;
            }
        }
    }

    private static final byte[] END_EQ = {'E', 'N', 'D', '='};
    private static final byte[] SEMI_END_EQ = {';', 'E', 'N', 'D', '='};

    private static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
