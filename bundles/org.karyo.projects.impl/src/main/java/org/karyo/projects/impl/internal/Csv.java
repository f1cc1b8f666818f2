package org.karyo.projects.impl.internal;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import de.siegmar.fastcsv.reader.FieldModifier;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.QuoteStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/**
 * The module's CSV dialect, on the platform's CSV library (FastCSV): RFC 4180, UTF-8 (an initial byte order mark is
 * skipped), fields separated by {@code ,} (or {@code ;} when the header has no comma), quoted with {@code "} when
 * needed; quoted fields may span lines; unquoted fields are stripped of surrounding white space. Cells that a
 * spreadsheet would run as a formula (starting with {@code =} or {@code @}, or with {@code +} or {@code -} not followed
 * by a digit) are written with a leading {@code '}, which reading removes again, so an export imports back unchanged.
 */
final class Csv {

    /** One record and the line it starts on (the header is line 1). */
    record Record(int line, List<String> fields) {
        boolean blank() {
            return fields.isEmpty() || (fields.size() == 1 && fields.get(0).isBlank());
        }
    }

    private static final Pattern PARSE_LINE = Pattern.compile("starting at line (\\d+)");

    /** Unquoted cells stripped; the formula guard written by {@link #escape} removed. */
    private static final FieldModifier CELL = new FieldModifier() {
        @Override
        public String modify(long line, int field, boolean quoted, String value) {
            return unguard(quoted ? value : value.strip());
        }
    };

    /** Quotes what RFC 4180 needs, and what would not read back the same: {@code ;} and surrounding white space. */
    private static final QuoteStrategy QUOTES = new QuoteStrategy() {
        @Override
        public boolean quoteValue(int line, int field, String value) {
            return value.indexOf(';') >= 0
                    || (!value.isEmpty()
                            && (Character.isWhitespace(value.charAt(0))
                                    || Character.isWhitespace(value.charAt(value.length() - 1))));
        }
    };

    private Csv() {}

    /**
     * Reads every non-blank record of at most {@code maxBytes} bytes of UTF-8, the header first.
     *
     * @throws KaryoException TOO_LARGE over the limit; INVALID ({@code file}) when it cannot be read or is not UTF-8,
     *     ({@code line N}) when a quoted field is not closed
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
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .fieldSeparator(separator)
                .quoteCharacter('"')
                .commentStrategy(CommentStrategy.NONE)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowUnclosedQuote(false)
                .build(CsvRecordHandler.of(b -> b.fieldModifier(CELL)), text)) {
            for (CsvRecord r : reader) {
                Record record = new Record((int) r.getStartingLineNumber(), List.copyOf(r.getFields()));
                if (!record.blank()) {
                    records.add(record);
                }
            }
        } catch (CsvParseException e) {
            Matcher m = PARSE_LINE.matcher(String.valueOf(e.getMessage()));
            String where = m.find() ? "line " + m.group(1) : "file";
            throw KaryoException.invalid(where, "a quoted field is not closed before the end of the file");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a string
        }
        return records;
    }

    /** Writes records, each ended by CRLF. */
    static CsvWriter writer(Writer out) {
        return CsvWriter.builder().quoteStrategy(QUOTES).build(out);
    }

    /** Writes one record, ended by CRLF ({@code null} values are empty). */
    static void write(Writer out, List<String> values) throws IOException {
        CsvWriter w = writer(out);
        w.writeRecord(escape(values));
        w.flush();
    }

    /** The values as written: {@code null} empty, formula-looking cells guarded. */
    static List<String> escape(List<String> values) {
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(v == null ? "" : dangerous(v) ? "'" + v : v);
        }
        return out;
    }

    /** A cell's value: a formula guard ({@code '}) written by {@link #escape} is removed. */
    private static String unguard(String v) {
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
}
