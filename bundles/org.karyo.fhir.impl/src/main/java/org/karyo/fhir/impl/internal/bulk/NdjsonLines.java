package org.karyo.fhir.impl.internal.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads NDJSON one line at a time from bytes, so that one bad line (not UTF-8, longer than the limit) is refused alone
 * and the rest are still read. Lines end with {@code \n} (a {@code \r} before it is dropped); lines with nothing but
 * white space are skipped but counted in the line numbers.
 */
final class NdjsonLines implements AutoCloseable {

    /** One line: its number (from 1), and its text, or why it could not be read. */
    record Line(int number, String text, String problem) {}

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[1 << 12];
    private int number;
    private boolean eof;

    NdjsonLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line with content, or {@code null} at the end. */
    Line next() throws IOException {
        while (true) {
            if (eof && pos >= end) {
                return null;
            }
            int len = 0;
            boolean tooLong = false;
            boolean any = false;
            boolean ended = false;
            while (!ended) {
                if (pos >= end && !fill()) {
                    break;
                }
                int nl = -1;
                for (int i = pos; i < end; i++) {
                    if (buf[i] == '\n') {
                        nl = i;
                        break;
                    }
                }
                int stop = nl < 0 ? end : nl;
                int n = stop - pos;
                if (!tooLong) {
                    if (len + n > maxBytes) {
                        tooLong = true;
                        any = true;
                    } else {
                        if (len + n > line.length) {
                            line = Arrays.copyOf(line, Math.max(len + n, Math.min(maxBytes, line.length * 2)));
                        }
                        System.arraycopy(buf, pos, line, len, n);
                        len += n;
                    }
                }
                pos = stop;
                if (nl >= 0) {
                    pos++;
                    ended = true;
                }
            }
            if (!ended && len == 0 && !tooLong && eof) {
                return null;
            }
            number++;
            if (tooLong) {
                return new Line(number, null, "the line is longer than " + maxBytes + " bytes");
            }
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            for (int i = 0; i < len && !any; i++) {
                byte b = line[i];
                any = b != ' ' && b != '\t' && b != '\r';
            }
            if (!any) {
                continue;
            }
            try {
                return new Line(number, decode(line, len), null);
            } catch (CharacterCodingException e) {
                return new Line(number, null, "the line is not UTF-8 text");
            }
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            eof = true;
            pos = 0;
            end = 0;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private static String decode(byte[] bytes, int len) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = 0; i < len && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = d.decode(ByteBuffer.wrap(bytes, 0, len));
        return chars.toString();
    }

    /** How many lines with content a stream holds (a quick pass before an import, for its progress). */
    static long count(InputStream in) throws IOException {
        byte[] b = new byte[1 << 16];
        long lines = 0;
        boolean any = false;
        int n;
        while ((n = in.read(b)) > 0) {
            for (int i = 0; i < n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (any) {
                        lines++;
                    }
                    any = false;
                } else if (c != ' ' && c != '\t' && c != '\r') {
                    any = true;
                }
            }
        }
        return any ? lines + 1 : lines;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
