package org.karyo.fhir.impl.internal.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The de-identification profile as data: read from {@code deid-profile.txt} next to this class, whose header describes
 * the syntax (and {@code docs/fhir-deidentification.md} the decisions). Immutable and thread-safe.
 *
 * <p>Elements are named the way HAPI's model names them: a context (a resource type, a backbone element's FHIR path
 * such as {@code Patient.contact}, or a datatype's FHIR name such as {@code Coding}), an element name (the file writes
 * {@code deceased[x]} for a choice element, as FHIR does; lookups use HAPI's {@code deceased}) and the FHIR type of
 * the value ({@code string}, {@code HumanName}, …).
 */
final class DeidProfile {

    /** The resource next to this class the standard profile is read from. */
    static final String RESOURCE = "deid-profile.txt";

    /** What happens to an element. */
    enum Action {
        KEEP,
        DROP,
        YEAR,
        YEAR_MONTH,
        PSEUDONYM,
        REFERENCE,
        BOOLEAN;

        static Action parse(String s) {
            return switch (s) {
                case "keep" -> KEEP;
                case "drop" -> DROP;
                case "year" -> YEAR;
                case "year-month" -> YEAR_MONTH;
                case "pseudonym" -> PSEUDONYM;
                case "reference" -> REFERENCE;
                case "boolean" -> BOOLEAN;
                default -> throw new IllegalArgumentException("unknown action '" + s + "'");
            };
        }
    }

    /** What a value is, as far as the profile cares. */
    enum Kind {
        PRIMITIVE,
        DATATYPE,
        BLOCK,
        RESOURCE
    }

    /** A decision: the action, and its argument (the pseudonym's system), or {@code null}. */
    record Rule(Action action, String argument) {
        static final Rule KEEP = new Rule(Action.KEEP, null);
        static final Rule DROP = new Rule(Action.DROP, null);
    }

    /** How a datatype is treated inside. */
    enum Mode {
        /** Only the listed children are kept. */
        LIST,
        /** The datatype is removed wherever it occurs. */
        REMOVED,
        /** The default rule applies to its children, as in a resource. */
        DEFAULT
    }

    record TypeRule(Mode mode, Set<String> children) {}

    private static final Set<String> DATE_TYPES = Set.of("date", "dateTime", "instant");

    private final Set<String> safe;
    private final Map<String, TypeRule> types;
    private final Map<String, Rule> paths;
    /** The path rules by context, then element name without {@code [x]} (the lookup of every value). */
    private final Map<String, Map<String, Rule>> byContext;

    private final Map<String, Set<String>> extensions;
    private final Set<String> modifiers;
    private final Map<String, List<String>> reads;
    private final Map<String, Boolean> searches;

    private DeidProfile(
            Set<String> safe,
            Map<String, TypeRule> types,
            Map<String, Rule> paths,
            Map<String, Set<String>> extensions,
            Set<String> modifiers,
            Map<String, List<String>> reads,
            Map<String, Boolean> searches) {
        this.safe = Set.copyOf(safe);
        this.types = Map.copyOf(types);
        this.paths = Map.copyOf(paths);
        Map<String, Map<String, Rule>> index = new HashMap<>();
        paths.forEach((path, rule) -> {
            int dot = path.lastIndexOf('.');
            index.computeIfAbsent(path.substring(0, dot), k -> new HashMap<>())
                    .put(element(path.substring(dot + 1)), rule);
        });
        index.replaceAll((k, v) -> Map.copyOf(v));
        this.byContext = Map.copyOf(index);
        this.extensions = Map.copyOf(extensions);
        this.modifiers = Set.copyOf(modifiers);
        this.reads = Map.copyOf(reads);
        this.searches = Map.copyOf(searches);
    }

    /** The profile Karyo ships ({@value #RESOURCE}). */
    static DeidProfile standard() {
        return Standard.PROFILE;
    }

    private static final class Standard {
        static final DeidProfile PROFILE = load();

        private static DeidProfile load() {
            try (InputStream in = DeidProfile.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the de-identification profile " + RESOURCE + " is missing");
                }
                List<String> lines = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                }
                return parse(lines);
            } catch (IOException e) {
                throw new UncheckedIOException("the de-identification profile could not be read", e);
            }
        }
    }

    /** Parses a profile; a malformed line is an {@link IllegalArgumentException} naming its number. */
    static DeidProfile parse(List<String> lines) {
        Set<String> safe = new HashSet<>();
        Map<String, TypeRule> types = new HashMap<>();
        Map<String, Rule> paths = new HashMap<>();
        Map<String, Set<String>> extensions = new HashMap<>();
        Set<String> modifiers = new HashSet<>();
        Map<String, List<String>> reads = new HashMap<>();
        Map<String, Boolean> searches = new HashMap<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> w = Arrays.asList(line.split("\\s+"));
            try {
                String verb = w.get(0);
                List<String> args = w.subList(1, w.size());
                switch (verb) {
                    case "safe" -> safe.addAll(atLeast(args, 1));
                    case "type" -> {
                        atLeast(args, 2);
                        TypeRule rule =
                                switch (args.get(1)) {
                                    case "-" -> new TypeRule(Mode.REMOVED, Set.of());
                                    case "*" -> new TypeRule(Mode.DEFAULT, Set.of());
                                    default -> new TypeRule(Mode.LIST, elements(args.subList(1, args.size())));
                                };
                        unique(types.put(args.get(0), rule), args.get(0));
                    }
                    case "path" -> {
                        atLeast(args, 2);
                        if (args.size() > 3 || !args.get(0).contains(".")) {
                            throw new IllegalArgumentException(
                                    "expected: path <Context>.<element> <action> [argument]");
                        }
                        Action action = Action.parse(args.get(1));
                        String argument = args.size() == 3 ? args.get(2) : null;
                        if (argument != null && action != Action.PSEUDONYM) {
                            throw new IllegalArgumentException("only pseudonym takes an argument");
                        }
                        unique(paths.put(args.get(0), new Rule(action, argument)), args.get(0));
                    }
                    case "extension" -> {
                        atLeast(args, 1);
                        unique(extensions.put(args.get(0), Set.copyOf(args.subList(1, args.size()))), args.get(0));
                    }
                    case "modifier" -> modifiers.addAll(atLeast(args, 1));
                    case "reads" -> {
                        atLeast(args, 2);
                        unique(
                                reads.put(args.get(0), List.copyOf(elements(args.subList(1, args.size())))),
                                args.get(0));
                    }
                    case "search" -> {
                        atLeast(args, 3);
                        boolean allow =
                                switch (args.get(2)) {
                                    case "allow" -> true;
                                    case "refuse" -> false;
                                    default -> throw new IllegalArgumentException("expected allow or refuse");
                                };
                        unique(searches.put(args.get(0) + "." + args.get(1), allow), args.get(0) + "." + args.get(1));
                    }
                    default -> throw new IllegalArgumentException("unknown line '" + verb + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "de-identification profile, line " + number + ": " + e.getMessage(), e);
            }
        }
        return new DeidProfile(safe, types, paths, extensions, modifiers, reads, searches);
    }

    /** An element name as HAPI names it: a choice element without its {@code [x]}. */
    private static String element(String name) {
        return name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
    }

    private static Set<String> elements(List<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            out.add(element(n));
        }
        return Set.copyOf(out);
    }

    private static List<String> atLeast(List<String> args, int n) {
        if (args.size() < n) {
            throw new IllegalArgumentException("expected at least " + n + " argument(s)");
        }
        return args;
    }

    private static void unique(Object previous, String name) {
        if (previous != null) {
            throw new IllegalArgumentException(name + " is ruled twice");
        }
    }

    /**
     * The decision for a value of FHIR type {@code valueType} in element {@code element} (HAPI's element name: a
     * choice element without {@code [x]}) of {@code context}, before
     * the value's own content is considered. In order: {@code contained} is removed; a datatype without a rule, or
     * ruled {@code -}, is removed wherever it occurs; a {@code path} line decides; inside a datatype with a list, only
     * the listed children are kept; otherwise (resources, backbone elements, datatypes ruled {@code *}) a primitive
     * is kept when its type is safe, and datatypes, backbone elements and nested resources are kept (and cleaned).
     * A path rule that transforms applies to the types it can transform (see {@link #effect}); a value of another
     * primitive type of the same choice element follows the other rules (a {@code bornString} is free text).
     */
    Rule decide(String context, String element, String valueType, Kind kind) {
        if (kind == Kind.RESOURCE && "contained".equals(element)) {
            return Rule.DROP;
        }
        if (kind == Kind.DATATYPE) {
            TypeRule own = types.get(valueType);
            if (own == null || own.mode() == Mode.REMOVED) {
                return Rule.DROP;
            }
        }
        Map<String, Rule> inContext = byContext.get(context);
        Rule path = inContext == null ? null : inContext.get(element);
        if (path != null && applies(path.action(), valueType, kind)) {
            return path;
        }
        TypeRule inside = types.get(context);
        if (inside != null && inside.mode() != Mode.DEFAULT) {
            return inside.children().contains(element) ? Rule.KEEP : Rule.DROP;
        }
        if (kind == Kind.PRIMITIVE) {
            return safe.contains(valueType) ? Rule.KEEP : Rule.DROP;
        }
        return Rule.KEEP;
    }

    /** Whether a path rule's action concerns a value of that type (otherwise the value follows the other rules). */
    private static boolean applies(Action action, String valueType, Kind kind) {
        return switch (action) {
            case KEEP, DROP, REFERENCE -> true;
                // a composite (a Period, an Age) under a date rule is removed: its dates cannot be reduced one by one
            case YEAR, YEAR_MONTH -> kind != Kind.PRIMITIVE || DATE_TYPES.contains(valueType);
            case BOOLEAN -> kind == Kind.PRIMITIVE && ("integer".equals(valueType) || "boolean".equals(valueType));
            case PSEUDONYM -> kind == Kind.PRIMITIVE;
        };
    }

    /**
     * What a rule's action does to a value of that type and kind: {@link Action#KEEP} when it leaves it unchanged,
     * {@link Action#DROP} when it removes it, or the action itself when it transforms it.
     */
    static Action effect(Action action, String valueType, Kind kind) {
        return switch (action) {
            case KEEP, REFERENCE -> Action.KEEP;
            case DROP -> Action.DROP;
            case YEAR, YEAR_MONTH -> {
                if (kind != Kind.PRIMITIVE || "instant".equals(valueType)) {
                    yield Action.DROP; // a composite (a Period, an Age) or an instant cannot be reduced
                }
                yield DATE_TYPES.contains(valueType) ? action : Action.KEEP;
            }
            case BOOLEAN -> "integer".equals(valueType) ? Action.BOOLEAN : Action.KEEP;
            case PSEUDONYM -> kind == Kind.PRIMITIVE ? Action.PSEUDONYM : Action.DROP;
        };
    }

    /** Whether a top-level extension with this URL is kept. */
    boolean extensionAllowed(String url) {
        return url != null && extensions.containsKey(url);
    }

    /** Whether a sub-extension {@code url} of a kept extension {@code parent} is kept. */
    boolean subExtensionAllowed(String parent, String url) {
        Set<String> subs = extensions.get(parent);
        return url != null && subs != null && subs.contains(url);
    }

    /** Whether a modifier extension with this URL is kept (otherwise its resource is refused). */
    boolean modifierAllowed(String url) {
        return url != null && modifiers.contains(url);
    }

    /** The children a search parameter reads of a datatype it indexes, when the profile lists them. */
    Optional<List<String>> reads(String datatype) {
        return Optional.ofNullable(reads.get(datatype));
    }

    /** An explicit search decision for {@code type}'s parameter {@code code} ({@code *} lines apply to every type). */
    Optional<Boolean> searchOverride(String type, String code) {
        Boolean own = searches.get(type + "." + code);
        return Optional.ofNullable(own != null ? own : searches.get("*." + code));
    }

    /** The rule of a datatype, or {@code null} when it has none (and is removed). */
    TypeRule typeRule(String datatype) {
        return types.get(Objects.requireNonNull(datatype, "datatype"));
    }

    /** Every datatype with a rule, sorted. */
    Set<String> datatypes() {
        return new TreeSet<>(types.keySet());
    }

    /** Every path rule, by {@code Context.element}. */
    Map<String, Rule> paths() {
        return paths;
    }

    /** Every safe primitive type. */
    Set<String> safePrimitives() {
        return safe;
    }

    /** The kept extensions, with their kept sub-extensions. */
    Map<String, Set<String>> extensions() {
        return extensions;
    }
}
