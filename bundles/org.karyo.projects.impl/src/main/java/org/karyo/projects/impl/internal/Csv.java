package org.karyo.projects.impl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/**
 * RFC 4180 CSV: UTF-8 (an initial byte order mark is skipped), fields separated by {@code ,} (or {@code ;} when the
 * header has no comma), quoted with {@code "} when needed; quoted fields may span lines. Cells that a spreadsheet
 * would run as a formula (starting with {@code =} or {@code @}, or with {@code +} or {@code -} not followed by a
 * digit) are written with a leading {@code '}, which reading removes again, so an export imports back unchanged.
 */
final class Csv {

    /** One record and the line it starts on (the header is line 1). */
    record Record(int line, List<String> fields) {
        boolean blank() {
            return fields.isEmpty() || (fields.size() == 1 && fields.get(0).isBlank());
        }
    }

    private Csv() {}

    /**
     * Reads every non-blank record of at most {@code maxBytes} bytes of UTF-8, the header first.
     *
     * @throws KaryoException TOO_LARGE over the limit; INVALID ({@code file}) when it cannot be read, is not UTF-8
     *     or ends inside a quoted field
     */
    static List<Record> read(InputStream in, long maxBytes) {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
        } catch (IOException e) {
            throw KaryoException.invalid("file", "could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new KaryoException(
                    Kind.TOO_LARGE,
                    "too-large",
                    "The file is larger than " + maxBytes + " bytes",
                    null,
                    Map.of("max_bytes", maxBytes),
                    null);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw KaryoException.invalid("file", "is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return parse(text);
    }

    static List<Record> parse(String text) {
        int firstNewline = text.indexOf('\n');
        String header = firstNewline < 0 ? text : text.substring(0, firstNewline);
        char separator = header.indexOf(',') < 0 && header.indexOf(';') >= 0 ? ';' : ',';
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
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
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == separator) {
                fields.add(cell(field, wasQuoted));
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(cell(field, wasQuoted));
                field.setLength(0);
                wasQuoted = false;
                add(records, recordLine, fields);
                fields = new ArrayList<>();
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw KaryoException.invalid(
                    "line " + recordLine, "a quoted field is not closed before the end of the file");
        }
        if (field.length() > 0 || wasQuoted || !fields.isEmpty()) {
            fields.add(cell(field, wasQuoted));
            add(records, recordLine, fields);
        }
        return records;
    }

    private static void add(List<Record> records, int line, List<String> fields) {
        Record r = new Record(line, fields);
        if (!r.blank()) {
            records.add(r);
        }
    }

    /** A field's value: a formula guard ({@code '}) written by {@link #escape} is removed. */
    private static String cell(StringBuilder field, boolean quoted) {
        String v = quoted ? field.toString() : field.toString().strip();
        if (v.length() >= 2 && v.charAt(0) == '\'' && dangerous(v.substring(1))) {
            return v.substring(1);
        }
        return v;
    }

    /** Whether a spreadsheet would take the cell for a formula. */
    static boolean dangerous(String v) {
        if (v.isEmpty()) {
            return false;
        }
        char c = v.charAt(0);
        if (c == '=' || c == '@' || c == '\t' || c == '\r') {
            return true;
        }
        if (c == '+' || c == '-') {
            return v.length() == 1 || !Character.isDigit(v.charAt(1));
        }
        return false;
    }

    /** The CSV form of a value ({@code null} = empty). */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        String v = dangerous(value) ? "'" + value : value;
        boolean quote = v.indexOf(',') >= 0
                || v.indexOf(';') >= 0
                || v.indexOf('"') >= 0
                || v.indexOf('\n') >= 0
                || v.indexOf('\r') >= 0
                || (!v.isEmpty()
                        && (Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1))));
        return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** Writes one record, ended by CRLF. */
    static void write(Writer out, List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(escape(values.get(i)));
        }
        out.write("\r\n");
    }
}
