package org.karyo.audit.impl.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.karyo.audit.api.VerifyReport;

/**
 * Walks the chain in seq order and checks, for each row: that no row is missing (seq has no gap), that its
 * {@code prev_hash} is the previous row's hash, and that its hash is the hash of its content. Alongside, it merges
 * the signed checkpoints (in file order, which is seq order): each one's HMAC must check out and the row at its seq
 * must carry its hash. At the end, the chain head and the last row must agree, and no checkpoint may lie beyond the
 * last row. Rows are streamed ({@link #FETCH_SIZE} at a time) and checkpoints read one line at a time: constant
 * memory.
 */
final class ChainVerifier {

    static final int FETCH_SIZE = 1000;

    private final Checkpoints checkpoints;

    ChainVerifier(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    /**
     * Verifies on {@code connection}, which must be in a transaction (auto-commit off) so that the rows stream. The
     * head and the rows are read by one statement, hence from one snapshot, even while others append.
     */
    VerifyReport verify(Connection connection) throws SQLException {
        if (!checkpoints.hasKey()) {
            return walk(connection, null, "checkpoints not checked: no HMAC key (" + HmacKeys.ENV_KEY + ")");
        }
        try (Checkpoints.Reader reader = checkpoints.read()) {
            String note = reader.exists() ? null : "no checkpoint file yet (" + checkpoints.file() + ")";
            return walk(connection, reader, note);
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint file " + checkpoints.file() + " could not be read", e);
        }
    }

    private VerifyReport walk(Connection connection, Checkpoints.Reader reader, String note) throws SQLException {
        AuditSql.Head head = null;
        long entries = 0;
        long checked = 0;
        long lastGood = 0;
        long expected = 1;
        byte[] prev = ChainHash.GENESIS;
        Checkpoints.Checkpoint cp = reader == null ? null : reader.next();
        // raw JDBC: a streaming cursor (fetch size) over the whole log, which may be far larger than memory
        try (PreparedStatement ps = connection.prepareStatement(AuditSql.WALK)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (head == null) {
                        head = new AuditSql.Head(rs.getLong(1), rs.getBytes(2));
                    }
                    rs.getLong(AuditSql.WALK_ROW);
                    if (rs.wasNull()) {
                        break; // an empty chain: the head alone
                    }
                    AuditRow row = AuditSql.row(rs, AuditSql.WALK_ROW);
                    long seq = row.seq();
                    if (seq != expected) {
                        return VerifyReport.broken(
                                entries,
                                checked,
                                expected,
                                seq > expected
                                        ? gap(expected, seq)
                                        : "entry " + seq + " is out of order (expected " + expected + ")");
                    }
                    if (!MessageDigest.isEqual(row.prevHash(), prev)) {
                        return VerifyReport.broken(
                                entries,
                                checked,
                                seq,
                                "entry " + seq + "'s prev_hash is not the hash of entry " + (seq - 1)
                                        + " (the link was rewritten)");
                    }
                    if (!MessageDigest.isEqual(ChainHash.of(row), row.hash())) {
                        return VerifyReport.broken(
                                entries,
                                checked,
                                seq,
                                "entry " + seq + "'s content does not match its hash (the entry was modified)");
                    }
                    entries++;
                    while (cp != null && cp.seq() <= seq) {
                        if (cp.problem() != null) {
                            return VerifyReport.broken(entries, checked, cp.seq(), cp.problem());
                        }
                        if (cp.seq() < seq) {
                            return VerifyReport.broken(
                                    entries,
                                    checked,
                                    cp.seq(),
                                    "checkpoint line " + cp.line() + " (seq " + cp.seq() + ") is out of order");
                        }
                        if (!MessageDigest.isEqual(cp.hash(), row.hash())) {
                            return VerifyReport.broken(
                                    entries,
                                    checked,
                                    seq,
                                    "entry " + seq + " differs from the checkpoint signed at " + cp.at() + " (line "
                                            + cp.line() + "): entries after " + lastGood + " up to " + seq
                                            + " were rewritten and their hashes recomputed");
                        }
                        checked++;
                        lastGood = seq;
                        cp = reader.next();
                    }
                    prev = row.hash();
                    expected++;
                }
            }
        }
        if (head == null) {
            throw new IllegalStateException(AuditSql.HEAD + " has no row: the audit schema is damaged");
        }
        long last = expected - 1;
        if (cp != null) {
            return VerifyReport.broken(
                    entries,
                    checked,
                    cp.problem() != null ? cp.seq() : last + 1,
                    cp.problem() != null
                            ? cp.problem()
                            : "the checkpoint signed at " + cp.at() + " (line " + cp.line() + ") covers entry "
                                    + cp.seq() + " but the chain ends at " + last
                                    + ": entries after " + last + " were deleted");
        }
        if (head.seq() != last) {
            long broken = Math.min(head.seq(), last) + 1;
            return VerifyReport.broken(
                    entries,
                    checked,
                    broken,
                    "the chain head is at entry " + head.seq() + " but the last entry is " + last
                            + (head.seq() > last ? ": entries at the end were deleted" : ": the head was rewritten"));
        }
        if (!MessageDigest.isEqual(head.hash(), prev)) {
            return VerifyReport.broken(
                    entries,
                    checked,
                    Math.max(last, 1),
                    "the chain head's hash is not the hash of entry " + last + " (the head or the last entry was"
                            + " rewritten)");
        }
        return VerifyReport.intact(entries, checked, note);
    }

    private static String gap(long expected, long found) {
        return found == expected + 1
                ? "entry " + expected + " is missing (deleted): the chain jumps from " + (expected - 1) + " to " + found
                : "entries " + expected + " to " + (found - 1) + " are missing (deleted): the chain jumps from "
                        + (expected - 1) + " to " + found;
    }
}
