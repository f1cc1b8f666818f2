package org.karyo.auth.impl.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106, BouncyCastle's {@link Argon2BytesGenerator}) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded standard base64, 16-byte random salt,
 * 32-byte hash). Verification reads the parameters from the stored string, so changing them applies to new hashes
 * and, through {@link #needsRehash}, to each user's next login.
 *
 * <p>Each hash takes {@code m} KiB of memory: at most {@code 2 × cores} are computed at once (others wait), so that a
 * burst of logins cannot exhaust the heap.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{16,})\\$([A-Za-z0-9+/]{16,})$");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Semaphore PERMITS =
            new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), true);

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private volatile String dummy;

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("invalid Argon2 parameters");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    public static PasswordHasher of(AuthSettings settings) {
        return new PasswordHasher(
                settings.argon2MemoryKib(), settings.argon2Iterations(), settings.argon2Parallelism());
    }

    /** A new PHC string for {@code password} with a fresh salt and the configured parameters. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches the PHC string (constant-time comparison); false for a malformed string. */
    public boolean verify(char[] password, String phc) {
        if (phc == null) {
            return false;
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            return false;
        }
        int mem = Integer.parseInt(m.group(1));
        int t = Integer.parseInt(m.group(2));
        int p = Integer.parseInt(m.group(3));
        if (mem > MAX_MEMORY_KIB || mem < 8 * p || t < 1 || p < 1) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = Base64.getDecoder().decode(m.group(4));
            expected = Base64.getDecoder().decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = argon2(password, salt, mem, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Spends the time of one verification without any user (unknown usernames), so that a failed login takes as long
     * whether or not the user exists.
     */
    public void verifyDummy(char[] password) {
        String d = dummy;
        if (d == null) {
            char[] random = new char[24];
            for (int i = 0; i < random.length; i++) {
                random[i] = (char) ('a' + RANDOM.nextInt(26));
            }
            d = hash(random);
            dummy = d;
        }
        verify(password, d);
    }

    /** Whether a stored hash was made with other parameters than the configured ones (or is not Argon2id). */
    public boolean needsRehash(String phc) {
        if (phc == null) {
            return false;
        }
        Matcher m = PHC.matcher(phc);
        return !m.matches()
                || Integer.parseInt(m.group(1)) != memoryKib
                || Integer.parseInt(m.group(2)) != iterations
                || Integer.parseInt(m.group(3)) != parallelism
                || Base64.getDecoder().decode(m.group(4)).length != SALT_BYTES;
    }

    private static byte[] argon2(
            char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int len) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[len];
        PERMITS.acquireUninterruptibly();
        try {
            generator.generateBytes(password, out);
        } finally {
            PERMITS.release();
        }
        return out;
    }
}
