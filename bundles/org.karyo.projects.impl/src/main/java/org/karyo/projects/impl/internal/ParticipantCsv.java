package org.karyo.projects.impl.internal;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.Participant;

/**
 * The CSV form of participants. A nominative export has {@link #NOMINATIVE} columns and imports back as is; a
 * pseudonymised export has {@link #PSEUDONYMIZED} columns. Lists live in one cell: sample ids separated by {@code ;},
 * diagnoses one per line as {@code system|code|display}. Booleans are {@code true}/{@code false} (also
 * {@code yes/no/1/0}), dates {@code yyyy-mm-dd}, {@code deceased_at} an ISO-8601 instant (or a date, meaning its
 * start in UTC).
 */
final class ParticipantCsv {

    static final List<String> NOMINATIVE = List.of(
            "identifier",
            "first_name",
            "last_name",
            "gender",
            "birth_date",
            "active",
            "email",
            "phone_prefix",
            "phone_number",
            "address",
            "marital_status",
            "language",
            "deceased",
            "deceased_at",
            "note",
            "sample_ids",
            "diagnoses",
            "consent_status",
            "consent_given_on",
            "consent_withdrawn_on",
            "consent_expires_on");

    static final List<String> PSEUDONYMIZED = List.of(
            "pseudonym", "gender", "birth_year", "active", "deceased", "sample_ids", "diagnoses", "consent_status");

    static final List<String> REQUIRED = List.of("first_name", "last_name", "gender", "birth_date");

    static final int MAX_ERRORS = 100;

    private ParticipantCsv() {}

    /** One data row: its line, the identifier it names (or {@code null} for a new participant) and its values. */
    record Row(int line, String identifier, NewParticipant participant) {}

    /** The rows of a CSV file of at most {@code maxBytes} bytes and {@code maxRows} rows (see {@link #parse}). */
    static List<Row> read(InputStream in, long maxBytes, int maxRows) {
        return parse(Csv.read(in, maxBytes), maxRows);
    }

    /** Writes the header and a row per participant, nominative or pseudonymised. */
    static void write(Writer out, List<Participant> participants, boolean pseudonymized) throws IOException {
        CsvWriter w = Csv.writer(out);
        w.writeRecord(pseudonymized ? PSEUDONYMIZED : NOMINATIVE);
        for (Participant p : participants) {
            w.writeRecord(Csv.escape(pseudonymized ? pseudonymized(p) : nominative(p)));
        }
        w.flush();
    }

    /**
     * The rows of a file, with every format error (unknown or missing column, unparseable value) named
     * {@code line N: column}; the rules of the values themselves are checked by the service.
     */
    static List<Row> parse(List<Csv.Record> records, int maxRows) {
        if (records.isEmpty()) {
            throw KaryoException.invalid(
                    "line 1", "the file is empty: expected a header with at least " + String.join(", ", REQUIRED));
        }
        List<String> header = records.get(0).fields();
        Map<String, Integer> columns = new HashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).strip().toLowerCase(Locale.ROOT);
            if (!NOMINATIVE.contains(name)) {
                errors.add(new FieldError(
                        "line 1: " + echo(name), "unknown column; known: " + String.join(", ", NOMINATIVE)));
            } else if (columns.putIfAbsent(name, i) != null) {
                errors.add(new FieldError("line 1: " + name, "appears twice"));
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                errors.add(new FieldError("line 1: " + required, "missing column"));
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        if (records.size() - 1 > maxRows) {
            throw KaryoException.invalid("file", "has more than " + maxRows + " participants (max.import.rows)");
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            Csv.Record record = records.get(r);
            int line = record.line();
            if (record.fields().size() > header.size()) {
                errors.add(new FieldError(
                        "line " + line, "has " + record.fields().size() + " fields, the header " + header.size()));
                continue;
            }
            Values v = new Values(line, record.fields(), columns, errors);
            String identifier = v.text("identifier");
            NewParticipant p = new NewParticipant(
                    v.text("first_name"),
                    v.text("last_name"),
                    v.gender("gender"),
                    v.date("birth_date"),
                    v.bool("active"),
                    v.text("email"),
                    v.text("phone_prefix"),
                    v.text("phone_number"),
                    v.text("address"),
                    v.text("marital_status"),
                    v.text("language"),
                    v.bool("deceased"),
                    v.instant("deceased_at"),
                    v.text("note"),
                    v.samples("sample_ids"),
                    v.diagnoses("diagnoses"));
            rows.add(new Row(line, identifier, p));
            if (errors.size() >= MAX_ERRORS) {
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors.subList(0, Math.min(MAX_ERRORS, errors.size())));
        }
        return rows;
    }

    /** A nominative export row, in {@link #NOMINATIVE} order. */
    static List<String> nominative(Participant p) {
        List<String> out = new ArrayList<>(NOMINATIVE.size());
        out.add(p.identifier());
        out.add(p.firstName());
        out.add(p.lastName());
        out.add(p.gender().name());
        out.add(p.birthDate().toString());
        out.add(Boolean.toString(p.active()));
        out.add(p.email());
        out.add(p.phonePrefix());
        out.add(p.phoneNumber());
        out.add(p.address());
        out.add(p.maritalStatus());
        out.add(p.language());
        out.add(Boolean.toString(p.deceased()));
        out.add(p.deceasedAt() == null ? null : p.deceasedAt().toString());
        out.add(p.note());
        out.add(String.join(";", p.sampleIds()));
        out.add(diagnoses(p.diagnoses()));
        out.add(p.consent().status().name());
        out.add(date(p.consent().givenOn()));
        out.add(date(p.consent().withdrawnOn()));
        out.add(date(p.consent().expiresOn()));
        return out;
    }

    /** A pseudonymised export row, in {@link #PSEUDONYMIZED} order. */
    static List<String> pseudonymized(Participant p) {
        return Arrays.asList(
                p.pseudonym(),
                p.gender().name(),
                Integer.toString(p.birthYear()),
                Boolean.toString(p.active()),
                Boolean.toString(p.deceased()),
                String.join(";", p.sampleIds()),
                diagnoses(p.diagnoses()),
                p.consent().status().name());
    }

    private static String diagnoses(List<Diagnosis> diagnoses) {
        return diagnoses.stream()
                .map(d -> d.system() + "|" + d.code() + (d.display() == null ? "" : "|" + d.display()))
                .collect(Collectors.joining("\n"));
    }

    private static String date(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static String echo(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** The cells of one row by column name, converting and recording errors. */
    private static final class Values {
        private final int line;
        private final List<String> fields;
        private final Map<String, Integer> columns;
        private final List<FieldError> errors;

        Values(int line, List<String> fields, Map<String, Integer> columns, List<FieldError> errors) {
            this.line = line;
            this.fields = fields;
            this.columns = columns;
            this.errors = errors;
        }

        /** The cell, {@code null} when the column is absent or the cell empty. */
        String text(String column) {
            Integer i = columns.get(column);
            if (i == null || i >= fields.size()) {
                return null;
            }
            String v = fields.get(i);
            return v.isBlank() ? null : v;
        }

        private void error(String column, String message) {
            errors.add(new FieldError("line " + line + ": " + column, message));
        }

        Gender gender(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            try {
                return Gender.valueOf(v.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(column, "must be MALE or FEMALE");
                return null;
            }
        }

        LocalDate date(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            try {
                return LocalDate.parse(v.strip());
            } catch (DateTimeParseException e) {
                error(column, "must be a date yyyy-mm-dd");
                return null;
            }
        }

        Instant instant(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            String s = v.strip();
            try {
                return s.length() == 10
                        ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                error(column, "must be a date yyyy-mm-dd or a date-time such as 2024-05-01T10:30:00Z");
                return null;
            }
        }

        Boolean bool(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            switch (v.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1":
                    return true;
                case "false", "no", "0":
                    return false;
                default:
                    error(column, "must be true or false");
                    return null;
            }
        }

        List<String> samples(String column) {
            String v = text(column);
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String s : v.split(";")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }

        List<Diagnosis> diagnoses(String column) {
            String v = text(column);
            if (v == null) {
                return List.of();
            }
            List<Diagnosis> out = new ArrayList<>();
            for (String entry : v.split("\r?\n")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.split("\\|", -1);
                if (parts.length < 2 || parts.length > 3) {
                    error(column, "each line must be system|code or system|code|display");
                    continue;
                }
                out.add(new Diagnosis(parts[0], parts[1], parts.length == 3 ? parts[2] : null));
            }
            return out;
        }
    }
}
