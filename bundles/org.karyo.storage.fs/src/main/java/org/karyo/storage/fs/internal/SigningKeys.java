package org.karyo.storage.fs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.karyo.api.EnvOverrides;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that signs presigned URLs: {@value #ENV_KEY} (base64, standard or URL-safe, of at least {@value #MIN_BYTES}
 * bytes; set it when several Karyo nodes serve one store folder through different disks), else a random key
 * generated once into the store folder as {@value #FILE} (mode 0600), so URLs survive restarts.
 */
final class SigningKeys {
    static final String ENV_KEY = "KARYO_STORAGE_SIGNING_KEY";
    static final String FILE = ".signing-key";
    static final int MIN_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningKeys() {}

    /**
     * The key.
     *
     * @throws IllegalArgumentException when the variable is set to something that is not such a key
     * @throws IOException when the key file cannot be read or written
     */
    static byte[] load(EnvOverrides env, Path root) throws IOException {
        if (env.isSet(ENV_KEY)) {
            byte[] key = decode(env.get(ENV_KEY, null));
            if (key == null) {
                throw new IllegalArgumentException(
                        ENV_KEY + " must be the base64 of at least " + MIN_BYTES + " random bytes");
            }
            return key;
        }
        Path file = root.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[MIN_BYTES];
            RANDOM.nextBytes(fresh);
            try {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                LOG.info("Generated the presigned-URL signing key into {}", file);
                return fresh;
            } catch (FileAlreadyExistsException e) {
                // another node made it meanwhile: read it
            }
        }
        byte[] key = decode(Files.readString(file, StandardCharsets.US_ASCII));
        if (key == null) {
            throw new IllegalArgumentException(
                    file + " is not the base64 of at least " + MIN_BYTES + " bytes; delete it to generate a new key");
        }
        return key;
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
}
