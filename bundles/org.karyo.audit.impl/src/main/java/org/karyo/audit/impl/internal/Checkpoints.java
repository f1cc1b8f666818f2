package org.karyo.audit.impl.internal;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed checkpoints of the chain head, one JSON line each, appended to a file outside the database:
 * {@code {"seq":N,"hash":"<hex>","at":"<ISO instant>","hmac":"<hex>"}}. The HMAC-SHA256 covers
 * {@code "karyo-audit-checkpoint-v1" NUL, seq (8 bytes, big-endian), hash (32 bytes)}, under a key that is not in the
 * database, so that whoever can rewrite the database (and recompute the chain) cannot forge a checkpoint. The
 * {@code at} field is informational and not signed.
 */
final class Checkpoints {

    private static final byte[] DOMAIN = "karyo-audit-checkpoint-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern LINE = Pattern.compile(
            "\\{\"seq\":([1-9][0-9]{0,18}),\"hash\":\"([0-9a-f]{64})\",\"at\":\"([^\"\\\\]{1,64})\",\"hmac\":\"([0-9a-f]{64})\"}");
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private final byte[] key;

    /**
     * @param file the checkpoint file
     * @param key the HMAC key (at least 32 bytes), or {@code null} when none is configured: then nothing is written
     *     and nothing can be checked
     */
    Checkpoints(Path file, byte[] key) {
        this.file = Objects.requireNonNull(file, "file");
        this.key = key == null ? null : key.clone();
    }

    Path file() {
        return file;
    }

    boolean hasKey() {
        return key != null;
    }

    /** The checkpoint line of a chain head (without line end). */
    String line(long seq, byte[] hash, Instant at) {
        requireKey();
        return "{\"seq\":" + seq + ",\"hash\":\"" + HEX.formatHex(hash) + "\",\"at\":\"" + at + "\",\"hmac\":\""
                + HEX.formatHex(hmac(seq, hash)) + "\"}";
    }

    /** Appends a checkpoint line and forces it to disk. */
    synchronized void append(long seq, byte[] hash, Instant at) throws IOException {
        byte[] bytes = (line(seq, hash, at) + "\n").getBytes(StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Reads the checkpoints in file order; an absent file reads as none. */
    Reader read() throws IOException {
        requireKey();
        try {
            return new Reader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new Reader(null);
        }
    }

    byte[] hmac(long seq, byte[] hash) {
        requireKey();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(DOMAIN);
            mac.update(ByteBuffer.allocate(8).putLong(seq).array());
            mac.update(hash);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private void requireKey() {
        if (key == null) {
            throw new IllegalStateException("no audit HMAC key is configured");
        }
    }

    /**
     * One checkpoint line as read.
     *
     * @param line the line number in the file (from 1)
     * @param seq the signed sequence number
     * @param hash the signed hash
     * @param at when it was written (not signed)
     * @param problem why the line cannot be trusted, or {@code null} when its HMAC checks out
     */
    record Checkpoint(long line, long seq, byte[] hash, String at, String problem) {}

    /** Reads checkpoint lines one at a time (constant memory). */
    final class Reader implements Closeable {
        private final BufferedReader in;
        private long lineNumber;
        private long lastSeq;

        private Reader(BufferedReader in) {
            this.in = in;
        }

        /** Whether the file exists. */
        boolean exists() {
            return in != null;
        }

        /**
         * The next checkpoint, or {@code null} at the end. A line that is not a checkpoint, or whose HMAC does not
         * match, comes back with a {@link Checkpoint#problem()} (and, for an unreadable line, the sequence number
         * after the previous checkpoint's).
         */
        Checkpoint next() {
            if (in == null) {
                return null;
            }
            String text;
            try {
                do {
                    text = in.readLine();
                    lineNumber++;
                } while (text != null && text.isBlank());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (text == null) {
                return null;
            }
            Matcher m = LINE.matcher(text.strip());
            if (!m.matches()) {
                return new Checkpoint(
                        lineNumber,
                        lastSeq + 1,
                        null,
                        null,
                        "checkpoint file " + file + " line " + lineNumber + " is not a checkpoint (edited file?)");
            }
            long seq;
            try {
                seq = Long.parseLong(m.group(1));
                Instant.parse(m.group(3));
            } catch (NumberFormatException | DateTimeParseException e) {
                return new Checkpoint(
                        lineNumber,
                        lastSeq + 1,
                        null,
                        null,
                        "checkpoint file " + file + " line " + lineNumber + " is not a checkpoint (edited file?)");
            }
            byte[] hash = HEX.parseHex(m.group(2));
            String at = m.group(3);
            if (!MessageDigest.isEqual(hmac(seq, hash), HEX.parseHex(m.group(4)))) {
                return new Checkpoint(
                        lineNumber,
                        seq,
                        hash,
                        at,
                        "the HMAC of checkpoint line " + lineNumber + " (seq " + seq + ", " + at
                                + ") does not match: the checkpoint file was edited, or the HMAC key changed");
            }
            if (seq < lastSeq) {
                return new Checkpoint(
                        lineNumber,
                        seq,
                        hash,
                        at,
                        "checkpoint line " + lineNumber + " (seq " + seq + ") comes after a checkpoint of seq "
                                + lastSeq + ": the chain went backwards (database restored or rewritten?)");
            }
            lastSeq = seq;
            return new Checkpoint(lineNumber, seq, hash, at, null);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
