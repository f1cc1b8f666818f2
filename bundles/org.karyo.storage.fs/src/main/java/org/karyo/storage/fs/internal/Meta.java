package org.karyo.storage.fs.internal;

import java.util.Properties;

/**
 * An object's sidecar: its digests and media type, and the size and identity ({@code fileKey}: device and inode) of
 * the data file it describes, so that a sidecar of a replaced file is recognised as stale.
 */
record Meta(String sha256, String md5, String contentType, long size, String fileKey) {

    Properties properties() {
        Properties p = new Properties();
        p.setProperty("sha256", sha256);
        p.setProperty("md5", md5);
        if (contentType != null) {
            p.setProperty("contentType", contentType);
        }
        p.setProperty("size", Long.toString(size));
        p.setProperty("fileKey", fileKey);
        return p;
    }

    /** The sidecar in {@code p}, or {@code null} when it is incomplete. */
    static Meta of(Properties p) {
        String sha256 = p.getProperty("sha256");
        String md5 = p.getProperty("md5");
        String size = p.getProperty("size");
        String fileKey = p.getProperty("fileKey");
        if (sha256 == null || md5 == null || size == null || fileKey == null) {
            return null;
        }
        try {
            return new Meta(sha256, md5, p.getProperty("contentType"), Long.parseLong(size), fileKey);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
