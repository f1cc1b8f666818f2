package org.karyo.fhir.impl.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.SearchParameter;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Compares {@link CompiledPath#evaluate} with HAPI's FHIRPath engine over a corpus holding every R5 resource type, for
 * every search parameter of every type and every component of every composite.
 *
 * <p>Intentional differences, normalised before comparing:
 *
 * <ul>
 *   <li>A union removes duplicates by identity here; HAPI's removes items FHIRPath calls equal (two Quantities without
 *       value, two equal codings). Equal items index to the same keys, so both results are compared after removing
 *       equal items.
 *   <li>{@code x as T} on several items filters them like {@code ofType(T)}; HAPI raises an error by default (and so
 *       indexes nothing for, e.g., {@code AdverseEvent.substance}): the engine runs with {@code
 *       doNotEnforceAsSingletonRule}.
 *   <li>{@code resolve()} reads nothing: a reference resolves to a resource of the type its url or {@code type} names
 *       (HAPI's engine asks its host, which does the same here).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirPathConformanceTest {
    private static final int VARIANTS = 12;

    private SearchParamRegistry registry;
    private HapiFhirPath hapi;
    private CorpusGenerator generator;

    @BeforeAll
    void load() {
        long t0 = System.nanoTime();
        registry = new SearchParamRegistry();
        hapi = new HapiFhirPath();
        generator = new CorpusGenerator(FhirContext.forR5Cached(), 42);
        System.out.printf("HAPI FHIRPath engine and registry ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void everyParameterOfEveryTypeAgreesWithHapi() {
        Map<String, String> mismatches = new TreeMap<>();
        Set<String> withValues = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        int evaluations = 0;
        long t0 = System.nanoTime();
        for (String type : generator.types()) {
            for (int v = 0; v < VARIANTS; v++) {
                Resource r = generator.generate(type, v);
                for (SearchParam p : registry.forType(type)) {
                    if (p.path() == null) {
                        continue;
                    }
                    String name = type + "." + p.code();
                    all.add(name);
                    List<Base> mine = p.path().evaluate(r);
                    List<Base> theirs = hapi.evaluate(r, r, p.expression());
                    evaluations++;
                    if (!mine.isEmpty()) {
                        withValues.add(name);
                    }
                    String d = diff(mine, theirs);
                    if (d != null) {
                        mismatches.putIfAbsent(
                                name,
                                "variant " + v + ": " + d + " plan " + p.path().plan());
                    }
                    if (p.type() == ParamType.COMPOSITE) {
                        for (Base root : mine) {
                            for (SearchParam.Component c : p.components()) {
                                String cd = diff(c.path().evaluate(root, r), hapi.evaluate(r, root, c.expression()));
                                if (cd != null) {
                                    mismatches.putIfAbsent(name + "$" + c.code(), "variant " + v + ": " + cd);
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.printf(
                "conformance: %d evaluations in %d ms; %d of %d parameters have values in the corpus%n",
                evaluations, (System.nanoTime() - t0) / 1_000_000, withValues.size(), all.size());
        Set<String> without = new TreeSet<>(all);
        without.removeAll(withValues);
        System.out.println("parameters without a value in the corpus: " + without);
        assertThat(mismatches).isEmpty();
        assertThat(withValues.size()).isGreaterThan(all.size() * 99 / 100);
    }

    /** The corpus is deterministic for a seed and holds every resource type. */
    @Test
    void corpusIsDeterministic() {
        IParser json = FhirContext.forR5Cached().newJsonParser();
        CorpusGenerator again = new CorpusGenerator(FhirContext.forR5Cached(), 42);
        List<String> types = generator.types();
        assertThat(types).hasSize(FhirContext.forR5Cached().getResourceTypes().size());
        for (String type : types) {
            Resource a = generator.generate(type, 3);
            assertThat(json.encodeResourceToString(a)).isEqualTo(json.encodeResourceToString(again.generate(type, 3)));
            assertThat(a.isEmpty()).isFalse();
        }
        assertThat(json.encodeResourceToString(generator.generate("Observation", 1)))
                .isNotEqualTo(json.encodeResourceToString(
                        new CorpusGenerator(FhirContext.forR5Cached(), 43).generate("Observation", 1)));
    }

    /** The composite component table is the R5 definitions' (one documented correction). */
    @Test
    void compositeTableMatchesTheR5Definitions() throws IOException {
        NpmPackage pkg;
        try (InputStream in = getClass()
                .getClassLoader()
                .getResourceAsStream("org/hl7/fhir/r5/packages/hl7.fhir.r5.core-5.0.0.tgz")) {
            pkg = NpmPackage.fromPackage(in);
        }
        IParser json = FhirContext.forR5Cached().newJsonParser();
        int checked = 0;
        List<String> differences = new ArrayList<>();
        for (String file : pkg.listResources("SearchParameter")) {
            SearchParameter sp;
            try (InputStream in = pkg.loadResource(file)) {
                sp = json.parseResource(SearchParameter.class, new ByteArrayInputStream(in.readAllBytes()));
            }
            if (sp.getType() != org.hl7.fhir.r5.model.Enumerations.SearchParamType.COMPOSITE) {
                continue;
            }
            for (var base : sp.getBase()) {
                List<CompositeComponents.Def> defs = CompositeComponents.of(base.getCode(), sp.getCode());
                assertThat(defs)
                        .as(base.getCode() + "." + sp.getCode())
                        .isNotNull()
                        .hasSameSizeAs(sp.getComponent());
                for (int i = 0; i < defs.size(); i++) {
                    String published = sp.getComponent().get(i).getExpression();
                    if (!Objects.equals(defs.get(i).expression(), published)) {
                        differences.add(base.getCode() + "." + sp.getCode() + "#" + i);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
        assertThat(differences).containsExactly("DocumentReference.relationship#0", "DocumentReference.relationship#1");
    }

    // ---- comparison

    private static String diff(List<Base> mine, List<Base> theirs) {
        List<Base> m = distinct(mine);
        List<Base> t = distinct(theirs);
        if (m.size() != t.size()) {
            return "mine " + show(mine) + " hapi " + show(theirs);
        }
        for (int i = 0; i < m.size(); i++) {
            Base x = m.get(i);
            Base y = t.get(i);
            if (x == y) {
                continue;
            }
            if (x.isPrimitive() && y.isPrimitive() && Objects.equals(x.primitiveValue(), y.primitiveValue())) {
                continue;
            }
            return "item " + i + ": mine " + show(mine) + " hapi " + show(theirs);
        }
        return null;
    }

    /** Removes the items FHIRPath equality (as HAPI's union applies it) calls equal to an earlier one. */
    private static List<Base> distinct(List<Base> items) {
        List<Base> out = new ArrayList<>();
        next:
        for (Base x : items) {
            for (Base y : out) {
                if (fhirPathEqual(x, y)) {
                    continue next;
                }
            }
            out.add(x);
        }
        return out;
    }

    private static boolean fhirPathEqual(Base x, Base y) {
        if (x == y) {
            return true;
        }
        if (x.isPrimitive() && y.isPrimitive()) {
            return x.fhirType().equals(y.fhirType()) && Nodes.equal(x, y);
        }
        if (x.equalsDeep(y)) {
            return true;
        }
        if (x instanceof Quantity qx && y instanceof Quantity qy && x.fhirType().equals(y.fhirType())) {
            return qx.getValue() == null
                    ? qy.getValue() == null
                    : qy.getValue() != null && qx.getValue().compareTo(qy.getValue()) == 0;
        }
        return false;
    }

    private static String show(List<Base> items) {
        StringBuilder b = new StringBuilder("[");
        for (Base x : items) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(x.fhirType())
                    .append(x.isPrimitive() ? "=" + x.primitiveValue() : "@" + System.identityHashCode(x));
        }
        return b.append(']').toString();
    }
}
