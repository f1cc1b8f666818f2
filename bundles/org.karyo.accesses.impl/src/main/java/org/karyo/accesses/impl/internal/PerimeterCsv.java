package org.karyo.accesses.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;

/**
 * Reads Cohort360's {@code perimeters.csv}: a header, then one node per record. Required columns: {@code id,
 * local_id, name, short_name, source_value, type_source_value, parent_id} ({@code parent_id} refers to the file's own
 * {@code id} column); {@code cohort_id} is read when present; other columns ({@code level, above_levels_ids, ...}) are
 * ignored, since they are derived. The separator is {@code ;} (Cohort360's) or {@code ,}, detected from the header;
 * fields may be quoted with {@code "}. Errors name {@code line N: column}; the first data record is line 2.
 */
final class PerimeterCsv {

    static final List<String> REQUIRED =
            List.of("id", "local_id", "name", "short_name", "source_value", "type_source_value", "parent_id");
    static final String COHORT_ID = "cohort_id";
    private static final int MAX_ERRORS = 50;
    private static final int MAX_TEXT = 255;

    /** One node of the file, in file order. */
    record Row(
            int line,
            String csvId,
            String localId,
            String name,
            String shortName,
            String sourceValue,
            String type,
            String csvParentId,
            Optional<String> cohortId) {}

    /** The file's nodes, parents before children, and whether it carries {@code cohort_id}. */
    record Parsed(List<Row> rows, boolean hasCohortId) {}

    private PerimeterCsv() {}

    /**
     * Parses and validates a file, all or nothing.
     *
     * @throws KaryoException INVALID naming {@code line N: column} for every bad field (at most 50)
     */
    static Parsed parse(InputStream in) {
        List<List<String>> records;
        List<Integer> lines = new ArrayList<>();
        try {
            Reader reader = new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT));
            records = read(reader, lines);
        } catch (CharacterCodingException e) {
            throw KaryoException.invalid("file", "is not UTF-8 text");
        } catch (IOException e) {
            throw KaryoException.invalid("file", "could not be read");
        }
        if (records.isEmpty()) {
            throw KaryoException.invalid(
                    "line 1", "the file is empty: expected a header with " + String.join(", ", REQUIRED));
        }
        List<String> header = records.get(0);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            columns.putIfAbsent(name, i);
        }
        List<FieldError> errors = new ArrayList<>();
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                errors.add(new FieldError("line 1: " + required, "missing column"));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        boolean hasCohortId = columns.containsKey(COHORT_ID);
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        Map<String, Integer> localIdLines = new HashMap<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> fields = records.get(r);
            int line = lines.get(r);
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue; // an empty line
            }
            Map<String, String> v = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> c : columns.entrySet()) {
                if (c.getValue() < fields.size()) {
                    v.put(c.getKey(), fields.get(c.getValue()).trim());
                }
            }
            boolean complete = true;
            for (String required : REQUIRED) {
                if (!v.containsKey(required)) {
                    errors.add(new FieldError("line " + line + ": " + required, "missing field"));
                    complete = false;
                }
            }
            if (!complete) {
                continue;
            }
            String id = v.getOrDefault("id", "");
            String localId = v.getOrDefault("local_id", "");
            String name = v.getOrDefault("name", "");
            String type = v.getOrDefault("type_source_value", "");
            String parent = v.getOrDefault("parent_id", "");
            String cohort = v.getOrDefault(COHORT_ID, "");
            check(errors, line, "id", !id.isEmpty(), "is required");
            if (!id.isEmpty() && idLines.putIfAbsent(id, line) != null) {
                errors.add(new FieldError("line " + line + ": id", "repeats the id of line " + idLines.get(id)));
            }
            check(errors, line, "local_id", !localId.isEmpty(), "is required");
            check(errors, line, "local_id", localId.length() <= MAX_TEXT, "must be at most 255 characters");
            if (!localId.isEmpty() && localIdLines.putIfAbsent(localId, line) != null) {
                errors.add(new FieldError(
                        "line " + line + ": local_id", "repeats the local_id of line " + localIdLines.get(localId)));
            }
            check(errors, line, "name", !name.isEmpty(), "is required");
            check(errors, line, "type_source_value", !type.isEmpty(), "is required");
            check(errors, line, "type_source_value", type.length() <= MAX_TEXT, "must be at most 255 characters");
            check(errors, line, "cohort_id", cohort.length() <= MAX_TEXT, "must be at most 255 characters");
            check(errors, line, "parent_id", parent.isEmpty() || !parent.equals(id), "cannot be the node itself");
            rows.add(new Row(
                    line,
                    id,
                    localId,
                    name,
                    v.getOrDefault("short_name", ""),
                    v.getOrDefault("source_value", ""),
                    type,
                    parent,
                    cohort.isEmpty() ? Optional.empty() : Optional.of(cohort)));
            if (errors.size() >= MAX_ERRORS) {
                throw KaryoException.invalid(errors.subList(0, MAX_ERRORS));
            }
        }
        for (Row row : rows) {
            if (!row.csvParentId().isEmpty() && !idLines.containsKey(row.csvParentId())) {
                errors.add(new FieldError(
                        "line " + row.line() + ": parent_id",
                        "refers to id " + row.csvParentId() + ", which is not in the file"));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors.subList(0, Math.min(errors.size(), MAX_ERRORS)));
        }
        return new Parsed(parentsFirst(rows), hasCohortId);
    }

    private static void check(List<FieldError> errors, int line, String column, boolean ok, String message) {
        if (!ok) {
            errors.add(new FieldError("line " + line + ": " + column, message));
        }
    }

    /** Orders rows parents first; a cycle is an error on the first row that closes it. */
    private static List<Row> parentsFirst(List<Row> rows) {
        Map<String, Row> byId = new HashMap<>();
        Map<String, List<Row>> children = new HashMap<>();
        for (Row r : rows) {
            byId.put(r.csvId(), r);
            if (!r.csvParentId().isEmpty()) {
                children.computeIfAbsent(r.csvParentId(), k -> new ArrayList<>())
                        .add(r);
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        Set<String> placed = new HashSet<>();
        Deque<Row> queue = new ArrayDeque<>();
        for (Row r : rows) {
            if (r.csvParentId().isEmpty()) {
                queue.add(r);
            }
        }
        while (!queue.isEmpty()) {
            Row r = queue.poll();
            if (!placed.add(r.csvId())) {
                continue;
            }
            out.add(r);
            queue.addAll(children.getOrDefault(r.csvId(), List.of()));
        }
        if (out.size() < rows.size()) {
            List<FieldError> errors = new ArrayList<>();
            for (Row r : rows) {
                if (!placed.contains(r.csvId())) {
                    errors.add(new FieldError("line " + r.line() + ": parent_id", "forms a cycle"));
                }
            }
            throw KaryoException.invalid(errors.subList(0, Math.min(errors.size(), MAX_ERRORS)));
        }
        return out;
    }

    /** Splits the text into records of fields, remembering the line each record starts on. */
    private static List<List<String>> read(Reader reader, List<Integer> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = reader.read(buffer)) > 0; ) {
            text.append(buffer, 0, n);
        }
        int firstNewline = text.indexOf("\n");
        String headerLine = firstNewline < 0 ? text.toString() : text.substring(0, firstNewline);
        char separator = headerLine.indexOf(';') >= 0 ? ';' : ',';
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == separator) {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                lines.add(recordLine);
                fields = new ArrayList<>();
                any = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
            lines.add(recordLine);
        }
        // drop trailing empty records
        while (!records.isEmpty()) {
            List<String> last = records.get(records.size() - 1);
            if (last.size() == 1 && last.get(0).isBlank()) {
                records.remove(records.size() - 1);
                lines.remove(lines.size() - 1);
            } else {
                break;
            }
        }
        return records;
    }
}
