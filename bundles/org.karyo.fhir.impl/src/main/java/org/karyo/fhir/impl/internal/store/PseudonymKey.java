package org.karyo.fhir.impl.internal.store;

import java.security.SecureRandom;
import java.util.Base64;
import org.karyo.api.EnvOverrides;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;

/**
 * The key of the pseudonyms pseudonymised readers see: {@code KARYO_PSEUDONYM_KEY} (base64 of 32 bytes) when set;
 * otherwise 32 random bytes generated on first start and kept in {@code karyo_fhir.pseudonym_key}, so pseudonyms
 * survive restarts. Changing the key changes every pseudonym.
 */
final class PseudonymKey {
    private PseudonymKey() {}

    static byte[] load(Sql sql, Writes writes, EnvOverrides env) {
        String configured = env.get("KARYO_PSEUDONYM_KEY", null);
        if (configured != null) {
            byte[] k = Base64.getDecoder().decode(configured);
            if (k.length < 32) {
                throw new IllegalArgumentException("KARYO_PSEUDONYM_KEY is the base64 of at least 32 bytes");
            }
            return java.util.Arrays.copyOf(k, 32);
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        writes.run(
                "pseudonym key",
                tx -> tx.update(
                        "INSERT INTO " + Schema.NAME
                                + ".pseudonym_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
                        (Object) fresh));
        return sql.one("SELECT key FROM " + Schema.NAME + ".pseudonym_key WHERE id = 1", rs -> rs.getBytes(1))
                .orElseThrow(() -> new IllegalStateException("the pseudonym key could not be stored"));
    }
}
