/**
 * The FHIR R5 clinical store's contracts, for the modules that share it (cohorts, the exchange, examinations, exports,
 * terminology). Resources are HAPI FHIR's R5 model ({@code org.hl7.fhir.r5.model}), exported by
 * {@code org.karyo.fhir.model}; no other module embeds HAPI.
 *
 * <ul>
 *   <li>{@link org.karyo.fhir.api.FhirStore}: read, search, write and transaction for a caller, with the REST API's
 *       rules (perimeters, pseudonymisation, audit, hooks);
 *   <li>{@link org.karyo.fhir.api.FhirWriteHook}: a whiteboard service that sees every written resource in the write's
 *       unit of work and may refuse it;
 *   <li>{@link org.karyo.fhir.api.SearchExtension}: {@code :below}, {@code :above}, {@code :in}, {@code :not-in} and
 *       code expansion (the terminology module);
 *   <li>{@link org.karyo.fhir.api.FhirQueryCompiler}: a FHIR query string to a composable SQL patient set or resource
 *       set (the cohort engine);
 *   <li>{@link org.karyo.fhir.api.SearchParameters}: runtime search parameters, also computed at query time;
 *   <li>{@link org.karyo.fhir.api.FhirCursor}: a streaming cursor over a type, a patient set or a Group (exports);
 *   <li>{@link org.karyo.fhir.api.Deidentification}: the de-identification profile as a service;
 *   <li>{@link org.karyo.fhir.api.FhirScopePolicy}: restricts types and interactions on top of the caller's rights
 *       (SMART scopes);
 *   <li>{@link org.karyo.fhir.api.PatientPerimeters}: the explicit patient-perimeter links modules add;
 *   <li>{@link org.karyo.fhir.api.FhirImports} and {@link org.karyo.fhir.api.FhirMaintenance}: bulk NDJSON import,
 *       reindex and statistics, as platform jobs ({@link org.karyo.fhir.api.FhirRights#ADMIN});
 *   <li>{@link org.karyo.fhir.api.FhirVersionConverter}: a whiteboard service converting another FHIR version's
 *       resources to R5 for imports (the optional feature {@code karyo-fhir-r4});
 *   <li>{@link org.karyo.fhir.api.FhirValidator}: validation of a resource against the R5 definitions and profiles,
 *       behind {@code $validate} (the optional feature {@code karyo-fhir-validation}).
 * </ul>
 */
@Export
@Version("1.1.0")
package org.karyo.fhir.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
