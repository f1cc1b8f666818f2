package org.karyo.fhir.impl.internal.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.karyo.fhir.api.FhirException;
import org.karyo.storage.api.ObjectKeys;
import org.karyo.storage.api.ObjectStore;

/**
 * One NDJSON file of an import: an object of the module's part of the object store ({@value #STORE_PREFIX}), or a file
 * of the import folder; its resource type comes from its name, {@code <Type>[.<suffix>].ndjson}.
 *
 * @param inStore whether it is an object of the object store (else a file of the import folder)
 * @param location the object's key, or the file's path relative to the import folder
 * @param type the resource type its name gives
 */
record ImportFile(boolean inStore, String location, String type) {

    /** Where import files are uploaded in the object store; an import reads no other key. */
    static final String STORE_PREFIX = "fhir/imports/";

    private static final Pattern NAME = Pattern.compile("([A-Z][A-Za-z]{1,63})(\\.[A-Za-z0-9_-]{1,64})*\\.ndjson");

    /** The types read first, in this order: those the others refer to. */
    private static final List<String> FIRST = List.of(
            "Organization",
            "Location",
            "Practitioner",
            "PractitionerRole",
            "HealthcareService",
            "Endpoint",
            "Patient",
            "RelatedPerson",
            "Person",
            "Group",
            "Device",
            "Medication",
            "Substance",
            "Encounter",
            "EpisodeOfCare",
            "Condition",
            "Procedure",
            "ImagingStudy");

    /** The types read last: they refer to anything. */
    private static final List<String> LAST = List.of("Provenance", "AuditEvent", "DocumentReference", "List");

    /** The order imports read files in: referenced types first, then by type, then by name. */
    static final Comparator<ImportFile> ORDER = Comparator.comparingInt((ImportFile f) -> rank(f.type))
            .thenComparing(ImportFile::type)
            .thenComparing(ImportFile::location);

    /** The name reports use: the path in the import folder, or the key below {@value #STORE_PREFIX}. */
    String name() {
        return inStore ? location.substring(STORE_PREFIX.length()) : location;
    }

    /** What goes into the job's payload: {@code S:<key>} or {@code F:<path>}. */
    String encode() {
        return (inStore ? "S:" : "F:") + location;
    }

    static ImportFile decode(String s) {
        boolean store = s.startsWith("S:");
        String location = s.substring(2);
        return new ImportFile(store, location, typeOf(location));
    }

    InputStream open(ObjectStore objects, Path folder) throws IOException {
        if (inStore) {
            return objects.get(location);
        }
        return Files.newInputStream(inFolder(folder, location));
    }

    /** The type a file's name gives, or a 400 naming the rule. */
    static String typeOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw FhirException.badRequest(
                    "file", "An import file is named <Type>[.<suffix>].ndjson, which " + quote(name) + " is not");
        }
        return m.group(1);
    }

    /** A key of the module's import area, checked. */
    static ImportFile ofKey(String key) {
        if (key == null || !key.startsWith(STORE_PREFIX)) {
            throw FhirException.badRequest("storeKey", "An import reads only keys under " + STORE_PREFIX);
        }
        try {
            ObjectKeys.check(key);
        } catch (RuntimeException e) {
            throw FhirException.badRequest("storeKey", "Not a valid object key: " + quote(key));
        }
        return new ImportFile(true, key, typeOf(key));
    }

    /**
     * The files a path of the import folder names: the file, or every {@code .ndjson} file directly in a folder (in
     * name order). A path outside the folder (also through a symbolic link) is refused.
     */
    static List<ImportFile> filesIn(Path folder, String given) {
        Path real = inFolder(folder, given);
        Path root = realFolder(folder);
        List<ImportFile> out = new ArrayList<>();
        if (Files.isDirectory(real)) {
            List<Path> children = new ArrayList<>();
            try (var list = Files.list(real)) {
                list.filter(p -> p.getFileName()
                                .toString()
                                .toLowerCase(Locale.ROOT)
                                .endsWith(".ndjson"))
                        .forEach(children::add);
            } catch (IOException e) {
                throw FhirException.badRequest("file", "The folder " + quote(given) + " cannot be read");
            }
            children.sort(Comparator.naturalOrder());
            for (Path c : children) {
                Path rc = inFolder(
                        folder, root.relativize(c.toAbsolutePath().normalize()).toString());
                if (Files.isRegularFile(rc)) {
                    String rel = root.relativize(rc).toString().replace('\\', '/');
                    out.add(new ImportFile(false, rel, typeOf(rel)));
                }
            }
            if (out.isEmpty()) {
                throw FhirException.badRequest("file", "The folder " + quote(given) + " holds no .ndjson file");
            }
            return out;
        }
        if (!Files.isRegularFile(real)) {
            throw FhirException.badRequest("file", "No such file in the import folder: " + quote(given));
        }
        String rel = root.relativize(real).toString().replace('\\', '/');
        out.add(new ImportFile(false, rel, typeOf(rel)));
        return out;
    }

    /** The real path of {@code given} (relative to the folder, or absolute), when it is inside the folder. */
    static Path inFolder(Path folder, String given) {
        if (folder == null) {
            throw FhirException.badRequest(
                    "file",
                    "No import folder is configured (import.folder of org.karyo.fhir, KARYO_FHIR_IMPORT_FOLDER)");
        }
        Path root = realFolder(folder);
        Path p = Path.of(given);
        if (!p.isAbsolute()) {
            p = root.resolve(p);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw FhirException.badRequest("file", "No such file in the import folder: " + quote(given));
        }
        if (!real.startsWith(root)) {
            throw FhirException.badRequest("file", "The path " + quote(given) + " is outside the import folder");
        }
        return real;
    }

    private static Path realFolder(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            throw FhirException.badRequest("file", "The import folder does not exist");
        }
    }

    private static int rank(String type) {
        int first = FIRST.indexOf(type);
        if (first >= 0) {
            return first;
        }
        int last = LAST.indexOf(type);
        return last >= 0 ? FIRST.size() + 1 + last : FIRST.size();
    }

    private static String quote(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return "'" + t + "'";
    }
}
