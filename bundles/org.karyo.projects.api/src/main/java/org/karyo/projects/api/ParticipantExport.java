package org.karyo.projects.api;

import java.io.IOException;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A CSV export of a project's participants, authorised and audited when it was made; {@link #writeTo} streams it.
 * Nominative for callers who hold {@link ProjectRights#PARTICIPANT_READ_NOMINATIVE}, pseudonymised otherwise.
 */
@ProviderType
public interface ParticipantExport {

    /** Whether the export is pseudonymised. */
    boolean pseudonymized();

    /** The file name to offer ({@code <project code>-participants.csv}). */
    String fileName();

    /** Writes the CSV (UTF-8, a header line, {@code ,} separated, RFC 4180 quoting). */
    void writeTo(OutputStream out) throws IOException;
}
