package org.karyo.audit.api;

import org.karyo.api.json.Nullable;

/**
 * The outcome of walking the audit chain.
 *
 * @param ok whether every entry's hash and link, and every checkpoint, checked out
 * @param entries how many entries were walked (up to the first broken link)
 * @param checkpointsChecked how many signed checkpoints were checked
 * @param firstBrokenSeq the sequence number of the first broken link, or {@code null} when {@code ok}; for a checkpoint
 *     whose signed hash no longer matches, the checkpoint's sequence number (rows after the previous good checkpoint
 *     and up to it were rewritten)
 * @param reason what is broken, or, when {@code ok}, {@code null} or a note on what could not be checked (no HMAC key,
 *     no checkpoint file)
 */
public record VerifyReport(
        boolean ok, long entries, long checkpointsChecked, @Nullable Long firstBrokenSeq, @Nullable String reason) {

    public VerifyReport {
        if (ok && firstBrokenSeq != null) {
            throw new IllegalArgumentException("an intact chain has no broken link");
        }
        if (!ok && reason == null) {
            throw new IllegalArgumentException("a broken chain needs a reason");
        }
    }

    /** An intact chain. */
    public static VerifyReport intact(long entries, long checkpointsChecked, String note) {
        return new VerifyReport(true, entries, checkpointsChecked, null, note);
    }

    /** A chain broken at {@code seq}. */
    public static VerifyReport broken(long entries, long checkpointsChecked, long seq, String reason) {
        return new VerifyReport(false, entries, checkpointsChecked, seq, reason);
    }
}
