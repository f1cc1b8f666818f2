package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;
import static org.karyo.projects.impl.internal.Fixtures.fields;
import static org.karyo.projects.impl.internal.Fixtures.kind;
import static org.karyo.projects.impl.internal.Fixtures.pdf;
import static org.karyo.projects.impl.internal.Fixtures.person;
import static org.karyo.projects.impl.internal.Fixtures.upload;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.audit.AuditEvent;
import org.karyo.api.security.Caller;
import org.karyo.projects.api.ConsentState;
import org.karyo.projects.api.ConsentUpdate;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.Download;
import org.karyo.projects.api.FileCategory;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.ParticipantRelation;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.RelationType;
import org.karyo.projects.api.Upload;

/**
 * Participants, consent, consent documents and relations against a real PostgreSQL with the access module's perimeter
 * tree. Documents go to the filesystem object store in a temporary folder.
 */
class ParticipantServiceTest {

    private static ProjectsTestEnv env;

    @BeforeAll
    static void start() {
        env = new ProjectsTestEnv();
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    private static ParticipantQuery all() {
        return new ParticipantQuery(null, null, Set.of(), new PageRequest(100, 0, ParticipantQuery.DEFAULT_ORDERING));
    }

    private static ParticipantQuery search(String term) {
        return new ParticipantQuery(term, null, Set.of(), new PageRequest(100, 0, ParticipantQuery.DEFAULT_ORDERING));
    }

    /** A caller holding every participant right on the project. */
    private static Caller curator(Project p) {
        return env.user(
                p.perimeterId(),
                PROJECT_READ,
                PARTICIPANT_READ_NOMINATIVE,
                PARTICIPANT_READ_PSEUDONYMIZED,
                PARTICIPANT_MANAGE);
    }

    // ---- identifiers ----------------------------------------------------------------------------------------------

    @Test
    void identifiersComeFromAPerProjectSequenceAreKeptAndNeverReused() {
        Project p = Fixtures.project(env);
        Project other = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Anna"));
        Participant b = env.participants.create(c, p.id(), person("Beata"));
        Participant x = env.participants.create(curator(other), other.id(), person("Xenia"));
        String prefix = p.institutionCode() + "-" + p.code() + "-";
        assertThat(a.identifier()).isEqualTo(prefix + "1");
        assertThat(b.identifier()).isEqualTo(prefix + "2");
        assertThat(x.identifier()).isEqualTo(other.institutionCode() + "-" + other.code() + "-1");
        assertThat(a.consent().status()).isEqualTo(ConsentState.PENDING);
        assertThat(a.version()).isEqualTo(1);

        Participant renamed =
                env.participants.replace(c, p.id(), a.id(), person("Anne", "S1"), OptionalLong.of(a.version()));
        assertThat(renamed.identifier()).isEqualTo(a.identifier());
        assertThat(renamed.firstName()).isEqualTo("Anne");
        assertThat(renamed.version()).isEqualTo(2);

        env.participants.delete(c, p.id(), b.id(), OptionalLong.empty());
        Participant d = env.participants.create(c, p.id(), person("Dorota"));
        assertThat(d.identifier()).isEqualTo(prefix + "3");
        assertThat(kind(() -> env.participants.get(c, p.id(), b.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(env.projects.get(env.again(c), p.id()).participantCount()).isEqualTo(2);
    }

    @Test
    void auditEntriesOfParticipantWritesCarryOpaqueIdsOnly() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        env.audit.clear();
        Participant a = env.participants.create(c, p.id(), person("Zofia", "SAMPLE-Z"));
        env.participants.replace(c, p.id(), a.id(), person("Zosia", "SAMPLE-Z"), OptionalLong.empty());
        env.participants.get(c, p.id(), a.id());
        env.participants.delete(c, p.id(), a.id(), OptionalLong.empty());

        assertThat(env.actions())
                .containsExactly(
                        "projects.participant.create",
                        "projects.participant.update",
                        "projects.participant.read",
                        "projects.participant.delete");
        for (var e : env.audit.entries()) {
            AuditEvent ev = e.event();
            assertThat(ev.objectId()).isEqualTo(Long.toString(a.id()));
            assertThat(ev.details().values())
                    .noneMatch(v -> v.contains("Zofia")
                            || v.contains("Kowalska")
                            || v.contains("SAMPLE")
                            || v.contains(a.identifier()));
        }
    }

    @Test
    void participantListsArePagedAndOrderedWithTheirTotal() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(env.participants.create(c, p.id(), person("P" + i, "S" + i)).id());
        }
        var page = env.participants.list(
                c,
                p.id(),
                new ParticipantQuery(
                        null, null, Set.of(), new PageRequest(2, 1, List.of(new Sort("identifier", true)))));
        assertThat(page.count()).isEqualTo(5);
        assertThat(page.results()).extracting(Participant::id).containsExactly(ids.get(3), ids.get(2));
        assertThat(page.results().get(0).sampleIds()).containsExactly("S3");
        var beyond = env.participants.list(
                c, p.id(), new ParticipantQuery(null, null, Set.of(), new PageRequest(2, 10, List.of())));
        assertThat(beyond.count()).isEqualTo(5);
        assertThat(beyond.results()).isEmpty();
        assertThat(env.participants
                        .list(c, p.id(), new ParticipantQuery(null, false, Set.of(), all().page()))
                        .count())
                .isZero();
    }

    // ---- validation -----------------------------------------------------------------------------------------------

    @Test
    void demographicsFollowEbdmsRules() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        LocalDate today = env.today();
        NewParticipant ok = person("Ola");
        assertThat(fields(() -> env.participants.create(
                        c, p.id(), Fixtures.with(ok, today.plusDays(1), Gender.FEMALE, null, null))))
                .containsExactly("birth_date");
        assertThat(fields(
                        () -> env.participants.create(c, p.id(), Fixtures.with(ok, ok.birthDate(), null, true, null))))
                .containsExactlyInAnyOrder("gender", "deceased_at");
        assertThat(fields(() -> env.participants.create(
                        c,
                        p.id(),
                        Fixtures.with(
                                ok, ok.birthDate(), Gender.FEMALE, false, Instant.parse("2020-01-01T00:00:00Z")))))
                .containsExactly("deceased_at");
        assertThat(fields(() -> env.participants.create(
                        c,
                        p.id(),
                        Fixtures.with(ok, ok.birthDate(), Gender.FEMALE, true, Instant.parse("1970-01-01T00:00:00Z")))))
                .containsExactly("deceased_at");
        assertThat(fields(() -> env.participants.create(
                        c,
                        p.id(),
                        Fixtures.with(
                                ok,
                                ok.birthDate(),
                                Gender.FEMALE,
                                true,
                                env.clock.instant().plusSeconds(90_000)))))
                .containsExactly("deceased_at");
        Participant dead = env.participants.create(
                c,
                p.id(),
                Fixtures.with(ok, ok.birthDate(), Gender.FEMALE, true, Instant.parse("2024-02-03T04:05:06Z")));
        assertThat(dead.deceased()).isTrue();
        assertThat(dead.deceasedAt()).isEqualTo(Instant.parse("2024-02-03T04:05:06Z"));

        NewParticipant bad = new NewParticipant(
                " ",
                "Nowak\nEvil",
                Gender.MALE,
                LocalDate.of(1800, 1, 1),
                null,
                "not-an-email",
                "+48",
                null,
                "line one\nline two",
                "X",
                "english language",
                null,
                null,
                null,
                List.of("S 1", "S2", "S2", p.institutionCode() + "-" + p.code() + "-7"),
                List.of(
                        new Diagnosis(Fixtures.ICD11, "5A11", null),
                        new Diagnosis(Fixtures.ICD11, "5A11", "again"),
                        new Diagnosis("", "X|Y", null)));
        assertThat(fields(() -> env.participants.create(c, p.id(), bad)))
                .containsExactlyInAnyOrder(
                        "first_name",
                        "last_name",
                        "birth_date",
                        "email",
                        "phone_number",
                        "address",
                        "marital_status",
                        "language",
                        "sample_ids[0]",
                        "sample_ids[2]",
                        "sample_ids[3]",
                        "diagnoses[1]",
                        "diagnoses[2].system",
                        "diagnoses[2].code");
        assertThat(fields(() -> env.participants.create(c, p.id(), null)))
                .containsExactlyInAnyOrder("first_name", "last_name", "gender", "birth_date");
    }

    @Test
    void sampleIdsAreUniqueWithinAProjectOnly() {
        Project p = Fixtures.project(env);
        Project q = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Ala", "NA12878", "S-2"));
        assertThat(a.sampleIds()).containsExactly("NA12878", "S-2");
        assertThat(fields(() -> env.participants.create(c, p.id(), person("Ela", "X1", "NA12878"))))
                .containsExactly("sample_ids[1]");
        assertThat(env.participants
                        .create(curator(q), q.id(), person("Ela", "NA12878"))
                        .sampleIds())
                .containsExactly("NA12878");
        // moving a sample id to another participant: free it first
        env.participants.replace(c, p.id(), a.id(), person("Ala", "S-2"), OptionalLong.empty());
        assertThat(env.participants.create(c, p.id(), person("Ela", "NA12878")).sampleIds())
                .containsExactly("NA12878");
    }

    // ---- pseudonymisation -----------------------------------------------------------------------------------------

    @Test
    void aPseudonymisedReaderSeesNoNamesNoContactNoFreeTextAndOnlyTheBirthYear() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant full = env.participants.create(c, p.id(), person("Iga", "SMP1"));
        env.consents.putDocument(
                c, p.id(), full.id(), upload("iga-kowalska-consent.pdf", pdf("signed")), OptionalLong.empty());
        Participant signed = env.consents.update(
                c,
                p.id(),
                full.id(),
                new ConsentUpdate(ConsentState.GIVEN, LocalDate.of(2025, 2, 1), null, null),
                OptionalLong.empty());
        Caller pseudo = env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_READ_PSEUDONYMIZED);

        Participant seen = env.participants.get(pseudo, p.id(), full.id());
        assertThat(seen.pseudonymized()).isTrue();
        assertThat(seen.identifier()).isNull();
        assertThat(seen.firstName()).isNull();
        assertThat(seen.lastName()).isNull();
        assertThat(seen.birthDate()).isNull();
        assertThat(seen.birthYear()).isEqualTo(1980);
        assertThat(seen.email()).isNull();
        assertThat(seen.phonePrefix()).isNull();
        assertThat(seen.phoneNumber()).isNull();
        assertThat(seen.address()).isNull();
        assertThat(seen.maritalStatus()).isNull();
        assertThat(seen.language()).isNull();
        assertThat(seen.note()).isNull();
        assertThat(seen.consent().status()).isEqualTo(ConsentState.GIVEN);
        assertThat(seen.consent().givenOn()).isNull();
        assertThat(seen.consent().document().fileName()).isNull();
        assertThat(seen.gender()).isEqualTo(Gender.FEMALE);
        assertThat(seen.diagnoses()).isEqualTo(signed.diagnoses());
        assertThat(seen.sampleIds()).containsExactly("SMP1");
        assertThat(seen.pseudonym()).matches("PSN-[A-Z2-7]{16}").isEqualTo(signed.pseudonym());
        assertThat(signed.pseudonymized()).isFalse();
        assertThat(signed.identifier()).isNotNull();

        // stable, and different for another participant
        assertThat(env.participants.get(env.again(pseudo), p.id(), full.id()).pseudonym())
                .isEqualTo(seen.pseudonym());
        Participant other = env.participants.create(c, p.id(), person("Iga"));
        assertThat(other.pseudonym()).isNotEqualTo(seen.pseudonym());
        // a pseudonymised reader cannot find anyone by name, only by sample id
        assertThat(env.participants.list(pseudo, p.id(), search("Kowalska")).count())
                .isZero();
        assertThat(env.participants.list(pseudo, p.id(), search("smp")).results())
                .extracting(Participant::pseudonym)
                .containsExactly(seen.pseudonym());
        assertThat(env.participants.list(c, p.id(), search("kowal")).count()).isEqualTo(2);
        assertThat(env.participants.list(pseudo, p.id(), all()).results())
                .allMatch(Participant::pseudonymized)
                .allMatch(x -> x.lastName() == null && x.identifier() == null);
        assertThat(fields(() -> env.participants.list(
                        pseudo,
                        p.id(),
                        new ParticipantQuery(
                                null, null, Set.of(), new PageRequest(20, 0, List.of(new Sort("last_name", false)))))))
                .containsExactly("ordering");
        // the consent form carries the name
        assertThat(kind(() -> env.consents.document(pseudo, p.id(), full.id()))).isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void aManagerWhoMayNotReadNamesGetsWritesBackPseudonymised() {
        Project p = Fixtures.project(env);
        Caller clerk = env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_MANAGE);
        Participant created = env.participants.create(clerk, p.id(), person("Hanna"));
        assertThat(created.pseudonymized()).isTrue();
        assertThat(created.firstName()).isNull();
        assertThat(kind(() -> env.participants.get(clerk, p.id(), created.id())))
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void thePseudonymKeyComesFromTheEnvironmentOrIsGeneratedOnceIntoTheDatabase() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Kinga"));
        assertThat(env.count("SELECT count(*) FROM karyo_projects.pseudonym_key"))
                .isEqualTo(1);
        String fromDatabase = a.pseudonym();
        try {
            env.wire(
                    Map.of(),
                    Map.of(ProjectsSettings.ENV_PSEUDONYM_KEY, "a passphrase that is long enough to be a key"));
            String fromEnv = env.participants.get(c, p.id(), a.id()).pseudonym();
            assertThat(fromEnv).isNotEqualTo(fromDatabase).matches("PSN-[A-Z2-7]{16}");
            env.wire(
                    Map.of(),
                    Map.of(ProjectsSettings.ENV_PSEUDONYM_KEY, "a passphrase that is long enough to be a key"));
            assertThat(env.participants.get(c, p.id(), a.id()).pseudonym()).isEqualTo(fromEnv);
        } finally {
            env.wire(Map.of(), Map.of());
        }
        // a restart without the variable reads the same stored key
        assertThat(env.participants.get(c, p.id(), a.id()).pseudonym()).isEqualTo(fromDatabase);
        assertThat(env.count("SELECT count(*) FROM karyo_projects.pseudonym_key"))
                .isEqualTo(1);
    }

    // ---- consent --------------------------------------------------------------------------------------------------

    @Test
    void consentGivenNeedsASignedDocumentAndADate() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Maja"));
        LocalDate given = LocalDate.of(2025, 6, 1);
        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.GIVEN, null, null, null),
                        OptionalLong.empty())))
                .containsExactlyInAnyOrder("given_on", "status");
        env.consents.putDocument(c, p.id(), a.id(), upload("c.pdf", pdf("signed")), OptionalLong.empty());
        Participant g = env.consents.update(
                c,
                p.id(),
                a.id(),
                new ConsentUpdate(ConsentState.GIVEN, given, null, LocalDate.of(2030, 1, 1)),
                OptionalLong.empty());
        assertThat(g.consent().status()).isEqualTo(ConsentState.GIVEN);
        assertThat(g.consent().givenOn()).isEqualTo(given);
        assertThat(g.consent().document().fileName()).isEqualTo("c.pdf");
        assertThat(env.actions()).contains("projects.consent.update", "projects.consent_document.upload");

        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.EXPIRED, given, null, null),
                        OptionalLong.empty())))
                .containsExactly("status");
        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.GIVEN, env.today().plusDays(1), null, null),
                        OptionalLong.empty())))
                .containsExactly("given_on");
        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.PENDING, given, null, null),
                        OptionalLong.empty())))
                .containsExactly("given_on");
        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.WITHDRAWN, given, given.minusDays(1), null),
                        OptionalLong.empty())))
                .containsExactly("withdrawn_on");
        assertThat(fields(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.GIVEN, given, null, given),
                        OptionalLong.empty())))
                .containsExactly("expires_on");
        assertThat(kind(() -> env.consents.update(
                        c,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.WITHDRAWN, given, env.today(), null),
                        OptionalLong.of(1))))
                .isEqualTo(Kind.PRECONDITION_FAILED);
    }

    @Test
    void aGivenConsentPastItsExpiryDateIsExpiredAndAWithdrawnOneKeepsItsDates() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Nina"));
        Participant b = env.participants.create(c, p.id(), person("Ola"));
        for (Participant x : List.of(a, b)) {
            env.consents.putDocument(c, p.id(), x.id(), upload("c.pdf", pdf("signed")), OptionalLong.empty());
        }
        LocalDate today = env.today();
        env.consents.update(
                c,
                p.id(),
                a.id(),
                new ConsentUpdate(ConsentState.GIVEN, today.minusDays(30), null, today.minusDays(1)),
                OptionalLong.empty());
        env.consents.update(
                c,
                p.id(),
                b.id(),
                new ConsentUpdate(ConsentState.GIVEN, today.minusDays(30), null, today),
                OptionalLong.empty());

        assertThat(env.participants.get(c, p.id(), a.id()).consent().status()).isEqualTo(ConsentState.EXPIRED);
        assertThat(env.participants.get(c, p.id(), b.id()).consent().status())
                .as("valid through its expiry day")
                .isEqualTo(ConsentState.GIVEN);
        assertThat(env.participants
                        .list(c, p.id(), new ParticipantQuery(null, null, Set.of(ConsentState.EXPIRED), all().page()))
                        .results())
                .extracting(Participant::id)
                .containsExactly(a.id());
        assertThat(env.directory.participant(p.id(), a.id()).consent()).isEqualTo(ConsentState.EXPIRED);
        assertThat(env.directory.participant(p.id(), a.id()).consent().allowsGenotypes())
                .isFalse();
        env.clock.advance(Duration.ofDays(1));
        try {
            assertThat(env.participants.get(c, p.id(), b.id()).consent().status())
                    .isEqualTo(ConsentState.EXPIRED);
        } finally {
            env.clock.advance(Duration.ofDays(-1));
        }

        Participant w = env.consents.update(
                c,
                p.id(),
                b.id(),
                new ConsentUpdate(ConsentState.WITHDRAWN, today.minusDays(30), today, null),
                OptionalLong.empty());
        assertThat(w.consent().status()).isEqualTo(ConsentState.WITHDRAWN);
        assertThat(w.consent().givenOn()).isEqualTo(today.minusDays(30));
        assertThat(w.consent().withdrawnOn()).isEqualTo(today);
        assertThat(env.directory.participant(p.id(), b.id()).consent().allowsGenotypes())
                .isFalse();
    }

    // ---- consent documents ----------------------------------------------------------------------------------------

    @Test
    void aConsentDocumentIsStoredWithItsSha256AndStreamsBack() throws Exception {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Lena"));
        byte[] bytes = pdf("signed by Lena");
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        Participant withDoc = env.consents.putDocument(
                c,
                p.id(),
                a.id(),
                new Upload("lena.pdf", "application/pdf", -1, sha, new ByteArrayInputStream(bytes)),
                OptionalLong.of(a.version()));
        assertThat(withDoc.consent().document().sha256()).isEqualTo(sha);
        assertThat(withDoc.consent().document().size()).isEqualTo(bytes.length);
        assertThat(withDoc.consent().document().contentType()).isEqualTo("application/pdf");
        String key = env.count("SELECT count(*) FROM karyo_projects.participants WHERE id = " + a.id()
                                + " AND consent_document_key LIKE 'projects/" + p.id() + "/consents/" + a.id() + "/%'")
                        == 1
                ? keyOf(a.id())
                : null;
        assertThat(key).isNotNull();
        assertThat(env.exists(key)).isTrue();

        Download d = env.consents.document(c, p.id(), a.id());
        try (InputStream in = d.data()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(d.sha256()).isEqualTo(sha);
        assertThat(d.fileName()).isEqualTo("lena.pdf");
        assertThat(env.consents.documentLink(c, p.id(), a.id()).sha256()).isEqualTo(sha);
        assertThat(env.actions()).contains("projects.consent_document.read");

        // a replacement gets a new key; the old object goes once the row committed
        env.consents.putDocument(c, p.id(), a.id(), upload("v2.pdf", pdf("v2")), OptionalLong.empty());
        String second = keyOf(a.id());
        assertThat(second).isNotEqualTo(key);
        assertThat(env.exists(key)).isFalse();
        assertThat(env.exists(second)).isTrue();

        // deleting it (not while GIVEN) removes the object
        env.consents.deleteDocument(c, p.id(), a.id(), OptionalLong.empty());
        assertThat(env.exists(second)).isFalse();
        assertThat(env.participants.get(c, p.id(), a.id()).consent().document()).isNull();
        assertThat(kind(() -> env.consents.document(c, p.id(), a.id()))).isEqualTo(Kind.NOT_FOUND);
    }

    private static String keyOf(long participantId) {
        return env.projectsStore
                .sql()
                .one(
                        "SELECT consent_document_key FROM karyo_projects.participants WHERE id = ?",
                        rs -> rs.getString(1),
                        participantId)
                .orElse(null);
    }

    @Test
    void aBadDocumentLeavesNeitherObjectNorChange() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Ewa"));
        String prefix = "projects/" + p.id() + "/consents/";
        byte[] bytes = pdf("x");

        KaryoException mismatch = org.junit.jupiter.api.Assertions.assertThrows(
                KaryoException.class,
                () -> env.consents.putDocument(
                        c,
                        p.id(),
                        a.id(),
                        new Upload("x.pdf", null, bytes.length, "0".repeat(64), new ByteArrayInputStream(bytes)),
                        OptionalLong.empty()));
        assertThat(mismatch.kind()).isEqualTo(Kind.INVALID);
        assertThat(fields(() -> env.consents.putDocument(
                        c,
                        p.id(),
                        a.id(),
                        new Upload("x.pdf", null, -1, "nothex", new ByteArrayInputStream(bytes)),
                        OptionalLong.empty())))
                .containsExactly("sha256");
        assertThat(fields(() -> env.consents.putDocument(
                        c,
                        p.id(),
                        a.id(),
                        upload("x.pdf", "PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1)),
                        OptionalLong.empty())))
                .containsExactly("file");
        assertThat(fields(() -> env.consents.putDocument(
                        c, p.id(), a.id(), upload("x.pdf", new byte[0]), OptionalLong.empty())))
                .containsExactly("file");
        // a stale version: the object written first is removed again
        assertThat(kind(() -> env.consents.putDocument(c, p.id(), a.id(), upload("x.pdf", bytes), OptionalLong.of(99))))
                .isEqualTo(Kind.PRECONDITION_FAILED);
        assertThat(env.keys(prefix)).isEmpty();
        assertThat(env.participants.get(c, p.id(), a.id()).version()).isEqualTo(1);

        env.wire(Map.of("max_document_bytes", 16L), Map.of());
        try {
            byte[] big = pdf("this document is longer than sixteen bytes");
            assertThat(kind(() ->
                            env.consents.putDocument(c, p.id(), a.id(), upload("big.pdf", big), OptionalLong.empty())))
                    .isEqualTo(Kind.TOO_LARGE);
            // an unknown length is cut off while it streams
            assertThat(kind(() -> env.consents.putDocument(
                            c,
                            p.id(),
                            a.id(),
                            new Upload("big.pdf", null, -1, null, new ByteArrayInputStream(big)),
                            OptionalLong.empty())))
                    .isEqualTo(Kind.TOO_LARGE);
        } finally {
            env.wire(Map.of(), Map.of());
        }
        assertThat(env.keys(prefix)).isEmpty();
    }

    @Test
    void aGivenConsentKeepsItsDocument() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Ula"));
        env.consents.putDocument(c, p.id(), a.id(), upload("u.pdf", pdf("u")), OptionalLong.empty());
        env.consents.update(
                c,
                p.id(),
                a.id(),
                new ConsentUpdate(ConsentState.GIVEN, LocalDate.of(2025, 1, 2), null, null),
                OptionalLong.empty());
        assertThat(kind(() -> env.consents.deleteDocument(c, p.id(), a.id(), OptionalLong.empty())))
                .isEqualTo(Kind.CONFLICT);
        assertThat(keyOf(a.id())).isNotNull();
    }

    @Test
    void deletingAParticipantRemovesItsConsentDocumentAfterCommit() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Wanda"));
        env.consents.putDocument(c, p.id(), a.id(), upload("w.pdf", pdf("w")), OptionalLong.empty());
        String key = keyOf(a.id());
        env.participants.delete(c, p.id(), a.id(), OptionalLong.empty());
        assertThat(env.exists(key)).isFalse();
        assertThat(new ProjectObjectReferences(env.projectsStore).referenced(List.of(key)))
                .isEmpty();
    }

    @Test
    void objectReferencesNameTheKeysRowsStillHold() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Rita"));
        env.consents.putDocument(c, p.id(), a.id(), upload("r.pdf", pdf("r")), OptionalLong.empty());
        var file = env.projects.addFile(
                env.admin(), p.id(), "protocol.pdf", FileCategory.PROTOCOLS, upload("p.pdf", pdf("p")));
        String consentKey = keyOf(a.id());
        String fileKey = env.projectsStore
                .sql()
                .one(
                        "SELECT object_key FROM karyo_projects.project_files WHERE id = ?",
                        rs -> rs.getString(1),
                        file.id())
                .orElseThrow();
        ProjectObjectReferences refs = new ProjectObjectReferences(env.projectsStore);
        assertThat(refs.prefix()).isEqualTo("projects/");
        assertThat(refs.referenced(List.of(consentKey, fileKey, "projects/1/files/orphan.pdf")))
                .containsExactlyInAnyOrder(consentKey, fileKey);
    }

    // ---- relations ------------------------------------------------------------------------------------------------

    @Test
    void relationsRefuseSelfOtherProjectsDuplicatesAndMismatchedMonozygoticTwins() {
        Project p = Fixtures.project(env);
        Project q = Fixtures.project(env);
        Caller c = curator(p);
        LocalDate birth = LocalDate.of(1990, 1, 1);
        Participant a = env.participants.create(c, p.id(), person("Tomasz", "Nowak", Gender.MALE, birth));
        Participant b = env.participants.create(c, p.id(), person("Tadeusz", "Nowak", Gender.MALE, birth));
        Participant s = env.participants.create(c, p.id(), person("Teresa", "Nowak", Gender.FEMALE, birth));
        Participant elsewhere = env.participants.create(curator(q), q.id(), person("Obcy"));

        assertThat(fields(() ->
                        env.relations.create(c, p.id(), new NewRelation(a.id(), a.id(), RelationType.SIBLING, null))))
                .containsExactly("to_participant_id");
        assertThat(fields(() -> env.relations.create(
                        c, p.id(), new NewRelation(a.id(), elsewhere.id(), RelationType.SIBLING, null))))
                .containsExactly("to_participant_id");
        assertThat(fields(() -> env.relations.create(
                        c, p.id(), new NewRelation(a.id(), s.id(), RelationType.TWIN_MONOZYGOTIC, null))))
                .containsExactly("type");

        ParticipantRelation twins = env.relations.create(
                c, p.id(), new NewRelation(a.id(), b.id(), RelationType.TWIN_MONOZYGOTIC, "born 10 minutes apart"));
        assertThat(twins.note()).isEqualTo("born 10 minutes apart");
        assertThat(kind(() -> env.relations.create(
                        c, p.id(), new NewRelation(b.id(), a.id(), RelationType.TWIN_MONOZYGOTIC, null))))
                .isEqualTo(Kind.CONFLICT);
        ParticipantRelation dizygotic =
                env.relations.create(c, p.id(), new NewRelation(a.id(), s.id(), RelationType.TWIN_DIZYGOTIC, null));

        // a monozygotic twin keeps the same birth date and gender
        assertThat(fields(() -> env.participants.replace(
                        c,
                        p.id(),
                        b.id(),
                        person("Tadeusz", "Nowak", Gender.MALE, birth.plusDays(1)),
                        OptionalLong.empty())))
                .containsExactly("birth_date");
        assertThat(env.relations
                        .list(c, p.id(), a.id(), new PageRequest(20, 0, List.of()))
                        .count())
                .isEqualTo(2);
        assertThat(env.relations
                        .list(c, p.id(), b.id(), new PageRequest(20, 0, List.of()))
                        .results())
                .extracting(ParticipantRelation::id)
                .containsExactly(twins.id());

        Caller pseudo = env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_READ_PSEUDONYMIZED);
        assertThat(env.relations.get(pseudo, p.id(), twins.id()).note()).isNull();
        assertThat(kind(() -> env.relations.get(c, q.id(), twins.id()))).isEqualTo(Kind.NOT_FOUND);

        env.relations.delete(c, p.id(), dizygotic.id());
        env.participants.delete(c, p.id(), b.id(), OptionalLong.empty());
        assertThat(env.relations
                        .list(c, p.id(), null, new PageRequest(20, 0, List.of()))
                        .count())
                .isZero();
        assertThat(env.actions()).contains("projects.relation.create", "projects.relation.delete");
    }

    // ---- rights ---------------------------------------------------------------------------------------------------

    @Test
    void callersWithoutARightOnTheProjectGetNotFoundForEverythingInIt() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Jola"));
        Caller nobody = env.nobody();
        List<Runnable> calls = List.of(
                () -> env.participants.list(nobody, p.id(), all()),
                () -> env.participants.get(nobody, p.id(), a.id()),
                () -> env.participants.create(nobody, p.id(), person("X")),
                () -> env.participants.replace(nobody, p.id(), a.id(), person("X"), OptionalLong.empty()),
                () -> env.participants.delete(nobody, p.id(), a.id(), OptionalLong.empty()),
                () -> env.consents.update(
                        nobody,
                        p.id(),
                        a.id(),
                        new ConsentUpdate(ConsentState.PENDING, null, null, null),
                        OptionalLong.empty()),
                () -> env.consents.putDocument(nobody, p.id(), a.id(), upload("x.pdf", pdf("x")), OptionalLong.empty()),
                () -> env.consents.document(nobody, p.id(), a.id()),
                () -> env.participants.exportCsv(nobody, p.id()),
                () -> env.participants.importCsv(
                        nobody, p.id(), new ByteArrayInputStream("first_name\n".getBytes(StandardCharsets.UTF_8))),
                () -> env.relations.list(nobody, p.id(), null, new PageRequest(20, 0, List.of())),
                () -> env.relations.create(nobody, p.id(), new NewRelation(a.id(), a.id(), RelationType.OTHER, null)),
                () -> env.projects.addFile(nobody, p.id(), "a.pdf", FileCategory.DOCUMENTS, upload("a.pdf", pdf("a"))),
                () -> env.directory.require(nobody, p.id(), PROJECT_READ));
        for (Runnable call : calls) {
            assertThat(kind(call)).isEqualTo(Kind.NOT_FOUND);
        }
        assertThat(env.keys("projects/" + p.id() + "/")).isEmpty();

        Caller reader = env.user(p.perimeterId(), PROJECT_READ);
        assertThat(kind(() -> env.participants.list(reader, p.id(), all()))).isEqualTo(Kind.FORBIDDEN);
        assertThat(kind(() -> env.participants.create(reader, p.id(), person("X"))))
                .isEqualTo(Kind.FORBIDDEN);

        // a participant of another project is not found through this one
        Project q = Fixtures.project(env);
        assertThat(kind(() -> env.participants.get(curator(q), q.id(), a.id()))).isEqualTo(Kind.NOT_FOUND);
    }
}
