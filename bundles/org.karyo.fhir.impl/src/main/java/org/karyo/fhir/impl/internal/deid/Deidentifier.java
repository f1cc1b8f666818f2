package org.karyo.fhir.impl.internal.deid;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.Element;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.Deidentification;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Action;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Kind;
import org.karyo.fhir.impl.internal.deid.DeidProfile.Rule;

/**
 * The de-identification profile pseudonymised readers get ({@code docs/fhir-deidentification.md}; the profile itself
 * is the data file {@code deid-profile.txt} next to {@link DeidProfile}).
 *
 * <p>{@link #deidentify} returns a deep copy keeping only what the profile allows: it walks the copy with HAPI's model
 * definitions, so it works for every R5 resource type, nested resources (a Bundle's entries) included. Identifier
 * values become keyed pseudonyms, {@code PSN-} + the RFC 4648 base32 of the first 10 bytes of HMAC-SHA256(key,
 * {@code system + "|" + value}), the same everywhere the identifier occurs (also in {@code Reference.identifier}), so
 * records stay linkable. The copy carries the security label {@code v3-ObservationValue|PSEUDED}. A resource with a
 * modifier extension the profile does not know is refused ({@link RefusedResourceException}): without the extension
 * its meaning would change, with it the extension could leak.
 *
 * <p>{@link #searchable(String, String, String)} says whether a search parameter reads only elements the profile keeps
 * unchanged, from its FHIRPath expression; the store refuses the others (and {@code _sort}, chains and
 * {@code _include}s through them) with 403 for pseudonymised callers.
 *
 * <p>Thread-safe.
 */
public final class Deidentifier implements Deidentification {

    /** The security label system of the label added to every de-identified resource. */
    public static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    /** The security label code added to every de-identified resource. */
    public static final String PSEUDED = "PSEUDED";

    /** The extension that marks a required element whose content was removed ({@code masked}). */
    public static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    /** The length of the pseudonym key, in bytes. */
    public static final int KEY_BYTES = 32;

    static final FhirContext FHIR = FhirContext.forR5Cached();

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int PSEUDONYM_BYTES = 10;

    /** An initialised MAC, cloned for each de-identification (cheaper than looking one up and keying it). */
    private final Mac prototype;

    private final SecretKeySpec key;
    private final DeidProfile profile;

    /** A de-identifier with Karyo's profile and the FHIR module's pseudonym key (32 bytes, copied). */
    public Deidentifier(byte[] key) {
        this(key, DeidProfile.standard());
    }

    Deidentifier(byte[] key, DeidProfile profile) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the pseudonym key must be " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.prototype = freshMac();
    }

    /**
     * A pseudonymised deep copy of {@code resource}; the argument is not changed.
     *
     * @throws RefusedResourceException when the resource (or a resource nested in it) carries a modifier extension
     *     the profile does not know
     */
    @Override
    public Resource deidentify(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        Resource copy = resource.copy();
        new Walk(copy).resource(copy);
        if (copy.getMeta().getSecurity(SECURITY_SYSTEM, PSEUDED) == null) {
            copy.getMeta().addSecurity(new Coding(SECURITY_SYSTEM, PSEUDED, "pseudonymized"));
        }
        return copy;
    }

    /** The pseudonym of identifier {@code system|value} ({@code system} may be null: it counts as empty). */
    public String pseudonym(String system, String value) {
        Objects.requireNonNull(value, "value");
        return pseudonym(newMac(), system, value);
    }

    /**
     * Whether built-in search parameter {@code code} of resource type {@code type} reads only elements the profile
     * keeps unchanged (its expression from HAPI's model). An unknown parameter is not searchable: pass a custom
     * parameter's expression to {@link #searchable(String, String, String)}.
     */
    @Override
    public boolean searchable(String type, String code) {
        return searchRefusal(type, code).isEmpty();
    }

    /** Why {@link #searchable(String, String)} is false, in a sentence a client may read; empty when it is true. */
    public Optional<String> searchRefusal(String type, String code) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        if (profile.searchOverride(type, code).isPresent()) {
            return SearchCheck.refusal(profile, type, code, "");
        }
        RuntimeResourceDefinition def;
        try {
            def = FHIR.getResourceDefinition(type);
        } catch (RuntimeException e) {
            return Optional.of("Unknown resource type " + type);
        }
        RuntimeSearchParam param = def.getSearchParam(code);
        if (param == null) {
            return Optional.of("Search parameter " + type + "." + code
                    + " is not available to pseudonymised readers: the de-identification profile does not know it");
        }
        return SearchCheck.refusal(profile, type, param);
    }

    /**
     * Whether {@code param} (of HAPI's model, or built like them for a custom SearchParameter) of resource type
     * {@code type} reads only elements the standard profile keeps unchanged; a composite parameter is checked through
     * its components.
     */
    public static boolean searchable(String type, RuntimeSearchParam param) {
        return SearchCheck.refusal(DeidProfile.standard(), type, param).isEmpty();
    }

    /** Why {@link #searchable(String, RuntimeSearchParam)} is false, in a sentence a client may read; or empty. */
    public static Optional<String> searchRefusal(String type, RuntimeSearchParam param) {
        return SearchCheck.refusal(DeidProfile.standard(), type, param);
    }

    /**
     * Whether search parameter {@code code} of resource type {@code type}, whose FHIRPath expression is
     * {@code expression} (HAPI's {@code RuntimeSearchParam.getPath()}, or a custom SearchParameter's), reads only
     * elements the standard profile keeps unchanged. An expression the analysis does not understand is not
     * searchable.
     */
    public static boolean searchable(String type, String code, String expression) {
        return searchRefusal(type, code, expression).isEmpty();
    }

    /** Why {@link #searchable(String, String, String)} is false, in a sentence a client may read; empty when true. */
    public static Optional<String> searchRefusal(String type, String code, String expression) {
        return SearchCheck.refusal(DeidProfile.standard(), type, code, expression);
    }

    /**
     * Whether a search modifier may be used by a pseudonymised caller on a searchable parameter: not {@code :text}
     * nor {@code :text-advanced} (they read {@code CodeableConcept.text} and free text), nor {@code :identifier} (it
     * matches a reference's real identifier).
     */
    public static boolean modifierSearchable(String modifier) {
        Objects.requireNonNull(modifier, "modifier");
        return switch (modifier.toLowerCase(Locale.ROOT)) {
            case "text", "text-advanced", "identifier" -> false;
            default -> true;
        };
    }

    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return freshMac();
        }
    }

    private Mac freshMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static String pseudonym(Mac mac, String system, String value) {
        String input = (system == null ? "" : system) + "|" + value;
        byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        return "PSN-" + base32(digest, PSEUDONYM_BYTES);
    }

    /** Base32 (RFC 4648 alphabet, no padding) of the first {@code n} bytes, {@code n} a multiple of 5. */
    static String base32(byte[] data, int n) {
        StringBuilder out = new StringBuilder(n * 8 / 5);
        for (int i = 0; i < n; i += 5) {
            long block = 0;
            for (int j = 0; j < 5; j++) {
                block = (block << 8) | (data[i + j] & 0xff);
            }
            for (int s = 35; s >= 0; s -= 5) {
                out.append(ALPHABET.charAt((int) ((block >>> s) & 31)));
            }
        }
        return out.toString();
    }

    /** The FHIR type name the profile uses for a composite value (SimpleQuantity is a Quantity). */
    static Kind kindOf(Base value) {
        if (value instanceof Resource) {
            return Kind.RESOURCE;
        }
        if (value.isPrimitive()) {
            return Kind.PRIMITIVE;
        }
        return value instanceof DataType ? Kind.DATATYPE : Kind.BLOCK;
    }

    /** One de-identification: the walk over one copy, with its own MAC. */
    private final class Walk {
        private final Resource root;
        private Mac mac;

        Walk(Resource root) {
            this.root = root;
        }

        void resource(Resource resource) {
            composite(resource, FHIR.getResourceDefinition(resource), resource.fhirType(), null);
        }

        /**
         * Cleans the children of {@code element}, whose definition is {@code def} and profile context
         * {@code context}; {@code extensionUrl} is the URL of the extension {@code element} is (its sub-extensions
         * are looked up under it), or null.
         */
        private void composite(
                Base element, BaseRuntimeElementCompositeDefinition<?> def, String context, String extensionUrl) {
            for (BaseRuntimeChildDefinition child : def.getChildren()) {
                List<? extends IBase> values = child.getAccessor().getValues(element);
                if (values.isEmpty()) {
                    continue;
                }
                String name = child.getElementName();
                List<IBase> kept = new ArrayList<>(values.size());
                IBase removed = null;
                boolean changed = false;
                for (IBase value : values) { // the live list: it is only replaced after the loop
                    IBase out = value(element, context, name, value, extensionUrl);
                    if (out != value) {
                        changed = true;
                    }
                    if (out != null) {
                        kept.add(out);
                    } else if (removed == null) {
                        removed = value;
                    }
                }
                if (kept.isEmpty() && removed != null && child.getMin() > 0) {
                    IBase masked = masked(removed);
                    if (masked != null) {
                        kept.add(masked);
                    }
                }
                if (changed) {
                    child.getMutator().setValue(element, null);
                    for (IBase k : kept) {
                        child.getMutator().addValue(element, k);
                    }
                }
            }
        }

        /** The cleaned value (the same object, changed in place, or a replacement), or null to remove it. */
        private IBase value(Base parent, String context, String name, IBase raw, String extensionUrl) {
            if (!(raw instanceof Base value)) {
                return null; // XHTML nodes: only Narrative.div, and Narrative is removed whole
            }
            if (value instanceof Extension ext && ("extension".equals(name) || "modifierExtension".equals(name))) {
                return extension(ext, extensionUrl, "modifierExtension".equals(name));
            }
            Kind kind = kindOf(value);
            String type = value.fhirType();
            Rule rule = profile.decide(context, name, type, kind);
            Action effect = DeidProfile.effect(rule.action(), type, kind);
            if (effect == Action.DROP) {
                return null;
            }
            switch (kind) {
                case PRIMITIVE -> {
                    return primitive(parent, (PrimitiveType<?>) value, rule, effect);
                }
                case RESOURCE -> {
                    resource((Resource) value);
                    return value;
                }
                case DATATYPE, BLOCK -> {
                    BaseRuntimeElementDefinition<?> def = FHIR.getElementDefinition(value.getClass());
                    if (!(def instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
                        return null;
                    }
                    composite(value, composite, type, null);
                    return value.isEmpty() ? null : value;
                }
            }
            return null;
        }

        private IBase primitive(Base parent, PrimitiveType<?> value, Rule rule, Action effect) {
            IBase out = value;
            switch (effect) {
                case YEAR -> reduce(value, TemporalPrecisionEnum.YEAR);
                case YEAR_MONTH -> reduce(value, TemporalPrecisionEnum.MONTH);
                case PSEUDONYM -> {
                    if (value.hasValue()) {
                        String system = rule.argument() != null
                                ? rule.argument()
                                : parent instanceof Identifier id ? id.getSystem() : null;
                        value.setValueAsString(pseudonym(mac(), system, value.getValueAsString()));
                    }
                }
                case BOOLEAN -> out = new BooleanType(true);
                case KEEP -> {
                    if (rule.action() == Action.REFERENCE && value.hasValue()) {
                        String reference = value.getValueAsString();
                        if (reference.startsWith("#") || reference.indexOf('?') >= 0) {
                            return null; // a contained resource (removed with contained), or a search by identifier
                        }
                    }
                }
                case DROP -> {
                    return null;
                }
                default -> throw new IllegalStateException("no transformation " + effect);
            }
            if (out == value) {
                primitiveExtensions(value);
                return value.isEmpty() ? null : value;
            }
            return out;
        }

        private void reduce(PrimitiveType<?> value, TemporalPrecisionEnum precision) {
            if (value instanceof BaseDateTimeType date
                    && date.getValue() != null
                    && date.getPrecision().ordinal() > precision.ordinal()) {
                date.setPrecision(precision); // encoded in the value's own time zone: the local date's year
            }
        }

        /** The id and extensions of a primitive (JSON's {@code _element}): extensions by the allow-list. */
        private void primitiveExtensions(PrimitiveType<?> value) {
            if (!(value instanceof IdType) && value.getId() != null) {
                value.setId(null);
            }
            if (value.hasExtension()) {
                List<Extension> kept = new ArrayList<>();
                for (Extension ext : value.getExtension()) {
                    IBase out = extension(ext, null, false);
                    if (out != null) {
                        kept.add(ext);
                    }
                }
                value.getExtension().clear();
                value.getExtension().addAll(kept);
            }
        }

        private IBase extension(Extension ext, String parentUrl, boolean modifier) {
            String url = ext.getUrl();
            boolean known = modifier
                    ? profile.modifierAllowed(url)
                    : parentUrl == null ? profile.extensionAllowed(url) : profile.subExtensionAllowed(parentUrl, url);
            if (!known) {
                if (modifier) {
                    throw new RefusedResourceException(root, url);
                }
                return null;
            }
            String scope = parentUrl == null ? url : parentUrl + "|" + url;
            composite(
                    ext,
                    (BaseRuntimeElementCompositeDefinition<?>) FHIR.getElementDefinition(Extension.class),
                    "Extension",
                    scope);
            return ext.hasValue() || ext.hasExtension() ? ext : null;
        }

        /** A replacement for a required element whose content was removed: empty, with data-absent-reason masked. */
        private IBase masked(IBase removed) {
            Element placeholder;
            if (removed instanceof PrimitiveType<?> p) {
                PrimitiveType<?> copy = (PrimitiveType<?>) p.copy();
                copy.setValue(null);
                copy.getExtension().clear();
                copy.setId(null);
                placeholder = copy;
            } else if (removed instanceof Element e) {
                Object fresh = FHIR.getElementDefinition(e.getClass()).newInstance();
                if (!(fresh instanceof Element f)) {
                    return null;
                }
                placeholder = f;
            } else {
                return null;
            }
            placeholder.addExtension(DATA_ABSENT_REASON, new CodeType("masked"));
            return placeholder;
        }

        private Mac mac() {
            if (mac == null) {
                mac = newMac();
            }
            return mac;
        }
    }
}
