package org.karyo.fhir.impl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Encounter;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.api.EnvOverrides;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.SearchRequest;
import org.karyo.fhir.api.WriteOptions;
import org.karyo.fhir.api.WriteOutcome;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestConfigs;
import org.karyo.testing.TestDatabase;

/** The FHIR store against a real PostgreSQL migrated by the module's migrations: writes, reads, search, access. */
class FhirStoreTest {
    private static final String BASE = "http://localhost/fhir/r5";
    private static TestDatabase db;
    private static FhirStoreImpl store;
    private static final FakePerimeters PERIMETERS = new FakePerimeters(100);

    private static final Caller ADMIN = TestCallers.withScopes("admin", Set.of(AccessRights.FULL_ADMIN), Map.of());

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("fhir", FhirStoreImpl.class, "db/fhir");
        store = new FhirStoreImpl(
                db.dataSource(),
                db.unitOfWork(),
                new RecordingAuditTrail(db.unitOfWork()),
                PERIMETERS.service(),
                new SearchParametersImpl(db.dataSource(), db.unitOfWork(), new RecordingAuditTrail(db.unitOfWork())),
                config(),
                EnvOverrides.of(Map.of()),
                Clock.systemUTC());
    }

    @AfterAll
    static void drop() {
        if (store != null) {
            store.deactivate();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aResourceIsCreatedReadVersionedAndDeletedWithItsHistory() {
        Patient p = patient("Ada", null);
        WriteOutcome created = store.create(ADMIN, p, WriteOptions.plain(BASE));
        assertThat(created.created()).isTrue();
        assertThat(created.version()).isEqualTo(1);
        Patient read = (Patient) store.read(ADMIN, "Patient", created.id());
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Ada");
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");

        read.getNameFirstRep().setFamily("Byron");
        WriteOutcome updated = store.update(ADMIN, "Patient", created.id(), read, new WriteOptions("1", null, BASE));
        assertThat(updated.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.update(ADMIN, "Patient", created.id(), read, new WriteOptions("1", null, BASE)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(412));
        assertThat(((Patient) store.vread(ADMIN, "Patient", created.id(), 1))
                        .getNameFirstRep()
                        .getFamily())
                .isEqualTo("Ada");
        Bundle history = store.history(ADMIN, "Patient", created.id(), new SearchRequest(List.of(), BASE, false));
        assertThat(history.getEntry()).hasSize(2);

        store.delete(ADMIN, "Patient", created.id(), WriteOptions.plain(BASE));
        assertThatThrownBy(() -> store.read(ADMIN, "Patient", created.id()))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(410));
        assertThat(store.history(ADMIN, "Patient", created.id(), new SearchRequest(List.of(), BASE, false))
                        .getEntry())
                .hasSize(3);
    }

    @Test
    void aReferenceToAnUnknownResourceIsRefusedWith422() {
        Observation o = observation("Patient/nobody", "8867-4", 70, "2024-09-03");
        assertThatThrownBy(() -> store.create(ADMIN, o, WriteOptions.plain(BASE)))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void searchesMatchTokensDatesQuantitiesAndReferencesAndPageWithoutRepeats() {
        String pid = store.create(ADMIN, patient("Search", null), WriteOptions.plain(BASE))
                .id();
        for (int i = 0; i < 5; i++) {
            store.create(
                    ADMIN,
                    observation("Patient/" + pid, "8867-4", 60 + i * 10, "2024-09-0" + (i + 1)),
                    WriteOptions.plain(BASE));
        }
        store.create(ADMIN, observation("Patient/" + pid, "8310-5", 37, "2024-09-01"), WriteOptions.plain(BASE));
        assertThat(ids(search("Observation", "subject=Patient/" + pid))).hasSize(6);
        assertThat(ids(search("Observation", "subject=" + pid + "&code=http://loinc.org|8867-4")))
                .hasSize(5);
        assertThat(ids(search("Observation", "subject=" + pid + "&code=8867-4&value-quantity=gt75")))
                .hasSize(3);
        assertThat(ids(search("Observation", "subject=" + pid + "&date=ge2024-09-04")))
                .hasSize(2);
        assertThat(ids(search("Observation", "subject=" + pid + "&date=2024-09")))
                .hasSize(6);
        assertThat(ids(search("Observation", "subject=" + pid + "&code:not=8867-4")))
                .hasSize(1);
        assertThat(ids(search("Observation", "subject:Patient.family=search"))).hasSize(6);
        assertThatThrownBy(() -> search("Observation", "colour=red"))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(400));

        List<String> seen = new ArrayList<>();
        Bundle page = search("Observation", "subject=" + pid + "&_count=2");
        while (true) {
            seen.addAll(ids(page));
            // a resource inserted while paging appears on no page of this search: it came after it began
            store.create(ADMIN, observation("Patient/" + pid, "8867-4", 1, "2024-09-01"), WriteOptions.plain(BASE));
            if (page.getLink("next") == null) {
                break;
            }
            String next = page.getLink("next").getUrl();
            page = store.search(ADMIN, "Observation", SearchRequest.parse(next.substring(next.indexOf('?') + 1), BASE));
        }
        assertThat(seen).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void readersSeeThePatientsOfTheirPerimetersOnlyAndANewEncounterExtendsThemAtOnce() {
        store.create(ADMIN, organization("hosp-a"), WriteOptions.plain(BASE));
        store.update(ADMIN, "Organization", "hosp-a", organization("hosp-a"), WriteOptions.plain(BASE));
        store.update(ADMIN, "Organization", "hosp-b", organization("hosp-b"), WriteOptions.plain(BASE));
        long a = PERIMETERS.node("fhir.organization.hosp-a");
        long b = PERIMETERS.node("fhir.organization.hosp-b");
        String pid = store.create(ADMIN, patient("Perimeter", "hosp-a"), WriteOptions.plain(BASE))
                .id();
        Caller readerA = TestCallers.withScopes(
                "a", Set.of(), Map.of(AccessRights.READ_PATIENT_NOMINATIVE, Scope.of(List.of(a))));
        Caller readerB = TestCallers.withScopes(
                "b", Set.of(), Map.of(AccessRights.READ_PATIENT_NOMINATIVE, Scope.of(List.of(b))));
        assertThat(store.read(readerA, "Patient", pid)).isNotNull();
        assertThatThrownBy(() -> store.read(readerB, "Patient", pid))
                .isInstanceOfSatisfying(
                        FhirException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(ids(store.search(readerB, "Patient", SearchRequest.parse("_id=" + pid, BASE))))
                .isEmpty();

        Encounter e = new Encounter();
        e.setStatus(Enumerations.EncounterStatus.COMPLETED);
        e.setSubject(new Reference("Patient/" + pid));
        e.setServiceProvider(new Reference("Organization/hosp-b"));
        store.create(ADMIN, e, WriteOptions.plain(BASE));
        assertThat(store.read(readerB, "Patient", pid)).isNotNull();
    }

    @Test
    void aTransactionIsAllOrNothingAndResolvesUrnUuidReferences() {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        tx.addEntry()
                .setFullUrl("urn:uuid:11111111-1111-1111-1111-111111111111")
                .setResource(patient("Tx", null))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        tx.addEntry()
                .setResource(observation("urn:uuid:11111111-1111-1111-1111-111111111111", "8867-4", 80, "2024-01-01"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        Bundle response = store.transaction(ADMIN, tx, BASE);
        assertThat(response.getEntry())
                .allSatisfy(en -> assertThat(en.getResponse().getStatus()).startsWith("201"));
        String patientRef =
                response.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(ids(search("Observation", "subject=" + patientRef))).hasSize(1);

        Bundle bad = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bad.addEntry()
                .setResource(patient("Never", null))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        bad.addEntry()
                .setResource(observation("Patient/missing", "8867-4", 80, "2024-01-01"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThatThrownBy(() -> store.transaction(ADMIN, bad, BASE)).isInstanceOf(FhirException.class);
        assertThat(ids(search("Patient", "family=never"))).isEmpty();
    }

    @Test
    void aTransactionWritesItsCreatesAndUpdatesTogetherAndAHookRefusalUndoesAllOfIt() {
        String pid = store.create(ADMIN, patient("Sets", null), WriteOptions.plain(BASE))
                .id();
        String oid = store.update(
                        ADMIN,
                        "Observation",
                        "sets-1",
                        observation("Patient/" + pid, "8867-4", 60, "2024-02-01"),
                        WriteOptions.plain(BASE))
                .id();
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 50; i++) {
            tx.addEntry()
                    .setResource(observation("Patient/" + pid, "8310-5", 37 + i / 100.0, "2024-02-02"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        tx.addEntry()
                .setResource(observation("Patient/" + pid, "8867-4", 61, "2024-02-03"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Observation/" + oid);
        tx.addEntry()
                .setResource(observation("Patient/" + pid, "8867-4", 62, "2024-02-03"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Observation/sets-2");
        Bundle response = store.transaction(ADMIN, tx, BASE);
        assertThat(response.getEntry().subList(0, 50))
                .allSatisfy(en -> assertThat(en.getResponse().getStatus()).isEqualTo("201 Created"));
        assertThat(response.getEntry().get(50).getResponse().getStatus()).isEqualTo("200 OK");
        assertThat(response.getEntry().get(50).getResponse().getEtag()).isEqualTo("W/\"2\"");
        assertThat(response.getEntry().get(51).getResponse().getStatus()).isEqualTo("201 Created");
        assertThat(ids(search("Observation", "subject=Patient/" + pid + "&code=8310-5&_count=100")))
                .hasSize(50);
        assertThat(((Quantity) ((Observation) store.read(ADMIN, "Observation", oid)).getValue()).getValue())
                .isEqualByComparingTo("61");
        assertThat(((Observation) store.vread(ADMIN, "Observation", oid, 1))
                        .getValueQuantity()
                        .getValue())
                .isEqualByComparingTo("60");
        assertThat(ids(search("Observation", "value-quantity=61"))).containsExactly(oid);

        // a hook that refuses one entry refuses the Bundle: none of its creates or updates stays
        org.karyo.fhir.api.FhirWriteHook refuse = e -> {
            if (e.resource() instanceof Observation o
                    && o.getValueQuantity().getValue().intValue() == 99) {
                throw FhirException.unprocessable("Observation.value", "refused by a hook");
            }
        };
        store.addHook(refuse);
        try {
            Bundle refused = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            refused.addEntry()
                    .setResource(observation("Patient/" + pid, "2339-0", 98, "2024-02-04"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
            refused.addEntry()
                    .setResource(observation("Patient/" + pid, "8867-4", 63, "2024-02-04"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl("Observation/" + oid);
            refused.addEntry()
                    .setResource(observation("Patient/" + pid, "2339-0", 99, "2024-02-04"))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
            assertThatThrownBy(() -> store.transaction(ADMIN, refused, BASE))
                    .isInstanceOf(FhirException.class)
                    .hasMessageContaining("refused by a hook");
        } finally {
            store.removeHook(refuse);
        }
        assertThat(ids(search("Observation", "code=2339-0"))).isEmpty();
        assertThat(store.read(ADMIN, "Observation", oid).getMeta().getVersionId())
                .isEqualTo("2");
    }

    @Test
    void rangeSearchesFindEveryMatchWhetherTheOrderedWalkOrTheIndexesAnswerThem() {
        String pid = store.create(ADMIN, patient("Walker", null), WriteOptions.plain(BASE))
                .id();
        int n = 16_000; // more than the ordered walk looks through (2,000 + 4,000 + 8,000) before it uses the indexes
        for (int b = 0; b < n; b += 1000) {
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (int i = b; i < b + 1000; i++) {
                tx.addEntry()
                        .setResource(observation("Patient/" + pid, "29463-7", i, "2023-05-01"))
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("Observation");
            }
            store.transaction(ADMIN, tx, BASE);
        }
        String of = "Observation?code=29463-7&subject=Patient/" + pid + "&_count=100&value-quantity=";
        // dense: the first window answers with the first page, in order
        assertThat(values(search("Observation", of.substring(12) + "ge0"))).containsExactlyElementsOf(range(0, 100));
        // matches only past every window: the indexes answer
        assertThat(values(all(of + "gt15990"))).containsExactlyInAnyOrderElementsOf(range(15991, n));
        // a few matches at the end of the last window, the rest past it: the indexes answer the first page, the walk
        // the next ones; nothing repeats or goes missing
        assertThat(values(all(of + "gt13990"))).containsExactlyElementsOf(range(13991, n));
        // two range conditions on one parameter
        assertThat(values(all(of + "gt7000&value-quantity=lt7100"))).containsExactlyElementsOf(range(7001, 7100));
        // a page boundary inside a window: paging goes on where the walk stopped
        assertThat(values(all(of + "lt250"))).containsExactlyElementsOf(range(0, 250));
    }

    @Test
    void comboParametersFindTheResourceValueAndTheComponentsValues() {
        String pid = store.create(ADMIN, patient("Combo", null), WriteOptions.plain(BASE))
                .id();
        // a blood pressure: its values are in components, the code of the whole is another one
        Observation bp = observation("Patient/" + pid, "85354-9", 1, "2024-03-01");
        bp.setValue(null);
        bp.addComponent()
                .setCode(new CodeableConcept()
                        .addCoding(new org.hl7.fhir.r5.model.Coding("http://loinc.org", "8480-6", null)))
                .setValue(new Quantity()
                        .setValue(151)
                        .setSystem("http://unitsofmeasure.org")
                        .setCode("mm[Hg]"));
        String withComponent = store.create(ADMIN, bp, WriteOptions.plain(BASE)).id();
        String plain = store.create(
                        ADMIN, observation("Patient/" + pid, "8480-6", 120, "2024-03-02"), WriteOptions.plain(BASE))
                .id();
        String other = store.create(
                        ADMIN, observation("Patient/" + pid, "8310-5", 37, "2024-03-03"), WriteOptions.plain(BASE))
                .id();
        String of = "subject=Patient/" + pid + "&";
        assertThat(ids(search("Observation", of + "combo-code=8480-6")))
                .containsExactlyInAnyOrder(withComponent, plain);
        assertThat(ids(search("Observation", of + "combo-code=85354-9"))).containsExactly(withComponent);
        assertThat(ids(search("Observation", of + "combo-code:not=8480-6"))).containsExactly(other);
        assertThat(ids(search("Observation", of + "combo-value-quantity=gt150")))
                .containsExactly(withComponent);
        assertThat(ids(search("Observation", of + "combo-value-quantity=lt130")))
                .containsExactlyInAnyOrder(plain, other);
        assertThat(ids(search("Observation", of + "combo-value-quantity:missing=true")))
                .isEmpty();
        assertThat(ids(search("Observation", of + "combo-code-value-quantity=8480-6$gt150")))
                .containsExactly(withComponent);
        assertThat(ids(search("Observation", of + "combo-code-value-quantity=8480-6$lt150")))
                .containsExactly(plain);
        // sorted by the least value of the resource and its components
        assertThat(ids(search("Observation", of + "_sort=combo-value-quantity")))
                .containsExactly(other, plain, withComponent);
        assertThat(ids(search("Observation", of + "_sort=-combo-value-quantity")))
                .containsExactly(withComponent, plain, other);
        // nothing of a combo parameter is written: its sources answer
        assertThat(store.sql()
                        .count("SELECT count(*) FROM " + Schema.NAME + ".resource WHERE keys::text LIKE '%combo-%'"))
                .isZero();
    }

    /** Every match of a search, following its next links. */
    private static List<Bundle> all(String typeAndQuery) {
        List<Bundle> pages = new ArrayList<>();
        String q = typeAndQuery.substring(typeAndQuery.indexOf('?') + 1);
        Bundle page = search("Observation", q);
        pages.add(page);
        while (page.getLink(Bundle.LinkRelationTypes.NEXT.toCode()) != null) {
            String url = page.getLink(Bundle.LinkRelationTypes.NEXT.toCode()).getUrl();
            page = search("Observation", url.substring(url.indexOf('?') + 1));
            pages.add(page);
        }
        return pages;
    }

    private static List<Integer> values(Bundle page) {
        return values(List.of(page));
    }

    private static List<Integer> values(List<Bundle> pages) {
        List<Integer> out = new ArrayList<>();
        for (Bundle b : pages) {
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                if (e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH) {
                    out.add(((Observation) e.getResource())
                            .getValueQuantity()
                            .getValue()
                            .intValue());
                }
            }
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void tokenTextMatchesAPrefixOfADisplayOrTextIgnoringCaseAndAccents() {
        String pid = store.create(ADMIN, patient("Texter", null), WriteOptions.plain(BASE))
                .id();
        Observation o = observation("Patient/" + pid, "8302-2", 170, "2024-03-01");
        o.getCode().getCodingFirstRep().setDisplay("Body height");
        o.getCode().setText("Taille mesurée debout");
        String oid = store.create(ADMIN, o, WriteOptions.plain(BASE)).id();
        String of = "subject=Patient/" + pid + "&code:text=";
        assertThat(ids(search("Observation", of + "body"))).containsExactly(oid);
        assertThat(ids(search("Observation", of + "BODY%20HEIGHT"))).containsExactly(oid);
        assertThat(ids(search("Observation", of + "taille%20mesuree"))).containsExactly(oid);
        assertThat(ids(search("Observation", of + "height")))
                .as("a prefix, not a word inside")
                .isEmpty();
        assertThat(ids(search("Observation", of + "body%20heights"))).isEmpty();
        assertThat(ids(search("Observation", of + "x%25")))
                .as("LIKE's wildcards are plain characters")
                .isEmpty();
    }

    @Test
    void twoConcurrentUpdatesWithTheSameVersionGiveOneSuccessAndOne412() throws Exception {
        String pid = store.create(ADMIN, patient("Race", null), WriteOptions.plain(BASE))
                .id();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<Integer> c = () -> {
                    try {
                        store.update(
                                ADMIN,
                                "Patient",
                                pid,
                                patient("Race", null).setId(pid),
                                new WriteOptions("1", null, BASE));
                        return 200;
                    } catch (FhirException e) {
                        return e.status();
                    }
                };
                results.add(pool.submit(c));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCompiledQueryIsAPatientSetOtherStatementsCompose() throws Exception {
        String pid = store.create(ADMIN, patient("Cohort", null), WriteOptions.plain(BASE))
                .id();
        store.create(ADMIN, observation("Patient/" + pid, "2339-0", 120, "2024-01-01"), WriteOptions.plain(BASE));
        org.karyo.fhir.api.CompiledQuery q =
                store.patients(ADMIN, "Observation", "code=http://loinc.org|2339-0&value-quantity=gt100");
        String sql = "SELECT p.id FROM (" + store.patientTable() + ") p WHERE p.patient_key IN (" + q.sql() + ")";
        List<String> ids =
                store.sql().list(sql, rs -> rs.getString(1), q.parameters().toArray());
        assertThat(ids).containsExactly(pid);
    }

    @Test
    void everyPatientCompartmentTableHasThePatientKeyFirstInItsPrimaryKeyAndUniqueIndexes() {
        List<String[]> keys = store.sql()
                .list(
                        "SELECT c.relname, i.indisprimary, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                                + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
                                + " AND a.attnum = i.indkey[0] WHERE n.nspname = 'karyo_fhir' AND i.indisunique"
                                // the reference table of every resource's place: replicated, not distributed
                                + " AND c.relname <> 'resource_id'"
                                + " AND EXISTS (SELECT 1 FROM pg_attribute p WHERE p.attrelid = c.oid"
                                + " AND p.attname = 'patient_key' AND NOT p.attisdropped)",
                        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        java.util.Set<String> tables = new java.util.TreeSet<>();
        for (String[] k : keys) {
            tables.add(k[0]);
            assertThat(k[2])
                    .as("the first key column of a unique index of %s", k[0])
                    .isEqualTo("patient_key");
        }
        assertThat(tables)
                .contains(
                        "resource", "resource_history", "patient_organization", "patient_perimeter", "opposed_patient");
    }

    private static Bundle search(String type, String query) {
        return store.search(ADMIN, type, SearchRequest.parse(query, BASE));
    }

    private static List<String> ids(Bundle b) {
        List<String> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            if (e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH) {
                out.add(e.getResource().getIdPart());
            }
        }
        return out;
    }

    private static Patient patient(String family, String org) {
        Patient p = new Patient();
        p.addName().setFamily(family).addGiven("Test");
        p.setGender(Enumerations.AdministrativeGender.FEMALE);
        if (org != null) {
            p.setManagingOrganization(new Reference("Organization/" + org));
        }
        return p;
    }

    private static Organization organization(String id) {
        Organization o = new Organization();
        o.setId(id);
        o.setName("Hospital " + id);
        return o;
    }

    private static Observation observation(String subject, String code, double value, String date) {
        Observation o = new Observation();
        o.setStatus(Enumerations.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r5.model.Coding("http://loinc.org", code, null)));
        o.setSubject(new Reference(subject));
        o.setValue(new Quantity()
                .setValue(value)
                .setSystem("http://unitsofmeasure.org")
                .setCode("/min"));
        o.setEffective(new DateTimeType(date));
        return o;
    }

    private static FhirConfig config() {
        return TestConfigs.of(
                FhirConfig.class,
                Map.of("max_body_bytes", 1L << 20, "max_bundle_entries", 1000, "read_audit_flush_ms", 100));
    }
}
