package org.karyo.fhir.impl.internal.bulk;

import java.nio.file.Path;
import java.util.Map;
import org.karyo.api.EnvOverrides;

/**
 * The import's keys of the FHIR store's configuration (PID {@value #PID}, next to the store's own keys, which its
 * metatype describes):
 *
 * <ul>
 *   <li>{@code import.folder}: the server folder whose files imports may read (override
 *       {@code KARYO_FHIR_IMPORT_FOLDER}); empty: none, imports read the object store only;
 *   <li>{@code import.stop.on.error}: whether an import stops at its first refused line (default {@code false}: the
 *       line is reported and the others are stored);
 *   <li>{@code import.threads}: the threads that parse an import's lines (default 0: one per processor);
 *   <li>{@code import.fast.update}: whether an import turns the search-key index's pending list on while it runs
 *       (default {@code true}; about three times cheaper index inserts, searches a little slower meanwhile).
 * </ul>
 *
 * @param folder the import folder, or {@code null}
 * @param stopOnError whether an import stops at its first refused line
 * @param threads the parse threads of one import
 * @param fastUpdate whether an import turns the GIN pending list of the search keys on while it runs
 */
record ImportSettings(Path folder, boolean stopOnError, int threads, boolean fastUpdate) {
    static final String PID = "org.karyo.fhir";
    static final String FOLDER = "import.folder";
    static final String STOP_ON_ERROR = "import.stop.on.error";
    static final String THREADS = "import.threads";
    static final String FAST_UPDATE = "import.fast.update";

    static ImportSettings of(Map<String, Object> properties, EnvOverrides env) {
        Object f = properties.get(FOLDER);
        String folder = env.get(
                "KARYO_FHIR_IMPORT_FOLDER", f == null ? "" : f.toString().strip());
        Object stop = properties.get(STOP_ON_ERROR);
        Object t = properties.get(THREADS);
        Object fast = properties.get(FAST_UPDATE);
        int threads = t == null || t.toString().isBlank()
                ? 0
                : Integer.parseInt(t.toString().strip());
        if (threads < 0) {
            throw new IllegalArgumentException(PID + ": " + THREADS + " must be 0 or more");
        }
        return new ImportSettings(
                folder == null || folder.isBlank()
                        ? null
                        : Path.of(folder.strip()).toAbsolutePath(),
                stop != null && Boolean.parseBoolean(stop.toString().strip()),
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                fast == null || Boolean.parseBoolean(fast.toString().strip()));
    }
}
