package org.karyo.projects.impl.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.commons.io.input.BoundedInputStream;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.DownloadLink;
import org.karyo.projects.api.Upload;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.api.PutOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's documents in object storage, under {@code projects/}: project files
 * ({@code projects/<project id>/files/<uuid>.<ext>}) and consent forms
 * ({@code projects/<project id>/consents/<participant id>/<uuid>.pdf}). Each upload gets a fresh key, is written
 * before the row that references it commits, and is checked while it streams: its size against
 * {@code max.document.bytes}, its first bytes against its type, its SHA-256 against the one the client declared.
 */
final class Documents {

    private static final Logger LOG = LoggerFactory.getLogger(Documents.class);
    static final String PREFIX = "projects/";
    private static final int SNIFF = 8;

    /** A document type the module accepts: extension, media type and the first bytes it must start with. */
    enum Type {
        PDF("pdf", "application/pdf"),
        XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        CSV("csv", "text/csv");

        final String extension;
        final String mediaType;

        Type(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }

        /** The type of a file name by its extension, or {@code null}. */
        static Type ofName(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Type t : values()) {
                if (lower.endsWith("." + t.extension)) {
                    return t;
                }
            }
            return null;
        }

        /** Whether the first bytes fit: {@code %PDF-}, a ZIP local header, or text without NUL bytes. */
        boolean matches(byte[] head, int n) {
            return switch (this) {
                case PDF -> startsWith(head, n, new byte[] {'%', 'P', 'D', 'F', '-'});
                case XLSX -> startsWith(head, n, new byte[] {'P', 'K', 3, 4});
                case CSV -> {
                    for (int i = 0; i < n; i++) {
                        if (head[i] == 0) {
                            yield false;
                        }
                    }
                    yield true;
                }
            };
        }

        private static boolean startsWith(byte[] head, int n, byte[] magic) {
            if (n < magic.length) {
                return false;
            }
            for (int i = 0; i < magic.length; i++) {
                if (head[i] != magic[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private final ObjectStore store;
    private final ProjectsSettings settings;

    Documents(ObjectStore store, ProjectsSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    static String fileKey(long projectId, Type type) {
        return PREFIX + projectId + "/files/" + UUID.randomUUID() + "." + type.extension;
    }

    static String consentKey(long projectId, long participantId) {
        return PREFIX + projectId + "/consents/" + participantId + "/" + UUID.randomUUID() + ".pdf";
    }

    /**
     * Stores an upload of {@code type} under {@code key}, streaming.
     *
     * @throws KaryoException INVALID ({@code file}: empty or not of the type; {@code sha256}: malformed or
     *     mismatching), TOO_LARGE over {@code max.document.bytes}, UNAVAILABLE when storage is down
     */
    StoredObject put(String key, Type type, Upload upload) {
        if (upload == null) {
            throw KaryoException.invalid("file", "is required");
        }
        long max = settings.maxDocumentBytes();
        if (upload.length() > max) {
            throw tooLarge(max);
        }
        PutOptions options;
        try {
            options = new PutOptions(type.mediaType, upload.sha256());
        } catch (IllegalArgumentException e) {
            throw KaryoException.invalid("sha256", "must be 64 hexadecimal digits");
        }
        if (upload.data() == null) {
            throw KaryoException.invalid("file", "is empty");
        }
        BufferedInputStream in = new BufferedInputStream(upload.data(), 8192);
        byte[] head = new byte[SNIFF];
        int n;
        try {
            in.mark(SNIFF);
            n = in.readNBytes(head, 0, SNIFF);
            in.reset();
        } catch (IOException e) {
            throw KaryoException.invalid("file", "could not be read");
        }
        if (n == 0) {
            throw KaryoException.invalid("file", "is empty");
        }
        if (!type.matches(head, n)) {
            throw KaryoException.invalid("file", "is not a " + type.name() + " document (its first bytes say so)");
        }
        boolean[] exceeded = {false};
        ObjectInfo info;
        try {
            // at most max bytes pass; a read past them fails the put (the store leaves nothing behind)
            BoundedInputStream limited = BoundedInputStream.builder()
                    .setInputStream(in)
                    .setMaxCount(max)
                    .setPropagateClose(false)
                    .setOnMaxCount((limit, count) -> {
                        if (in.read() >= 0) {
                            exceeded[0] = true;
                            throw new IOException("document larger than " + limit + " bytes");
                        }
                    })
                    .get();
            info = store.put(key, limited, upload.length() >= 0 ? upload.length() : -1, options);
        } catch (IOException | RuntimeException e) {
            if (exceeded[0]) {
                throw tooLarge(max);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw KaryoException.invalid("file", "could not be read");
        }
        if (exceeded[0]) {
            delete(key);
            throw tooLarge(max);
        }
        if (info.sha256() == null) {
            throw new IllegalStateException("the object store reported no SHA-256 for a put");
        }
        return new StoredObject(key, type.mediaType, info.size(), info.sha256());
    }

    /** Removes an object now, logging (not throwing) a failure: the sweeper removes what is left. */
    void delete(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove object {}; the storage sweeper will", key, e);
        }
    }

    Download open(String key, String fileName, String contentType, long size, String sha256) {
        return new Download(fileName, contentType, size, sha256, store.get(key));
    }

    DownloadLink link(String key, String fileName, String sha256) {
        Instant expires = settings.clock().instant().plus(settings.linkExpiry());
        return new DownloadLink(store.presignGet(key, settings.linkExpiry(), fileName), expires, sha256);
    }

    private static KaryoException tooLarge(long max) {
        return new KaryoException(
                Kind.TOO_LARGE,
                "too-large",
                "The document is larger than " + max + " bytes",
                null,
                Map.of("max_bytes", max),
                null);
    }
}
