package org.karyo.audit.impl.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;

/**
 * The hash of an audit row: SHA-256 over an unambiguous binary encoding of every stored field, the previous row's hash
 * included, so that changing, removing or reordering any row breaks the chain from there on.
 *
 * <p>Encoding (version 1), in this order: the text {@code karyo-audit-v1}; seq (8 bytes, big-endian); at (microseconds
 * since the epoch, 8 bytes); actor id; impersonator id; service-account flag (1 byte); action; object type; object
 * id; outcome; the number of details (4 bytes) then each key and value, sorted by key ({@link String#compareTo});
 * request id; client address; the previous hash (its length, 4 bytes, and its 32 bytes). Each text is {@code 0x00} when absent, else {@code 0x01},
 * its UTF-8 length (4 bytes) and its UTF-8 bytes; so no two different rows share an encoding.
 */
final class ChainHash {

    /** The previous hash of the first row: 32 zero bytes. */
    static final byte[] GENESIS = new byte[32];

    static final int LENGTH = 32;

    private static final String DOMAIN = "karyo-audit-v1";

    private ChainHash() {}

    /** The hash of {@code row} (its own {@link AuditRow#hash()} is ignored). */
    static byte[] of(AuditRow row) {
        Encoder e = new Encoder();
        e.text(DOMAIN);
        e.int64(row.seq());
        e.int64(micros(row.at()));
        e.text(row.actorId());
        e.text(row.impersonatorId());
        e.flag(row.serviceAccount());
        e.text(row.action());
        e.text(row.objectType());
        e.text(row.objectId());
        e.text(row.outcome());
        e.int32(row.details().size());
        for (Map.Entry<String, String> d : row.details().entrySet()) { // a SortedMap: in key order
            e.text(d.getKey());
            e.text(d.getValue());
        }
        e.text(row.requestId());
        e.text(row.clientAddress());
        e.bytes(row.prevHash());
        return e.digest();
    }

    /** Microseconds since the epoch: PostgreSQL's timestamptz precision. */
    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    private static final class Encoder {
        private final MessageDigest sha256;
        private final ByteBuffer buffer = ByteBuffer.allocate(8);

        Encoder() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        void text(String s) {
            if (s == null) {
                sha256.update((byte) 0);
                return;
            }
            sha256.update((byte) 1);
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] b) {
            int32(b.length);
            sha256.update(b);
        }

        void flag(boolean b) {
            sha256.update((byte) (b ? 1 : 0));
        }

        void int32(int v) {
            buffer.clear();
            buffer.putInt(v);
            sha256.update(buffer.array(), 0, 4);
        }

        void int64(long v) {
            buffer.clear();
            buffer.putLong(v);
            sha256.update(buffer.array(), 0, 8);
        }

        byte[] digest() {
            return sha256.digest();
        }
    }
}
