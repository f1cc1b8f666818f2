package org.karyo.fhir.impl.internal.bulk;

import java.util.List;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.Interaction;
import org.karyo.fhir.impl.internal.store.SetWriter;

/**
 * One line of an import on its way to the store: where it comes from, and once read, the resource, its search index
 * and its body (a template around the version and time, filled in when the batch is written), or why it is refused.
 */
final class Entry extends SetWriter.Item {
    /** The file's index in the import's list, and the line's number in it (from 1). */
    final int file;

    final int line;

    /** The line, until it is parsed (or when it waits for its conditional references). */
    String text;

    BodyTemplate body;

    /** The conditional references it holds ({@code Organization?identifier=…}), once parsed. */
    List<String> conditionals = List.of();

    /** Set when the line waits for the second pass (its conditional references are resolved then). */
    boolean deferred;

    /** Set when the line is refused. */
    Refusal refusal;

    Entry(int file, int line, String text) {
        this.file = file;
        this.line = line;
        this.text = text;
    }

    @Override
    protected Interaction interaction(boolean exists) {
        return Interaction.UPDATE;
    }

    @Override
    protected boolean inImport() {
        return true;
    }

    @Override
    protected void refuse(KaryoException e) {
        refuse(Refusal.of(e));
    }

    @Override
    protected boolean refused() {
        return refusal != null;
    }

    @Override
    protected boolean writePreparedBody(StringBuilder sb, int version, String time) {
        if (body == null) {
            return false;
        }
        body.fillEscaped(sb, version, time);
        return true;
    }

    @Override
    protected void forgetBody() {
        body = null;
    }

    void refuse(Refusal r) {
        refusal = r;
        resource = null;
        index = null;
        body = null;
        text = null;
        copyKeys = null;
        copyRng = null;
    }

    /** The line's position as one number: the file's index and the line's number. */
    long position() {
        return position(file, line);
    }

    static long position(int file, int line) {
        return ((long) file << 32) | (line & 0xffffffffL);
    }

    static int fileOf(long position) {
        return (int) (position >>> 32);
    }

    static int lineOf(long position) {
        return (int) position;
    }
}
