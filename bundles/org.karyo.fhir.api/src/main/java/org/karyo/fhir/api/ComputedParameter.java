package org.karyo.fhir.api;

import java.time.LocalDate;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A search parameter computed at query time, for example an age in days relative to today ({@code age-day}): it
 * turns a comparison on its value into a comparison on an indexed parameter. {@code age-day=ge3082} becomes
 * {@code birthdate=le<today − 3082 days>}.
 */
@ConsumerType
public interface ComputedParameter {

    /**
     * The indexed parameter and value a search {@code prefix}{@code value} of this parameter stands for, today; for
     * example ("birthdate", "le2018-01-01") for ("ge", "3082").
     */
    java.util.Map.Entry<String, String> rewrite(String prefix, String value, LocalDate today);
}
