package org.karyo.fhir.impl.internal.bulk;

import java.util.List;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.impl.internal.index.ResourceIndex;

/**
 * One line of an import on its way to the store: where it comes from, and once read, the resource, its search index
 * and its body (a template around the version and time, filled in when the batch is written), or why it is refused.
 */
final class Entry {
    /** The file's index in the import's list, and the line's number in it (from 1). */
    final int file;

    final int line;

    /** The line, until it is parsed (or when it waits for its conditional references). */
    String text;

    String type;
    String id;
    Resource resource;
    ResourceIndex index;
    BodyTemplate body;

    /** The index's columns in COPY's text form, made ahead on the parse threads ({@code null}: made when written). */
    String copyKeys;

    String copyRng;

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

    String key() {
        return type + "/" + id;
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
