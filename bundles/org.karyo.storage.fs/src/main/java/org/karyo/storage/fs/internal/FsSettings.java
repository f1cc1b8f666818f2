package org.karyo.storage.fs.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.karyo.api.EnvOverrides;

/**
 * The effective configuration of the filesystem store: {@link FsObjectStore.Config} with the environment's overrides.
 *
 * @param root the store's folder
 * @param publicUrl the base of presigned URLs, without a trailing slash
 */
record FsSettings(Path root, URI publicUrl) {
    static final String ENV_DIR = "KARYO_STORAGE_DIR";
    static final String ENV_PUBLIC_URL = "KARYO_PUBLIC_URL";
    static final String KARAF_BASE = "${karaf.base}";

    /**
     * Applies the environment and checks the values.
     *
     * @param karafBase {@code karaf.base}, for the default folder; {@code null} outside Karaf (the working folder)
     * @throws IllegalArgumentException naming the key (and its variable) whose value is wrong
     */
    static FsSettings resolve(FsObjectStore.Config config, EnvOverrides env, String karafBase) {
        String base = karafBase != null ? karafBase : System.getProperty("user.dir");
        String configured = env.get(ENV_DIR, config.root());
        String root = configured == null || configured.isBlank()
                ? base + "/var/storage"
                : configured.strip().replace(KARAF_BASE, base);
        if (root.contains("${")) {
            throw new IllegalArgumentException(
                    FsObjectStore.PID + ": root (env " + ENV_DIR + ") has an unresolved placeholder: " + root);
        }
        String url = env.get(ENV_PUBLIC_URL, config.public_url());
        if (url == null || url.isBlank()) {
            // the platform's own HTTP port (etc/org.ops4j.pax.web.cfg takes it from KARYO_HTTP_PORT)
            url = "http://localhost:" + env.get("KARYO_HTTP_PORT", "8181");
        }
        return new FsSettings(Path.of(root).toAbsolutePath().normalize(), publicUrl(url));
    }

    static URI publicUrl(String value) {
        String v = value == null ? "" : value.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI uri = new URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new URISyntaxException(v, "not an http(s) URL without query");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(FsObjectStore.PID + ": public.url (env " + ENV_PUBLIC_URL
                    + ") must be an http(s) URL such as https://karyo.example.org, not '" + v + "'");
        }
    }
}
