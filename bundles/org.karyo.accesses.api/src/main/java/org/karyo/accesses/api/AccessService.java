package org.karyo.accesses.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Accesses and the caller's own rights views. Object methods answer NOT_FOUND for accesses the caller may not manage
 * (Cohort360's {@code editable}); every write is one unit of work, audited, and invalidates the rights cache.
 */
@ProviderType
public interface AccessService {

    /** Accesses on nodes where the caller holds an access-management right; needs one. */
    Page<Access> list(Caller caller, AccessQuery query, PageRequest page);

    Access get(Caller caller, long id);

    Access create(Caller caller, NewAccess access);

    /** Changes dates only; INVALID on an empty patch, a past date, or a date that already passed. */
    Access patchDates(Caller caller, long id, Optional<Instant> start, Optional<Instant> end);

    /** Ends the access now; INVALID when it has ended or not started. */
    Access close(Caller caller, long id);

    /** Deletes an access that has not started; INVALID otherwise. */
    void delete(Caller caller, long id);

    /**
     * The caller's valid accesses; with {@code expiring}, per perimeter the earliest-ending access ending within the
     * configured window (30 days).
     */
    List<Access> myAccesses(Caller caller, boolean expiring);

    /** Cohort360's {@code my-data-rights}: read rights merged up the ancestor chain, global flags copied. */
    List<DataRight> myDataRights(Caller caller, List<Long> perimeterIds);

    /** Cohort360's {@code perimeters/patient-data/rights}: one row per node with a patient-data right. */
    Page<DataRight> patientDataRights(Caller caller, PageRequest page);

    /** Cohort360's {@code perimeters/patient-data/read}; NOT_FOUND when the mode's condition fails. */
    ReadPermission patientDataRead(Caller caller, List<Long> perimeterIds, List<String> cohortIds, ReadMode mode);

    /** Valid accesses whose end falls in [from, to), for expiry alerts (no caller: a system job). */
    List<Access> endingBetween(Instant from, Instant to);

    /** A caller's data rights on one perimeter. */
    record DataRight(
            long perimeterId,
            String perimeterName,
            boolean readPatientNominative,
            boolean readPatientPseudonymized,
            boolean searchPatientsByIpp,
            boolean searchOpposedPatients,
            boolean exportCsvXlsxNominative,
            boolean exportJupyterNominative,
            boolean exportJupyterPseudonymized) {}

    /** {@code min}: every target readable; {@code max}: at least one. */
    enum ReadMode {
        MIN,
        MAX
    }

    /** Cohort360's read permission flags. */
    record ReadPermission(
            boolean allowReadPatientDataNomi,
            boolean allowLookupOpposedPatients,
            boolean allowReadPatientWithoutPerimeterLimit,
            boolean allowReadPractitioner) {}
}
