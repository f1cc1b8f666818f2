package org.karyo.audit.impl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.karyo.api.EnvOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint HMAC key, never stored in the database: {@value #ENV_KEY} (base64, standard or URL-safe, of at least
 * {@value #MIN_BYTES} bytes), or in the dev profile ({@code KARYO_PROFILE=dev}) a random key generated once into
 * {@code ${karaf.base}/var/}{@value #DEV_KEY_FILE} (mode 0600). Without a usable key (outside dev) the audit trail
 * still works but writes no checkpoints: an ERROR says so.
 */
final class HmacKeys {

    static final String ENV_KEY = "KARYO_AUDIT_HMAC_KEY";
    static final String ENV_PROFILE = "KARYO_PROFILE";
    static final String DEV_KEY_FILE = "karyo-audit-hmac.key";
    static final int MIN_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(HmacKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private HmacKeys() {}

    /**
     * The key, or {@code null} (logged as an ERROR) when there is none.
     *
     * @param varDir {@code ${karaf.base}/var}, where the dev profile keeps its generated key
     */
    static byte[] load(EnvOverrides env, Path varDir) {
        if (env.isSet(ENV_KEY)) {
            byte[] key = decode(env.get(ENV_KEY, null));
            if (key == null) {
                LOG.error(
                        "{} is not the base64 of at least {} bytes: audit checkpoints are OFF (the audit trail itself "
                                + "works; fix the variable and restart the audit module)",
                        ENV_KEY,
                        MIN_BYTES);
            }
            return key;
        }
        if ("dev".equalsIgnoreCase(env.get(ENV_PROFILE, ""))) {
            Path file = varDir.resolve(DEV_KEY_FILE);
            try {
                return devKey(file);
            } catch (IOException | RuntimeException e) {
                LOG.error(
                        "Dev profile: the audit HMAC key file {} could not be used: audit checkpoints are OFF",
                        file,
                        e);
                return null;
            }
        }
        LOG.error(
                "{} is not set: audit checkpoints are OFF, so a consistent rewrite of the audit table would go "
                        + "unnoticed (the audit trail itself works). Set it to the base64 of {} random bytes, e.g. "
                        + "'openssl rand -base64 32', kept outside the database",
                ENV_KEY,
                MIN_BYTES);
        return null;
    }

    /** The key in {@code text}, or {@code null} when it is not base64 of at least {@value #MIN_BYTES} bytes. */
    static byte[] decode(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        for (Base64.Decoder decoder : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                byte[] key = decoder.decode(t);
                return key.length >= MIN_BYTES ? key : null;
            } catch (IllegalArgumentException e) {
                // try the other alphabet
            }
        }
        return null;
    }

    private static byte[] devKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[MIN_BYTES];
            RANDOM.nextBytes(fresh);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                LOG.warn(
                        "Dev profile: generated the audit HMAC key into {}; outside dev set {} instead", file, ENV_KEY);
                return fresh;
            } catch (FileAlreadyExistsException e) {
                // another start made it meanwhile: read it
            }
        }
        byte[] key = decode(Files.readString(file, StandardCharsets.US_ASCII));
        if (key == null) {
            throw new IllegalStateException("not the base64 of at least " + MIN_BYTES + " bytes");
        }
        LOG.warn("Dev profile: the audit HMAC key comes from {}; outside dev set {} instead", file, ENV_KEY);
        return key;
    }
}
