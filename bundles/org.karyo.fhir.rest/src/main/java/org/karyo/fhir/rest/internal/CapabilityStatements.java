package org.karyo.fhir.rest.internal;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r5.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r5.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r5.model.Enumerations;
import org.karyo.fhir.api.FhirValidator;
import org.karyo.fhir.api.SearchParameterInfo;
import org.karyo.fhir.api.SearchParameters;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The CapabilityStatement of what is installed: every resource type with its interactions, every search parameter
 * (built-in, registered at runtime and computed), the operations and the formats. Built at each request from the live
 * search parameters, so a parameter registered a moment ago is listed; {@code $validate} is listed only while a
 * {@link FhirValidator} is present (the feature {@code karyo-fhir-validation}).
 */
@Component(service = CapabilityStatements.class)
public final class CapabilityStatements {
    private final SearchParameters parameters;
    private final String version;
    private volatile FhirValidator validator;

    @Activate
    public CapabilityStatements(@Reference SearchParameters parameters, BundleContext context) {
        this.parameters = parameters;
        this.version = context.getBundle().getVersion().toString();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindValidator(FhirValidator v) {
        this.validator = v;
    }

    void unbindValidator(FhirValidator v) {
        if (validator == v) {
            validator = null;
        }
    }

    CapabilityStatement current(String base) {
        boolean validates = validator != null;
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(new Date());
        cs.setKind(Enumerations.CapabilityStatementKind.INSTANCE);
        cs.setName("Karyo");
        cs.getSoftware().setName("Karyo FHIR store").setVersion(version);
        cs.getImplementation().setDescription("Karyo FHIR R5 clinical store").setUrl(base);
        cs.setFhirVersion(Enumerations.FHIRVersion._5_0_0);
        cs.addFormat("application/fhir+json");
        cs.addFormat("json");
        cs.addPatchFormat(Fhir.JSON_PATCH);
        CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.getSecurity()
                .setDescription("Bearer tokens of Karyo's /api/auth; reads are limited to the patients of"
                        + " the caller's perimeters (Cohort360 rights), writes need fhir.write");
        rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
        rest.addInteraction().setCode(SystemRestfulInteraction.SEARCHSYSTEM);
        rest.addInteraction().setCode(SystemRestfulInteraction.HISTORYSYSTEM);
        Map<String, List<SearchParameterInfo>> byType = new TreeMap<>();
        for (SearchParameterInfo p : parameters.list(null)) {
            byType.computeIfAbsent(p.resourceType(), t -> new java.util.ArrayList<>())
                    .add(p);
        }
        for (Map.Entry<String, List<SearchParameterInfo>> e : byType.entrySet()) {
            if (e.getKey().equals("Resource") || e.getKey().equals("DomainResource")) {
                continue;
            }
            CapabilityStatementRestResourceComponent r = rest.addResource().setType(e.getKey());
            for (TypeRestfulInteraction i : List.of(
                    TypeRestfulInteraction.READ,
                    TypeRestfulInteraction.VREAD,
                    TypeRestfulInteraction.UPDATE,
                    TypeRestfulInteraction.PATCH,
                    TypeRestfulInteraction.DELETE,
                    TypeRestfulInteraction.HISTORYINSTANCE,
                    TypeRestfulInteraction.HISTORYTYPE,
                    TypeRestfulInteraction.CREATE,
                    TypeRestfulInteraction.SEARCHTYPE)) {
                r.addInteraction().setCode(i);
            }
            r.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
            r.setReadHistory(true);
            r.setUpdateCreate(true);
            r.setConditionalCreate(true);
            r.setConditionalUpdate(true);
            r.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.SINGLE);
            for (SearchParameterInfo p : e.getValue()) {
                CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent sp = r.addSearchParam()
                        .setName(p.code())
                        .setType(Enumerations.SearchParamType.fromCode(
                                p.type().name().toLowerCase(java.util.Locale.ROOT)));
                if (p.url() != null) {
                    sp.setDefinition(p.url());
                }
                if (p.computed()) {
                    sp.setDocumentation("Computed at query time");
                }
            }
            if (e.getKey().equals("Patient")) {
                r.addOperation()
                        .setName("everything")
                        .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
            }
            if (validates) {
                r.addOperation()
                        .setName("validate")
                        .setDefinition("http://hl7.org/fhir/OperationDefinition/Resource-validate");
            }
        }
        return cs;
    }
}
