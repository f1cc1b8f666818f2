package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;
import static org.karyo.projects.impl.internal.Fixtures.errors;
import static org.karyo.projects.impl.internal.Fixtures.kind;
import static org.karyo.projects.impl.internal.Fixtures.person;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.ImportReport;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.NewRelation;
import org.karyo.projects.api.Participant;
import org.karyo.projects.api.ParticipantExport;
import org.karyo.projects.api.ParticipantQuery;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.RelationType;

/** CSV export and import of participants: round trip, pseudonymised export, all-or-nothing errors by line and column. */
class ParticipantCsvTest {

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

    private static Caller curator(Project p) {
        return env.user(
                p.perimeterId(),
                PROJECT_READ,
                PARTICIPANT_READ_NOMINATIVE,
                PARTICIPANT_READ_PSEUDONYMIZED,
                PARTICIPANT_MANAGE);
    }

    private static String export(Caller c, Project p) throws IOException {
        ParticipantExport e = env.participants.exportCsv(c, p.id());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        e.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ImportReport importCsv(Caller c, Project p, String csv) {
        return env.participants.importCsv(c, p.id(), new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Participant> all(Caller c, Project p) {
        return env.participants
                .list(
                        c,
                        p.id(),
                        new ParticipantQuery(
                                null, null, Set.of(), new PageRequest(1000, 0, ParticipantQuery.DEFAULT_ORDERING)))
                .results();
    }

    /** What survives a round trip: everything but ids, identifiers, consent and timestamps. */
    private static List<NewParticipant> content(List<Participant> ps) {
        return ps.stream()
                .map(p -> new NewParticipant(
                        p.firstName(),
                        p.lastName(),
                        p.gender(),
                        p.birthDate(),
                        p.active(),
                        p.email(),
                        p.phonePrefix(),
                        p.phoneNumber(),
                        p.address(),
                        p.maritalStatus(),
                        p.language(),
                        p.deceased(),
                        p.deceasedAt(),
                        p.note(),
                        p.sampleIds(),
                        p.diagnoses()))
                .toList();
    }

    @Test
    void theIdentifiersOfAnotherProjectAreRefused() throws IOException {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        env.participants.create(c, p.id(), person("Anna"));
        env.participants.create(c, p.id(), person("Beata"));
        Project q = Fixtures.project(env);
        String csv = export(c, p);
        assertThat(errors(() -> importCsv(curator(q), q, csv)))
                .containsExactly(
                        new FieldError(
                                "line 2: identifier",
                                "is not a participant of the project (leave it empty to add one)"),
                        new FieldError(
                                "line 3: identifier",
                                "is not a participant of the project (leave it empty to add one)"));
        assertThat(env.count("SELECT count(*) FROM karyo_projects.participants WHERE project_id = " + q.id()))
                .isZero();
    }

    @Test
    void aNominativeExportWithoutIdentifiersImportsIntoAnotherProjectUnchanged() throws IOException {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        env.participants.create(c, p.id(), person("Anna", "S1", "S2"));
        env.participants.create(
                c,
                p.id(),
                new NewParticipant(
                        "=cmd|' /C calc'!A0",
                        "O'Brien, \"Jr\"",
                        Gender.MALE,
                        LocalDate.of(1950, 12, 31),
                        false,
                        null,
                        null,
                        null,
                        "Flat 2; 3 \"Long\" Road",
                        null,
                        "fr",
                        true,
                        Instant.parse("2021-06-07T08:09:10.123456Z"),
                        "line one\nline two, with comma",
                        List.of("S3"),
                        List.of(
                                new Diagnosis(Fixtures.ICD11, "5A11", "Type 2 diabetes; unspecified"),
                                new Diagnosis("http://snomed.info/sct", "44054006", null))));
        env.participants.create(
                c,
                p.id(),
                new NewParticipant(
                        "Min",
                        "Imal",
                        Gender.FEMALE,
                        LocalDate.of(2000, 1, 1),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
        String csv = export(c, p);
        assertThat(csv).startsWith(String.join(",", ParticipantCsv.NOMINATIVE) + "\r\n");
        assertThat(csv).contains("'=cmd|");
        // the identifiers are this project's: blank them to add the rows to another project
        String withoutIdentifiers = csv.replaceAll("(?m)^" + p.institutionCode() + "-" + p.code() + "-[0-9]+,", ",");

        Project q = Fixtures.project(env);
        Caller cq = curator(q);
        ImportReport report = importCsv(cq, q, withoutIdentifiers);
        assertThat(report).isEqualTo(new ImportReport(3, 0));
        List<Participant> copied = all(cq, q);
        assertThat(content(copied)).isEqualTo(content(all(c, p)));
        assertThat(copied)
                .extracting(Participant::identifier)
                .containsExactly(
                        q.institutionCode() + "-" + q.code() + "-1",
                        q.institutionCode() + "-" + q.code() + "-2",
                        q.institutionCode() + "-" + q.code() + "-3");
        assertThat(env.actions()).contains("projects.participant.export", "projects.participant.import");

        // and the export of the copy imports back onto itself with no change but the version
        String again = export(cq, q);
        assertThat(importCsv(cq, q, again)).isEqualTo(new ImportReport(0, 3));
        assertThat(content(all(cq, q))).isEqualTo(content(copied));
        assertThat(all(cq, q))
                .as("a replace is a new version")
                .extracting(Participant::version)
                .containsOnly(2L);
    }

    @Test
    void aPseudonymisedReaderExportsPseudonymsAndBirthYearsOnly() throws IOException {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Agata", "SX1"));
        Caller pseudo = env.user(p.perimeterId(), PROJECT_READ, PARTICIPANT_READ_PSEUDONYMIZED);
        ParticipantExport e = env.participants.exportCsv(pseudo, p.id());
        assertThat(e.pseudonymized()).isTrue();
        assertThat(e.fileName()).isEqualTo(p.code() + "-participants-pseudonymized.csv");
        String csv = export(pseudo, p);
        assertThat(csv)
                .isEqualTo(String.join(",", ParticipantCsv.PSEUDONYMIZED) + "\r\n" + a.pseudonym()
                        + ",FEMALE,1980,true,false,SX1," + Fixtures.ICD11 + "|5A11|Type 2 diabetes mellitus,"
                        + "PENDING\r\n");
        assertThat(csv).doesNotContain("Agata", "Kowalska", a.identifier(), "1980-05-17", "example.org");
        // and it cannot be imported as participants (no names)
        List<FieldError> problems = errors(() -> importCsv(c, p, csv));
        assertThat(problems).extracting(FieldError::field).contains("line 1: pseudonym", "line 1: first_name");
    }

    @Test
    void rowsWithAnIdentifierReplaceThatParticipant() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Ida", "A1"));
        Participant b = env.participants.create(c, p.id(), person("Iza", "B1"));
        // the two swap their sample ids, and a new one arrives
        String csv = "identifier,first_name,last_name,gender,birth_date,sample_ids\n"
                + a.identifier() + ",Ida,Nowa,female,1980-05-17,B1\n"
                + b.identifier() + ",Iza,Nowa,F EMALE,1980-05-17,A1\n";
        assertThat(errors(() -> importCsv(c, p, csv)))
                .containsExactly(new FieldError("line 3: gender", "must be MALE or FEMALE"));
        ImportReport r = importCsv(c, p, csv.replace("F EMALE", "FEMALE") + ",New,One,male,2001-02-03,C1;C2\n");
        assertThat(r).isEqualTo(new ImportReport(1, 2));
        assertThat(env.participants.get(c, p.id(), a.id()).sampleIds()).containsExactly("B1");
        assertThat(env.participants.get(c, p.id(), b.id()).sampleIds()).containsExactly("A1");
        assertThat(env.participants.get(c, p.id(), a.id()).lastName()).isEqualTo("Nowa");
        assertThat(env.participants.get(c, p.id(), a.id()).diagnoses())
                .as("replaced: absent = none")
                .isEmpty();
        assertThat(all(c, p))
                .extracting(Participant::identifier)
                .last()
                .isEqualTo(p.institutionCode() + "-" + p.code() + "-3");
    }

    @Test
    void aBadFileChangesNothingAndNamesEveryLineAndColumn() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        Participant a = env.participants.create(c, p.id(), person("Olga", "TAKEN"));
        Participant twin =
                env.participants.create(c, p.id(), person("Olek", "Nowak", Gender.MALE, LocalDate.of(1990, 1, 1)));
        Participant twin2 =
                env.participants.create(c, p.id(), person("Oskar", "Nowak", Gender.MALE, LocalDate.of(1990, 1, 1)));
        env.relations.create(c, p.id(), new NewRelation(twin.id(), twin2.id(), RelationType.TWIN_MONOZYGOTIC, null));
        long before = env.count("SELECT count(*) FROM karyo_projects.participants");
        List<String> actions = env.actions();

        assertThat(errors(() -> importCsv(c, p, "first_name,surname,gender\n")))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("line 1: surname", "line 1: last_name", "line 1: birth_date");
        String header = "first_name,last_name,gender,birth_date,email,deceased,deceased_at,sample_ids,diagnoses,"
                + "identifier\n";
        // a quoted field spans lines 3 and 4: the next record is line 5
        String unparsable = header
                + "Ok,Row,MALE,1999-01-01,,,,NEW1,,\n"
                + "\"Bad\nName\",Row,MALE,3000-01-01,nope,maybe,,NEW1,\"no-pipe\",\n"
                + "Ok,Row,MALE,1999-01-01,,true,,,,\n";
        assertThat(errors(() -> importCsv(c, p, unparsable)))
                .containsExactlyInAnyOrder(
                        new FieldError("line 3: deceased", "must be true or false"),
                        new FieldError("line 3: diagnoses", "each line must be system|code or system|code|display"));
        String invalid = unparsable.replace("maybe", "false").replace("\"no-pipe\"", "")
                + "Ok,Row,MALE,1999-01-01,,,,,," + a.identifier() + "\n"
                + "Ok,Row,MALE,1999-01-01,,,,,," + a.identifier() + "\n";
        assertThat(errors(() -> importCsv(c, p, invalid)))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "line 3: first_name",
                        "line 3: birth_date",
                        "line 3: email",
                        "line 5: deceased_at",
                        "line 7: identifier");
        // what only the database can tell: sample ids taken, in the file or by others; unknown identifiers
        String valid = header
                + "Ok,Row,MALE,1999-01-01,,,,NEW1,,\n"
                + "Ok,Row,MALE,1999-01-01,,,,NEW1;TAKEN,,\n"
                + "Ok,Row,MALE,1999-01-01,,,,,,XX-YY-1\n";
        assertThat(errors(() -> importCsv(c, p, valid)))
                .containsExactlyInAnyOrder(
                        new FieldError("line 3: sample_ids", "NEW1 is also a sample id on line 2"),
                        new FieldError(
                                "line 3: sample_ids",
                                "TAKEN is already a sample id of another participant of the project"),
                        new FieldError(
                                "line 4: identifier",
                                "is not a participant of the project (leave it empty to add one)"));
        // a sample id of a participant the file replaces is free when the new row drops it
        assertThat(importCsv(
                        c,
                        p,
                        header + "Olga,Kowalska,FEMALE,1980-05-17,,,,,," + a.identifier() + "\n"
                                + "New,Owner,MALE,1999-01-01,,,,TAKEN,,\n"))
                .isEqualTo(new ImportReport(1, 1));
        before++;
        actions = env.actions();
        // a twin that would stop matching its monozygotic twin
        String twinCsv = "identifier,first_name,last_name,gender,birth_date\n" + twin.identifier()
                + ",Olek,Nowak,MALE,1990-01-02\n";
        assertThat(errors(() -> importCsv(c, p, twinCsv)))
                .containsExactly(new FieldError(
                        "line 2: birth_date",
                        "must equal the birth date of the participant's monozygotic twin (participant " + twin2.id()
                                + ")"));
        // both twins together may change
        assertThat(importCsv(c, p, twinCsv + twin2.identifier() + ",Oskar,Nowak,MALE,1990-01-02\n"))
                .isEqualTo(new ImportReport(0, 2));

        assertThat(env.count("SELECT count(*) FROM karyo_projects.participants"))
                .isEqualTo(before);
        assertThat(env.actions().size()).isEqualTo(actions.size() + 1);
        assertThat(kind(() -> importCsv(c, p, ""))).isEqualTo(Kind.INVALID);
        env.wire(Map.of("max_import_bytes", 10L), Map.of());
        try {
            assertThat(kind(() -> importCsv(c, p, valid))).isEqualTo(Kind.TOO_LARGE);
        } finally {
            env.wire(Map.of(), Map.of());
        }
        assertThat(env.participants.get(c, p.id(), a.id()).version()).isEqualTo(2);
    }

    @Test
    void anImportReportsTheRowsItWroteOutOfTheRowsOfTheFile() {
        Project p = Fixtures.project(env);
        Caller c = curator(p);
        String csv = "first_name,last_name,gender,birth_date\n"
                + "Ala,Nowak,FEMALE,1990-01-01\nBen,Nowak,MALE,1991-01-01\nCyd,Nowak,MALE,1992-01-01\n";
        List<long[]> reported = new ArrayList<>();
        ImportReport report = env.participants.importCsv(
                c,
                p.id(),
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                (done, total) -> reported.add(new long[] {done, total}));
        assertThat(report).isEqualTo(new ImportReport(3, 0));
        assertThat(reported).extracting(r -> r[0] + "/" + r[1]).containsExactly("0/3", "1/3", "2/3", "3/3");

        // a refused file reports nothing: it never got to the rows
        reported.clear();
        assertThat(kind(() -> env.participants.importCsv(
                        c,
                        p.id(),
                        new ByteArrayInputStream("first_name\nAla\n".getBytes(StandardCharsets.UTF_8)),
                        (done, total) -> reported.add(new long[] {done, total}))))
                .isEqualTo(Kind.INVALID);
        assertThat(reported).isEmpty();
    }
}
