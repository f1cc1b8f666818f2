package org.karyo.projects.impl.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.karyo.api.EnvOverrides;
import org.karyo.api.PageRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects module's configuration (PID {@value #PID}), validated at activation: a wrong value fails the component,
 * naming the key, and with it every component of the module. The pseudonym key comes from the environment only.
 */
@Component(service = ProjectsSettings.class, configurationPid = ProjectsSettings.PID)
@Designate(ocd = ProjectsSettings.Config.class)
public final class ProjectsSettings {
    static final String PID = "org.karyo.projects";
    static final String ENV_PSEUDONYM_KEY = "KARYO_PSEUDONYM_KEY";
    static final String ENV_MAX_DOCUMENT = "KARYO_PROJECTS_MAX_DOCUMENT_BYTES";
    private static final Logger LOG = LoggerFactory.getLogger(ProjectsSettings.class);
    private static final int MIN_KEY_BYTES = 32;

    @ObjectClassDefinition(
            name = "Karyo projects",
            description = "Projects and participants (karyo-projects): list, upload and import limits")
    public @interface Config {
        @AttributeDefinition(
                name = "Largest page",
                description = "The largest ?limit= a client may ask for in any list of the module (at least 20)",
                min = "20")
        int max_page_size() default 1000;

        @AttributeDefinition(
                name = "Largest document (bytes)",
                description = "The largest project file or consent document; larger uploads get 413. Environment: "
                        + ENV_MAX_DOCUMENT,
                min = "1")
        long max_document_bytes() default 50L * 1024 * 1024;

        @AttributeDefinition(
                name = "Largest participant import (bytes)",
                description = "The largest CSV a participant import reads; larger ones get 413",
                min = "1")
        long max_import_bytes() default 20L * 1024 * 1024;

        @AttributeDefinition(
                name = "Most rows of a participant import",
                description = "The most participants one CSV import may create or replace",
                min = "1")
        int max_import_rows() default 50_000;

        @AttributeDefinition(
                name = "Download link lifetime (seconds)",
                description = "How long a presigned download URL of a document works",
                min = "1")
        int link_expiry_seconds() default 300;
    }

    private final int maxPageSize;
    private final long maxDocumentBytes;
    private final long maxImportBytes;
    private final int maxImportRows;
    private final Duration linkExpiry;
    private final Optional<byte[]> pseudonymKey;
    private final Clock clock;

    @Activate
    public ProjectsSettings(Config config) {
        this(config, EnvOverrides.system(), Clock.systemUTC());
    }

    ProjectsSettings(Config config, EnvOverrides env, Clock clock) {
        this.clock = clock;
        this.maxPageSize = config.max_page_size();
        if (maxPageSize < PageRequest.DEFAULT_LIMIT) {
            throw fail("max.page.size", "must be at least " + PageRequest.DEFAULT_LIMIT + ", not " + maxPageSize);
        }
        long document;
        try {
            document = Long.parseLong(env.get(ENV_MAX_DOCUMENT, Long.toString(config.max_document_bytes())));
        } catch (NumberFormatException e) {
            throw fail("max.document.bytes", ENV_MAX_DOCUMENT + " must be a number of bytes");
        }
        this.maxDocumentBytes = positive("max.document.bytes", document);
        this.maxImportBytes = positive("max.import.bytes", config.max_import_bytes());
        this.maxImportRows = (int) positive("max.import.rows", config.max_import_rows());
        this.linkExpiry = Duration.ofSeconds(positive("link.expiry.seconds", config.link_expiry_seconds()));
        this.pseudonymKey =
                env.isSet(ENV_PSEUDONYM_KEY) ? Optional.of(derive(env.get(ENV_PSEUDONYM_KEY, null))) : Optional.empty();
        LOG.info(
                "Projects configured: max.page.size={}, max.document.bytes={}, max.import.bytes={}, "
                        + "max.import.rows={}, link.expiry.seconds={}, pseudonym key from {}",
                maxPageSize,
                maxDocumentBytes,
                maxImportBytes,
                maxImportRows,
                linkExpiry.toSeconds(),
                pseudonymKey.isPresent() ? ENV_PSEUDONYM_KEY : "the database (generated once)");
    }

    /**
     * The HMAC key from the variable's value: base64 (standard or URL-safe) of at least 32 bytes is used as is; any
     * other value of at least 32 characters is a passphrase, hashed with SHA-256 under a versioned label.
     */
    static byte[] derive(String value) {
        byte[] decoded = null;
        for (Base64.Decoder d : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                decoded = d.decode(value);
                break;
            } catch (IllegalArgumentException e) {
                // not this alphabet
            }
        }
        if (decoded != null && decoded.length >= MIN_KEY_BYTES) {
            return decoded;
        }
        if (value.length() < MIN_KEY_BYTES) {
            throw fail(
                    ENV_PSEUDONYM_KEY,
                    "must be the base64 of at least 32 random bytes (openssl rand -base64 32) or a passphrase of at"
                            + " least 32 characters");
        }
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(("karyo pseudonym key v1:" + value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static long positive(String key, long value) {
        if (value < 1) {
            throw fail(key, "must be at least 1, not " + value);
        }
        return value;
    }

    private static IllegalArgumentException fail(String key, String message) {
        String text = PID + ": " + key + ": " + message;
        LOG.error("Invalid configuration: {}", text);
        return new IllegalArgumentException(text);
    }

    int maxPageSize() {
        return maxPageSize;
    }

    long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    long maxImportBytes() {
        return maxImportBytes;
    }

    int maxImportRows() {
        return maxImportRows;
    }

    Duration linkExpiry() {
        return linkExpiry;
    }

    /** The key from {@value #ENV_PSEUDONYM_KEY}, if set. */
    Optional<byte[]> pseudonymKey() {
        return pseudonymKey.map(byte[]::clone);
    }

    Clock clock() {
        return clock;
    }

    /** Today in UTC: the day against which birth dates, consent expiry and project end dates are judged. */
    LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }
}
