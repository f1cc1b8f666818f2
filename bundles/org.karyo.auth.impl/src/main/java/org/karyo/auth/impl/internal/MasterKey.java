package org.karyo.auth.impl.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.karyo.api.EnvOverrides;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key that seals the module's secrets at rest (signing keys, TOTP secrets): AES-256-GCM with a random
 * 96-bit nonce per value and the caller's {@code context} as additional authenticated data, so that a sealed value
 * cannot be moved to another row or purpose.
 *
 * <p>The key comes from {@value #ENV_KEY}:
 *
 * <ul>
 *   <li>a value that decodes as base64 (standard or URL-safe) to at least 32 bytes is key material: the AES key is
 *       HKDF-SHA256 of it ({@code info = "karyo master key v1"});
 *   <li>any other value of at least 32 characters is a passphrase: the AES key is PBKDF2-HMAC-SHA256 of it with
 *       600,000 iterations and a fixed, versioned salt (a passphrase must then be long and random: the salt is fixed
 *       so that the same passphrase gives the same key on every start).
 * </ul>
 *
 * Without it, the dev profile ({@code KARYO_PROFILE=dev}) generates a random key once into
 * {@code ${karaf.base}/var/karyo-master.key} (mode 0600) and warns; any other profile refuses to start. Sealed format:
 * {@code 0x01 | nonce(12) | ciphertext+tag(16)}.
 */
@Component(service = MasterKey.class)
public class MasterKey {

    static final String ENV_KEY = "KARYO_MASTER_KEY";
    static final String ENV_PROFILE = "KARYO_PROFILE";
    static final String DEV_KEY_FILE = "karyo-master.key";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int PBKDF2_ITERATIONS = 600_000;
    private static final byte[] PBKDF2_SALT = "karyo-master-key-salt-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HKDF_INFO = "karyo master key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** Activated by DS: the key from the environment (or the dev key file). */
    @Activate
    public MasterKey() {
        this(load(EnvOverrides.system(), Paths.get(System.getProperty("karaf.base", "."), "var")));
    }

    /** A master key of exactly 32 raw bytes (tests, or a key derived by {@link #load}). */
    public MasterKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * Encrypts and authenticates {@code plaintext}.
     *
     * @param context what the value is for (for example {@code signing-key:<kid>}); needed again to open it
     */
    public byte[] seal(byte[] plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts a value made by {@link #seal} with the same context.
     *
     * @throws IllegalStateException when the value was tampered with, belongs to another context or another key
     */
    public byte[] open(byte[] sealed, String context) {
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalStateException("not a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 13)));
            cipher.updateAAD(aad(context));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a sealed value failed authentication (tampered, or another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value could not be opened", e);
        }
    }

    private static byte[] aad(String context) {
        return Objects.requireNonNull(context, "context").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The 32-byte AES key from {@value #ENV_KEY}, or in the dev profile from (or into) {@code varDir/karyo-master.key}.
     *
     * @throws IllegalStateException when the key is missing outside the dev profile, or unusable
     */
    static byte[] load(EnvOverrides env, Path varDir) {
        if (env.isSet(ENV_KEY)) {
            return derive(env.get(ENV_KEY, null));
        }
        if (!"dev".equalsIgnoreCase(env.get(ENV_PROFILE, ""))) {
            String message = ENV_KEY + " is not set: the identity module cannot seal its signing keys and TOTP secrets."
                    + " Set " + ENV_KEY + " to the base64 of 32 random bytes (for example `openssl rand -base64 32`)"
                    + " and keep it safe: without it the sealed secrets cannot be read.";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
        Path file = varDir.resolve(DEV_KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createDirectories(varDir);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
                    LOG.warn(
                            "{} is not set: the dev profile generated a master key into {}. Never use this outside"
                                    + " development; set {} in production.",
                            ENV_KEY,
                            file,
                            ENV_KEY);
                } catch (FileAlreadyExistsException raced) {
                    // another start created it meanwhile: read it below
                } catch (UnsupportedOperationException noPosix) {
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
                }
            } else {
                LOG.warn("{} is not set: the dev profile uses the master key in {}", ENV_KEY, file);
            }
            return derive(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new IllegalStateException("The dev master key file " + file + " cannot be read or written", e);
        }
    }

    /** The AES key for a {@value #ENV_KEY} value (see the class comment). */
    static byte[] derive(String value) {
        byte[] material = base64(value);
        if (material != null && material.length >= 32) {
            return hkdf(material);
        }
        if (value.length() >= 32) {
            try {
                SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
                return f.generateSecret(new PBEKeySpec(value.toCharArray(), PBKDF2_SALT, PBKDF2_ITERATIONS, 256))
                        .getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("PBKDF2 is not available", e);
            }
        }
        String message = ENV_KEY + " is too short: give the base64 of at least 32 random bytes, or a passphrase of"
                + " at least 32 characters";
        LOG.error(message);
        throw new IllegalStateException(message);
    }

    private static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(value);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    /** HKDF-SHA256 (RFC 5869) with an empty salt, {@link #HKDF_INFO} and 32 bytes of output. */
    private static byte[] hkdf(byte[] material) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = mac.doFinal(material);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(HKDF_INFO);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
