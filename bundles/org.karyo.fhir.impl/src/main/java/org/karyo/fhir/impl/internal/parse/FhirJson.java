package org.karyo.fhir.impl.internal.parse;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.CharArrayReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Resource;

/**
 * Strict JSON parsing and writing of FHIR R5 resources. Build one and share it: it is immutable and thread-safe.
 *
 * <p>{@link #parse} returns a resource only when the input is valid R5 JSON as far as the structure definitions go,
 * and otherwise throws {@link FhirInputException} with every issue found (up to {@link #MAX_ISSUES}), each with a
 * FHIRPath location. It never throws anything else for bad input. In order:
 *
 * <ol>
 *   <li>the body is read up to {@link Limits#maxBytes()} (beyond: 413) and decoded as strict UTF-8;
 *   <li>a streaming pre-scan ({@link JsonTree}) enforces nesting depth, string length and array size, and rejects
 *       syntax errors, duplicate keys, control characters and unpaired surrogates, before anything builds a tree;
 *   <li>a check of that tree against HAPI's R5 definitions ({@link JsonChecker}): unknown elements, JSON types,
 *       primitive formats, required codes, narratives, and every missing required element;
 *   <li>HAPI's parser builds the model (its error handler should find nothing left; whatever it still reports
 *       becomes an issue too);
 *   <li>the required-element check on the model ({@link #missingRequired}), the same one other code runs on
 *       resources it builds or receives already parsed (transaction entries).
 * </ol>
 */
public final class FhirJson {
    /** At most this many issues are reported for one input; one more says that the list was cut. */
    public static final int MAX_ISSUES = 100;

    /**
     * Limits on one input.
     *
     * @param maxBytes the largest body, in bytes (a larger one is a 413)
     * @param maxDepth the deepest nesting of JSON objects and arrays (the root object is level 1), also of narrative
     *     XHTML elements; at most {@link #MAX_DEPTH}
     * @param maxStringLength the longest JSON string or key, in UTF-16 characters (FHIR says 1 MB); it also bounds
     *     base64Binary attachments
     * @param maxArrayLength the most items in a JSON array, and members in an object
     */
    public record Limits(long maxBytes, int maxDepth, int maxStringLength, int maxArrayLength) {
        /** The highest {@link #maxDepth} allowed: the checks recurse once per level. */
        public static final int MAX_DEPTH = 256;

        /** 16 MiB, 64 levels, 1 MiB strings, 100,000 items. */
        public static final Limits DEFAULT = new Limits(16L << 20, 64, 1 << 20, 100_000);

        public Limits {
            if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxBytes must be between 1 and 2 GiB: " + maxBytes);
            }
            if (maxDepth < 2 || maxDepth > MAX_DEPTH) {
                throw new IllegalArgumentException("maxDepth must be between 2 and " + MAX_DEPTH + ": " + maxDepth);
            }
            if (maxStringLength < 1 || maxArrayLength < 1) {
                throw new IllegalArgumentException("maxStringLength and maxArrayLength must be positive");
            }
        }

        /** These limits with another byte limit. */
        public Limits withMaxBytes(long bytes) {
            return new Limits(bytes, maxDepth, maxStringLength, maxArrayLength);
        }
    }

    private final FhirContext ctx;
    private final Shapes shapes;
    private final ConcurrentHashMap<Integer, JsonFactory> factories = new ConcurrentHashMap<>();
    private final AtomicLong lateIssues = new AtomicLong();

    /** Uses HAPI's shared R5 context. */
    public FhirJson() {
        this(FhirContext.forR5Cached());
    }

    /** Uses {@code ctx}, which must be an R5 context. */
    public FhirJson(FhirContext ctx) {
        if (ctx.getVersion().getVersion() != FhirVersionEnum.R5) {
            throw new IllegalArgumentException(
                    "FhirJson needs an R5 FhirContext, not " + ctx.getVersion().getVersion());
        }
        this.ctx = ctx;
        this.shapes = new Shapes(ctx);
        factory(Limits.DEFAULT);
    }

    /**
     * Jackson's parser for these limits: it stops reading a string as soon as it passes the limit (a 5 MB string costs
     * no more than a 1 MB one). One factory per string limit, kept: callers use a handful of limits.
     */
    private JsonFactory factory(Limits limits) {
        return factories.computeIfAbsent(limits.maxStringLength(), max -> JsonFactory.builder()
                // no shared symbol table that hostile keys could fill (Jackson throws on hash flooding)
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Limits.MAX_DEPTH + 1)
                        .maxNumberLength(1000)
                        .maxNameLength(Math.min(max, 50_000))
                        .maxStringLength(max)
                        .build())
                .build());
    }

    /** The HAPI context (R5). */
    public FhirContext context() {
        return ctx;
    }

    /** Loads HAPI's definitions of every resource type now rather than on first use (about a second). */
    public void warmUp() {
        for (String type : ctx.getResourceTypes()) {
            shapes.of(shapes.resource(type));
        }
    }

    /**
     * Parses one resource.
     *
     * @param in the JSON body, read up to {@code limits.maxBytes() + 1} bytes and not closed
     * @param expectedType the resource type the caller requires (the type of the URL), or {@code null} for any
     * @param limits the limits
     * @throws FhirInputException when the input is not an acceptable R5 resource
     * @throws UncheckedIOException when reading {@code in} fails
     */
    public Resource parse(InputStream in, String expectedType, Limits limits) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(limits, "limits");
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) limits.maxBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > limits.maxBytes()) {
            throw tooLarge(expectedType, limits);
        }
        CharBuffer text = decode(bytes, expectedType, limits);
        return parseText(text.array(), text.limit(), expectedType, limits);
    }

    /** Parses one resource of any type with the default limits. */
    public Resource parse(String json) {
        return parse(json, null, Limits.DEFAULT);
    }

    /** Parses one resource from text already decoded. */
    public Resource parse(String json, String expectedType, Limits limits) {
        Objects.requireNonNull(json, "json");
        if (json.length() > limits.maxBytes() || utf8Length(json) > limits.maxBytes()) {
            throw tooLarge(expectedType, limits);
        }
        String text = json.startsWith("\uFEFF") ? json.substring(1) : json;
        return parseText(text.toCharArray(), text.length(), expectedType, limits);
    }

    /**
     * Writes a resource as compact JSON (versions in references and Bundle entry ids are kept as they are). HAPI's
     * encoder touches the resource while it writes it (see {@link #entriesWithoutId}): do not write one resource
     * instance from several threads at once.
     */
    public String write(Resource resource) {
        List<Resource> withoutId = entriesWithoutId(resource);
        try {
            return newParser(null).encodeResourceToString(resource);
        } finally {
            clearIds(withoutId);
        }
    }

    /** Writes a resource as compact UTF-8 JSON to {@code out}, which is flushed, not closed. */
    public void write(Resource resource, OutputStream out) {
        List<Resource> withoutId = entriesWithoutId(resource);
        try {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            newParser(null).encodeResourceToWriter(resource, w);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            clearIds(withoutId);
        }
    }

    /**
     * Every element with a minimum cardinality of 1 that {@code resource} lacks (absent or empty; a primitive with
     * only extensions is present), recursively through present elements, contained resources and Bundle entries,
     * each with its FHIRPath location ({@code Patient.link[0].other}, {@code Bundle.entry[3].resource.code}). An
     * empty list when nothing is missing.
     */
    public List<Issue> missingRequired(Resource resource) {
        return checkModel(resource, false);
    }

    /**
     * {@link #missingRequired} plus the format of every resource id: what a resource built in code, or parsed by
     * someone else, must pass before it is stored.
     */
    public List<Issue> check(Resource resource) {
        return checkModel(resource, true);
    }

    /** Issues HAPI still reported after the checks passed (none expected: a count above 0 is a gap to close). */
    long lateIssueCount() {
        return lateIssues.get();
    }

    private List<Issue> checkModel(Resource resource, boolean ids) {
        Objects.requireNonNull(resource, "resource");
        Issues issues = new Issues(MAX_ISSUES);
        new ModelChecker(shapes, issues, ids).checkResource(resource, Path.root(resource.fhirType()), 1);
        return issues.list();
    }

    /**
     * HAPI's encoder gives every entry resource of a Bundle that has no id the entry's fullUrl as id (it changes the
     * resource it writes). Writing must not change what is written: those ids are cleared again afterwards.
     */
    private static List<Resource> entriesWithoutId(Resource resource) {
        if (!(resource instanceof Bundle bundle)) {
            return List.of();
        }
        List<Resource> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            Resource r = e.getResource();
            if (r != null && (r.getIdElement() == null || r.getIdElement().isEmpty())) {
                out.add(r);
            }
        }
        return out;
    }

    private static void clearIds(List<Resource> resources) {
        for (Resource r : resources) {
            r.setIdElement(null);
        }
    }

    private Resource parseText(char[] text, int length, String expectedType, Limits limits) {
        Issues issues = new Issues(MAX_ISSUES);
        JsonTree.Obj root =
                JsonTree.read(factory(limits), text, length, limits, issues, shapes::isResourceType, expectedType);
        if (root == null) {
            throw issues.exception();
        }
        String type = new JsonChecker(shapes, issues, limits.maxDepth()).checkRoot(root, expectedType);
        if (!issues.isEmpty() || type == null) {
            throw issues.exception();
        }
        Path rootPath = Path.root(type);
        IBaseResource parsed;
        try {
            parsed = newParser(new LateIssues(issues, rootPath)).parseResource(new CharArrayReader(text, 0, length));
        } catch (DataFormatException e) {
            issues.error(
                    Issue.STRUCTURE,
                    rootPath,
                    "The resource could not be parsed: " + Text.excerpt(String.valueOf(e.getMessage()), 300));
            parsed = null;
        } catch (RuntimeException | StackOverflowError e) {
            // a gap in the checks above: reported as bad input, and counted
            issues.error(Issue.STRUCTURE, rootPath, "The resource could not be parsed");
            parsed = null;
        }
        if (!issues.isEmpty() || !(parsed instanceof Resource resource)) {
            lateIssues.incrementAndGet();
            if (issues.isEmpty()) {
                issues.error(Issue.STRUCTURE, rootPath, "The resource could not be parsed");
            }
            throw issues.exception();
        }
        if (resource instanceof Bundle bundle) {
            restoreEntryIds(bundle, root);
        }
        new ModelChecker(shapes, issues, true).checkResource(resource, rootPath, 1);
        if (!issues.isEmpty()) {
            lateIssues.incrementAndGet();
            throw issues.exception();
        }
        return resource;
    }

    /**
     * HAPI's JSON parser replaces the id of every entry resource of a top-level Bundle by the entry's fullUrl, whatever
     * {@code setOverrideResourceIdWithBundleEntryFullUrl} says (8.8.1 ignores it on this path): a transaction entry
     * {@code {"fullUrl":"urn:uuid:…","resource":{"id":"a"}}} would lose {@code a}. The ids the client sent are put
     * back (the JSON tree has them); the fullUrl stays in {@code entry.fullUrl}.
     */
    private static void restoreEntryIds(Bundle bundle, JsonTree.Obj root) {
        if (!(root.get("entry") instanceof JsonTree.Arr entries)) {
            return;
        }
        List<Bundle.BundleEntryComponent> parsed = bundle.getEntry();
        for (int i = 0; i < parsed.size() && i < entries.items.size(); i++) {
            Resource r = parsed.get(i).getResource();
            if (r == null || !(entries.items.get(i) instanceof JsonTree.Obj entry)) {
                continue;
            }
            Object id = entry.get("resource") instanceof JsonTree.Obj res ? res.get("id") : null;
            if (id instanceof String s) {
                String version = r.hasMeta() ? r.getMeta().getVersionId() : null;
                r.setIdElement(new IdType(r.fhirType(), s, version));
            } else {
                r.setIdElement(null);
            }
        }
    }

    private IParser newParser(IParserErrorHandler handler) {
        IParser p = ctx.newJsonParser();
        if (handler != null) {
            p.setParserErrorHandler(handler);
        }
        // keep what the client sent: HAPI would otherwise replace entry resource ids by the fullUrl and drop
        // versions from references
        p.setOverrideResourceIdWithBundleEntryFullUrl(false);
        p.setStripVersionsFromReferences(false);
        return p;
    }

    /** Strict UTF-8 (a BOM is skipped); the text is the buffer's array up to its limit. */
    private CharBuffer decode(byte[] bytes, String expectedType, Limits limits) {
        int start =
                bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF
                        ? 3
                        : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int offset = in.position();
            String where = JsonTree.locationAtEnd(
                    factory(limits), out.array(), out.position(), shapes::isResourceType, expectedType);
            throw FhirInputException.of(new Issue(
                    Issue.Severity.FATAL,
                    Issue.STRUCTURE,
                    where,
                    "The body is not valid UTF-8: invalid byte sequence at byte offset " + offset));
        }
        out.flip();
        return out;
    }

    private FhirInputException tooLarge(String expectedType, Limits limits) {
        String root = expectedType != null && shapes.isResourceType(expectedType) ? expectedType : "Resource";
        return new FhirInputException(
                413,
                List.of(new Issue(
                        Issue.Severity.FATAL,
                        Issue.TOO_LONG,
                        root,
                        "The body is larger than " + limits.maxBytes() + " bytes")));
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * HAPI's error handler, collecting instead of throwing: anything it reports after the checks above passed is a
     * gap in those checks, reported (with the coarse location HAPI gives) rather than let through.
     */
    private static final class LateIssues implements IParserErrorHandler {
        private final Issues issues;
        private final Path root;

        LateIssues(Issues issues, Path root) {
            this.issues = issues;
            this.root = root;
        }

        private Path at(IParseLocation location, String name) {
            Path p = root;
            if (location != null && location.getParentElementName() != null) {
                p = p.child(location.getParentElementName());
            }
            return name == null ? p : p.child(name);
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            issues.error(Issue.REQUIRED, at(location, "contained"), "A contained resource must have an id");
        }

        @Override
        public void incorrectJsonType(
                IParseLocation location,
                String elementName,
                ValueType expectedValueType,
                ScalarType expectedScalarType,
                ValueType foundValueType,
                ScalarType foundScalarType) {
            issues.error(
                    Issue.STRUCTURE,
                    at(location, elementName),
                    "Wrong JSON type: expected " + expectedValueType + ", found " + foundValueType);
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            issues.error(
                    Issue.VALUE,
                    at(location, null),
                    "Invalid value " + Text.quoted(String.valueOf(value)) + ": "
                            + Text.excerpt(String.valueOf(error), 200));
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String elementName) {
            issues.error(Issue.REQUIRED, at(location, elementName), "Required element " + elementName + " is missing");
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
            issues.error(Issue.STRUCTURE, at(location, elementName), "The element does not repeat");
        }

        @Override
        public void unknownAttribute(IParseLocation location, String attributeName) {
            issues.error(Issue.STRUCTURE, at(location, attributeName), "Unknown attribute");
        }

        @Override
        public void unknownElement(IParseLocation location, String elementName) {
            issues.error(Issue.STRUCTURE, at(location, elementName), "Unknown element");
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            issues.error(
                    Issue.INVALID, at(location, null), "Unknown reference " + Text.quoted(String.valueOf(reference)));
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            issues.error(
                    Issue.INVALID,
                    at(location, null),
                    "The local reference " + Text.quoted(String.valueOf(reference)) + " names no contained resource");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            issues.error(
                    Issue.INVALID,
                    at(location, null),
                    "An extension cannot have both a value and nested" + " extensions (ext-1)");
        }
    }
}
