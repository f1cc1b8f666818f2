package org.karyo.fhir.validation.internal;

import java.util.List;
import org.karyo.fhir.api.FhirValidator;
import org.karyo.fhir.api.ValidationIssue;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FhirValidator} of the feature {@code karyo-fhir-validation}: HAPI's R5 instance validator
 * ({@link R5Validator}), built on the first validation and then kept, so that installing the feature costs nothing
 * until {@code $validate} is used. Building takes tens of seconds and about 560 MB of heap; callers meanwhile wait.
 *
 * <p>HAPI finds some of its parts (its cache provider) through the thread's context class loader, so building and
 * validating run with this bundle's class loader as that loader.
 */
@Component(service = FhirValidator.class)
public final class FhirValidatorService implements FhirValidator {
    private static final Logger LOG = LoggerFactory.getLogger(FhirValidatorService.class);

    private final Object lock = new Object();
    private volatile R5Validator validator;

    @Override
    public List<ValidationIssue> validate(String json, String profile) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(FhirValidatorService.class.getClassLoader());
        try {
            return validator().validate(json, profile);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private R5Validator validator() {
        R5Validator v = validator;
        if (v != null) {
            return v;
        }
        synchronized (lock) {
            if (validator == null) {
                long start = System.nanoTime();
                validator = new R5Validator();
                LOG.info("FHIR R5 validator built in {} ms", (System.nanoTime() - start) / 1_000_000);
            }
            return validator;
        }
    }
}
