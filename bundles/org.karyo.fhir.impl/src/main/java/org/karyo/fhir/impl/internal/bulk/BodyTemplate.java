package org.karyo.fhir.impl.internal.bulk;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.impl.internal.store.Bodies;
import org.karyo.fhir.impl.internal.store.SetWriter;

/**
 * A stored body written ahead of its version: the resource's JSON, as the store writes it, with holes for
 * {@code meta.versionId} and {@code meta.lastUpdated}, known only when its batch is written. Encoding (the costly part)
 * runs on the import's parse threads; filling the holes is two string joins.
 */
final class BodyTemplate {
    private static final FhirContext CTX = FhirContext.forR5Cached();
    /** A version no resource has (a fresh one per start), to find where the version goes. */
    private static final String SENTINEL = "kx" + UUID.randomUUID().toString().replace("-", "");

    private static final Date ANY_TIME = new Date(0);

    private final String head;
    private final String middle;
    private final String tail;

    private BodyTemplate(String head, String middle, String tail) {
        this.head = head;
        this.middle = middle;
        this.tail = tail;
    }

    /**
     * The template of {@code r} (its id set to {@code id}); {@code r} keeps the id and placeholder meta, which {@link
     * #stamp} replaces.
     */
    static BodyTemplate of(Resource r, String id) {
        r.setId(id);
        r.getMeta().setVersionId(SENTINEL);
        r.getMeta().setLastUpdated(ANY_TIME);
        String json = Bodies.write(r);
        String marker = "\"versionId\":\"" + SENTINEL + "\"";
        int v = json.indexOf(marker);
        String time = "\"lastUpdated\":\"";
        int t = v < 0 ? -1 : json.indexOf(time, v + marker.length());
        int te = t < 0 ? -1 : json.indexOf('"', t + time.length());
        String between = v < 0 || t < 0 ? "" : json.substring(v + marker.length(), t);
        if (te < 0 || !(between.equals(",") || between.startsWith(",\"_versionId\":"))) {
            throw new IllegalStateException("meta.versionId and meta.lastUpdated not found where HAPI writes them");
        }
        int vs = v + "\"versionId\":\"".length();
        return new BodyTemplate(
                json.substring(0, vs), json.substring(vs + SENTINEL.length(), t + time.length()), json.substring(te));
    }

    /** The body of version {@code version} written at {@code lastUpdated} ({@link #time}). */
    String fill(int version, String lastUpdated) {
        return head + version + middle + lastUpdated + tail;
    }

    /**
     * Appends the body of version {@code version} at {@code lastUpdated} to {@code sb} escaped for COPY's text format
     * (a version and a time hold no character COPY escapes, so the escaped pieces are joined as they are).
     */
    void fillEscaped(StringBuilder sb, int version, String lastUpdated) {
        if (escaped == null) {
            escaped = new String[] {escape(head), escape(middle), escape(tail)};
        }
        sb.append(escaped[0])
                .append(version)
                .append(escaped[1])
                .append(lastUpdated)
                .append(escaped[2]);
    }

    /** Makes the COPY form ahead, on the thread that made the template. */
    BodyTemplate escapeAhead() {
        escaped = new String[] {escape(head), escape(middle), escape(tail)};
        return this;
    }

    private String[] escaped;

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        SetWriter.copyText(sb, s);
        return sb.toString();
    }
}
