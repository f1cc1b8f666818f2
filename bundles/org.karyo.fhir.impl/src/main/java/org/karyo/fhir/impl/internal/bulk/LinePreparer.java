package org.karyo.fhir.impl.internal.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Property;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.FhirVersionConverter;
import org.karyo.fhir.impl.internal.index.IndexExtractor;
import org.karyo.fhir.impl.internal.parse.FhirInputException;
import org.karyo.fhir.impl.internal.parse.FhirJson;
import org.karyo.fhir.impl.internal.parse.Issue;
import org.karyo.fhir.impl.internal.store.SetWriter;

/**
 * Turns a line of an import into what the writers need, on the import's parse threads: strict parsing (through a
 * version converter first, for another FHIR version), the checks an import adds (the file's type, an id), the
 * resolution of conditional references (second pass), the search index and the body template. Thread-safe.
 */
final class LinePreparer {
    /** The types whose rows the store derives more state from: written through the store's own writer. */
    static final Set<String> THROUGH_WRITER = Set.of("Organization", "Group");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    /** A conditional reference in the raw line ({@code "reference": "Organization?identifier=…"}). */
    private static final Pattern CONDITIONAL = Pattern.compile("\"reference\"\\s*:\\s*\"[A-Za-z]+\\?");

    private final FhirJson json;
    private final FhirJson.Limits limits;
    private final IndexExtractor extractor;
    private final FhirVersionConverter converter;

    /** @param converter the converter of the import's FHIR version, or {@code null} for R5 input */
    LinePreparer(FhirJson json, FhirJson.Limits limits, IndexExtractor extractor, FhirVersionConverter converter) {
        this.json = json;
        this.limits = limits;
        this.extractor = extractor;
        this.converter = converter;
    }

    /** What a line's conditional references resolve to. */
    interface Resolver {
        /**
         * The local reference ({@code Type/id}) that {@code conditional} stands for; {@code null} when it matches
         * nothing (yet).
         *
         * @throws KaryoException when it matches several resources or is not a valid search
         */
        String resolve(String conditional);
    }

    /**
     * Prepares {@code e} from a line of a file of {@code fileType}. In the first pass ({@code resolver} null) a line
     * with a conditional reference is only marked {@link Entry#deferred}; in the second, its conditional references
     * are resolved, and a line whose reference matches nothing yet keeps {@link Entry#conditionals} naming it.
     */
    void prepare(Entry e, String fileType, Resolver resolver) {
        String text = e.text;
        // a '?' written as a JSON escape hides a conditional reference from the pattern: such lines are searched whole
        boolean escaped = text.contains("\\u003f") || text.contains("\\u003F");
        if (resolver == null && CONDITIONAL.matcher(text).find()) {
            e.deferred = true;
            e.text = null;
            return;
        }
        Resource r;
        try {
            String r5 = converter == null ? text : converter.toR5(text);
            r = json.parse(r5, converter == null ? fileType : null, limits);
        } catch (FhirInputException x) {
            e.refuse(Refusal.of(x));
            return;
        } catch (KaryoException x) {
            e.refuse(Refusal.of(x));
            return;
        } catch (RuntimeException x) {
            // a converter's own failure: its message is not known to be client-safe
            e.refuse(Refusal.of(Issue.INVALID, fileType, "The line could not be converted to R5"));
            return;
        }
        String id = r.getIdPart();
        if (id == null || id.isEmpty()) {
            e.refuse(Refusal.of(
                    Issue.REQUIRED,
                    r.fhirType() + ".id",
                    "A resource of an import needs its id (importing it again then updates it)"));
            return;
        }
        if (!ID.matcher(id).matches()) {
            e.refuse(Refusal.of(
                    Issue.VALUE, r.fhirType() + ".id", "A resource id is 1 to 64 letters, digits, '-' and '.'"));
            return;
        }
        e.type = r.fhirType();
        e.id = id;
        List<Reference> conditional = resolver != null || escaped ? conditionalReferences(r) : List.of();
        if (!conditional.isEmpty()) {
            if (resolver == null) {
                e.deferred = true;
                e.text = null;
                return;
            }
            List<String> waiting = new ArrayList<>();
            for (Reference ref : conditional) {
                String target;
                try {
                    target = resolver.resolve(ref.getReference());
                } catch (KaryoException x) {
                    e.refuse(Refusal.of(x));
                    return;
                }
                if (target == null) {
                    waiting.add(ref.getReference());
                } else {
                    ref.setReference(target);
                }
            }
            if (!waiting.isEmpty()) {
                e.conditionals = waiting;
                return;
            }
            e.conditionals = List.of();
        }
        e.text = null;
        e.resource = r;
        e.index = extractor.extract(r);
        if (!THROUGH_WRITER.contains(e.type)) {
            e.body = BodyTemplate.of(r, id).escapeAhead();
            e.copyKeys = SetWriter.copyKeys(e.index);
            e.copyRng = SetWriter.floatArray(e.index.rng());
        }
    }

    /** Every Reference of {@code r} (contained resources included) whose reference is a search. */
    static List<Reference> conditionalReferences(Resource r) {
        List<Reference> out = new ArrayList<>();
        collect(r, out, 0);
        return out;
    }

    private static void collect(Base b, List<Reference> out, int depth) {
        if (depth > 64) {
            return;
        }
        if (b instanceof Reference ref && ref.hasReference() && isConditional(ref.getReference())) {
            out.add(ref);
        }
        if (b instanceof DomainResource d) {
            for (Resource c : d.getContained()) {
                collect(c, out, depth + 1);
            }
        }
        for (Property p : b.children()) {
            if (p.getName().equals("contained")) {
                continue;
            }
            for (Base v : p.getValues()) {
                if (v != null && !(v instanceof Resource)) {
                    collect(v, out, depth + 1);
                }
            }
        }
    }

    /** Whether a reference is conditional: {@code Type?criteria}. */
    static boolean isConditional(String ref) {
        int q = ref.indexOf('?');
        if (q <= 0) {
            return false;
        }
        for (int i = 0; i < q; i++) {
            if (!Character.isLetter(ref.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
