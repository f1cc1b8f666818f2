package org.karyo.fhir.validation.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r5.model.StringType;
import org.karyo.fhir.api.ValidationIssue;
import org.karyo.fhir.api.ValidationIssue.Severity;

/**
 * HAPI's R5 instance validator, configured for a server without network access: the core definitions and the code
 * systems HAPI carries (UCUM, languages, MIME types, currencies, the FHIR code systems), an in-memory terminology
 * service for the value sets they define; a code system it does not hold (SNOMED CT, LOINC) and a profile it does not
 * know are warnings; extensions of any domain are allowed. Expensive to make (tens of seconds, about 560 MB of heap),
 * then thread-safe: one per process.
 */
final class R5Validator {
    private final FhirValidator validator;

    R5Validator() {
        FhirContext context = FhirContext.forR5();
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(context);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context),
                new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context),
                unknownCodeSystems);
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(false);
        this.validator = context.newValidator().registerValidatorModule(module);
        // the first validation loads the definitions it needs: done now, so that building is the slow part
        validator.validateWithResult("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"warm-up\"}}");
    }

    /** Every issue found in {@code json} (and against {@code profile} when not null), errors first. */
    List<ValidationIssue> validate(String json, String profile) {
        String trimmed = json == null ? "" : json.strip();
        if (!trimmed.startsWith("{")) {
            // HAPI would read XML too: this validator reads JSON only
            return List.of(new ValidationIssue(
                    Severity.FATAL, "structure", null, "The resource is not a JSON object (only JSON is validated)"));
        }
        ValidationOptions options = new ValidationOptions();
        if (profile != null && !profile.isBlank()) {
            options.addProfile(profile);
        }
        ValidationResult result;
        try {
            result = validator.validateWithResult(trimmed, options);
        } catch (RuntimeException e) {
            // HAPI gives up on some unreadable input (not JSON, no resourceType) with an exception rather than issues
            return List.of(new ValidationIssue(
                    Severity.FATAL, "structure", null, "The resource cannot be read: " + firstLine(e.getMessage())));
        }
        OperationOutcome oo = (OperationOutcome) result.toOperationOutcome();
        List<ValidationIssue> issues = new ArrayList<>();
        for (OperationOutcomeIssueComponent issue : oo.getIssue()) {
            issues.add(issue(issue));
        }
        issues.sort(Comparator.comparing(ValidationIssue::severity));
        return List.copyOf(issues);
    }

    private static ValidationIssue issue(OperationOutcomeIssueComponent issue) {
        Severity severity =
                switch (issue.getSeverity() == null ? OperationOutcome.IssueSeverity.ERROR : issue.getSeverity()) {
                    case FATAL -> Severity.FATAL;
                    case WARNING -> Severity.WARNING;
                    case INFORMATION, SUCCESS -> Severity.INFORMATION;
                    default -> Severity.ERROR;
                };
        String code = issue.getCode() == null ? "invalid" : issue.getCode().toCode();
        String expression = null;
        for (StringType e : issue.getExpression()) {
            expression = e.getValue();
            break;
        }
        if (expression == null) {
            for (StringType l : issue.getLocation()) {
                expression = l.getValue();
                break;
            }
        }
        String message = issue.hasDiagnostics()
                ? issue.getDiagnostics()
                : issue.getDetails().getText();
        return new ValidationIssue(severity, code, expression, message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown reason";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
