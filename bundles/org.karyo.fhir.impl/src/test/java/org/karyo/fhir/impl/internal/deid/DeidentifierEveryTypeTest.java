package org.karyo.fhir.impl.internal.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.FHIR;
import static org.karyo.fhir.impl.internal.deid.DeidFixtures.SECRET_BASE64;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.RuntimeChildContainedResources;
import ca.uhn.fhir.context.RuntimeChildDirectResource;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildNarrativeDefinition;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.r5.model.Address;
import org.hl7.fhir.r5.model.Annotation;
import org.hl7.fhir.r5.model.Attachment;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.ContactDetail;
import org.hl7.fhir.r5.model.ContactPoint;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Element;
import org.hl7.fhir.r5.model.Expression;
import org.hl7.fhir.r5.model.ExtendedContactDetail;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.MarkdownType;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.RelatedArtifact;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.Signature;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * Every R5 resource type, populated generically (from HAPI's model definitions) with free text, names, addresses,
 * telecom, attachments, annotations, identifiers, reference displays, narrative, contained resources, nested resources
 * and unknown extensions, all marked: none of the marks survives, nothing throws, and the result parses back.
 */
class DeidentifierEveryTypeTest {

    private static final Deidentifier DEID = new Deidentifier(DeidFixtures.key(1));
    private static final String MARK = "SECRETMARK";
    /** Strings the profile keeps on purpose (structure, not free text): not marked. */
    private static final Set<String> KEPT_STRINGS =
            Set.of("Questionnaire.item.linkId", "QuestionnaireResponse.item.linkId");

    private static final int MAX_DEPTH = 3;

    @Test
    void everyResourceTypeLosesEveryRemovedElement() {
        List<String> types = new ArrayList<>(new TreeSet<>(FHIR.getResourceTypes()));
        assertThat(types).hasSizeGreaterThan(150);
        SoftAssertions soft = new SoftAssertions();
        for (String type : types) {
            RuntimeResourceDefinition def = FHIR.getResourceDefinition(type);
            Resource r = (Resource) def.newInstance();
            r.setId("x-1");
            populate(r, def, type, 0);
            soft.assertThat(DeidFixtures.toJson(r)).as(type + " is populated").contains(MARK);
            Resource out;
            try {
                out = DEID.deidentify(r);
            } catch (RuntimeException e) {
                soft.fail(type + " threw " + e);
                continue;
            }
            String json = DeidFixtures.toJson(out);
            soft.assertThat(json).as(type).doesNotContain(MARK).doesNotContain(SECRET_BASE64);
            soft.assertThat(out.getIdPart()).as(type + " keeps its id").isEqualTo("x-1");
            soft.assertThat(out.getMeta().getSecurity(Deidentifier.SECURITY_SYSTEM, Deidentifier.PSEUDED))
                    .as(type + " is labelled")
                    .isNotNull();
            soft.assertThatCode(() -> DeidFixtures.json().parseResource(json))
                    .as(type + " parses back")
                    .doesNotThrowAnyException();
        }
        soft.assertAll();
    }

    @Test
    void everyResourceTypeWithoutContentStaysEmpty() {
        for (String type : new TreeSet<>(FHIR.getResourceTypes())) {
            Resource r = (Resource) FHIR.getResourceDefinition(type).newInstance();
            Resource out = DEID.deidentify(r);
            assertThat(out.fhirType()).isEqualTo(type);
            out.getMeta().getSecurity().clear();
            assertThat(out.isEmpty()).as(type).isTrue();
        }
    }

    private static void populate(Base element, BaseRuntimeElementCompositeDefinition<?> def, String path, int depth) {
        for (BaseRuntimeChildDefinition child : def.getChildren()) {
            String name = child.getElementName();
            String childPath = path + "." + name;
            if (child instanceof RuntimeChildExtension) {
                if ("extension".equals(name)) {
                    child.getMutator().addValue(element, new Extension("http://example.org/unknown", mark(childPath)));
                    child.getMutator().addValue(element, new Extension(DeidFixtures.DALY, mark(childPath)));
                }
                continue;
            }
            if (child instanceof RuntimeChildContainedResources) {
                if (depth == 0 && element instanceof DomainResource dr) {
                    dr.addContained(markedPatient("contained"));
                }
                continue;
            }
            if (child instanceof RuntimeChildDirectResource) {
                if (depth < 2) {
                    child.getMutator().addValue(element, markedPatient("nested"));
                }
                continue;
            }
            if (child instanceof RuntimeChildNarrativeDefinition) {
                child.getMutator().addValue(element, DeidFixtures.narrative(MARK));
                continue;
            }
            if ("id".equals(name)) {
                if (depth > 0 && element instanceof Element e) {
                    e.setId(MARK + "-id");
                }
                continue;
            }
            if ("meta".equals(name) && element instanceof Resource r) {
                r.getMeta().setSource("http://example.org/" + MARK);
                continue;
            }
            for (String valid : new TreeSet<>(child.getValidChildNames())) {
                Base value = make(child.getChildByName(valid), childPath, depth);
                if (value != null) {
                    child.getMutator().addValue(element, value);
                    break;
                }
            }
        }
    }

    private static StringType mark(String path) {
        return new StringType(MARK + "-" + path);
    }

    private static Patient markedPatient(String what) {
        Patient p = new Patient();
        p.setId(what);
        p.addName().setFamily(MARK + "-" + what);
        return p;
    }

    /** A marked value of that type, or null for a type this test does not mark. */
    private static Base make(BaseRuntimeElementDefinition<?> def, String path, int depth) {
        if (def == null) {
            return null;
        }
        switch (def.getChildType()) {
            case PRIMITIVE_DATATYPE -> {
                return switch (def.getName()) {
                    case "string" -> KEPT_STRINGS.contains(path) ? null : mark(path);
                    case "markdown" -> new MarkdownType(MARK + "-" + path);
                    case "base64Binary" -> new Base64BinaryType((MARK + path).getBytes(StandardCharsets.UTF_8));
                    default -> null;
                };
            }
            case COMPOSITE_DATATYPE -> {
                return datatype(def.getName(), path);
            }
            case RESOURCE_BLOCK -> {
                if (depth >= MAX_DEPTH) {
                    return null;
                }
                Base block = (Base) def.newInstance();
                populate(block, (BaseRuntimeElementCompositeDefinition<?>) def, block.fhirType(), depth + 1);
                return block;
            }
            default -> {
                return null;
            }
        }
    }

    private static Base datatype(String type, String path) {
        String m = MARK + "-" + path;
        return switch (type) {
            case "HumanName" -> new HumanName().setFamily(m).addGiven(m).setText(m);
            case "Address" -> new Address()
                    .addLine(m)
                    .setCity(m)
                    .setPostalCode(m)
                    .setText(m)
                    .setCountry("FR");
            case "ContactPoint" -> new ContactPoint()
                    .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                    .setValue(m);
            case "Attachment" -> new Attachment()
                    .setContentType("text/plain")
                    .setData(m.getBytes(StandardCharsets.UTF_8))
                    .setUrl("http://example.org/" + m)
                    .setTitle(m);
            case "Annotation" -> new Annotation().setText(m).setAuthor(new StringType(m));
            case "Identifier" -> new Identifier()
                    .setSystem("urn:example:ids")
                    .setValue(m)
                    .setAssigner(new Reference("Organization/o").setDisplay(m));
            case "Reference" -> new Reference("Patient/p-1").setDisplay(m);
            case "CodeableConcept" -> new CodeableConcept(new Coding("http://example.org/cs", "c", "Display"))
                    .setText(m);
            case "Signature" -> new Signature().setData(m.getBytes(StandardCharsets.UTF_8));
            case "ContactDetail" -> new ContactDetail().setName(m);
            case "ExtendedContactDetail" -> new ExtendedContactDetail().addName(new HumanName().setFamily(m));
            case "RelatedArtifact" -> new RelatedArtifact()
                    .setType(RelatedArtifact.RelatedArtifactType.CITATION)
                    .setLabel(m)
                    .setDisplay(m)
                    .setCitation(m);
            case "Expression" -> new Expression()
                    .setDescription(m)
                    .setExpression(m)
                    .setLanguage("text/fhirpath");
            default -> null;
        };
    }
}
