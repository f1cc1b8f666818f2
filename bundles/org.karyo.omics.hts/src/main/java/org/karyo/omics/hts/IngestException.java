package org.karyo.omics.hts;

/**
 * A rejected upload: {@link #where()} names the line ({@code line 1234}) or block ({@code BGZF block at byte 56789})
 * that is wrong; the message is client-safe and never contains record content beyond a column name.
 */
public final class IngestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String where;
    private final long line;
    private final long blockOffset;

    private IngestException(String where, String message, long line, long blockOffset) {
        super(where == null ? message : where + ": " + message);
        this.where = where == null ? "file" : where;
        this.line = line;
        this.blockOffset = blockOffset;
    }

    /** A rejection of the file as a whole. */
    public static IngestException file(String message) {
        return new IngestException(null, message, -1, -1);
    }

    /** A rejection naming a 1-based line of the uncompressed text. */
    public static IngestException atLine(long line, String message) {
        return new IngestException("line " + line, message, line, -1);
    }

    /** A rejection naming a 1-based record of a binary file (BCF); {@link #line()} is the record number. */
    public static IngestException atRecord(long record, String message) {
        return new IngestException("record " + record, message, record, -1);
    }

    /** A rejection naming the BGZF block that starts at {@code blockOffset}. */
    public static IngestException atBlock(long blockOffset, String message) {
        return new IngestException("BGZF block at byte " + blockOffset, message, -1, blockOffset);
    }

    /**
     * {@code "line N"}, {@code "record N"} (BCF), {@code "BGZF block at byte N"} or {@code "file"}. The message starts
     * with it (except for {@code "file"}).
     */
    public String where() {
        return where;
    }

    /** The 1-based line that is wrong, or -1. */
    public long line() {
        return line;
    }

    /** The offset of the BGZF block that is wrong, or -1. */
    public long blockOffset() {
        return blockOffset;
    }
}
