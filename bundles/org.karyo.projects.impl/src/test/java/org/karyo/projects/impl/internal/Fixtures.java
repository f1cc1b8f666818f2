package org.karyo.projects.impl.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.security.Caller;
import org.karyo.projects.api.Diagnosis;
import org.karyo.projects.api.Gender;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.Investigator;
import org.karyo.projects.api.NewInstitution;
import org.karyo.projects.api.NewInvestigator;
import org.karyo.projects.api.NewParticipant;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.Upload;

/** Test data: an institution with a project, participants, documents; and exception probes. */
final class Fixtures {
    private static int seq;

    private Fixtures() {}

    static final String ICD11 = "http://id.who.int/icd/release/11/mms";

    /** A new institution (code {@code I<n>}) with an investigator and a project (code {@code P<n>}). */
    static Project project(ProjectsTestEnv env) {
        Caller admin = env.admin();
        int n = ++seq;
        Institution i =
                env.institutions.create(admin, new NewInstitution("I" + n, "Institute " + n, null, null, env.root));
        Caller a = env.again(admin);
        Investigator pi =
                env.institutions.createInvestigator(a, new NewInvestigator(i.id(), "Ada", "Lovelace", null, null));
        return env.projects.create(
                a,
                new NewProject(i.id(), pi.id(), "P" + n, "Project " + n, null, null, LocalDate.of(2025, 1, 1), null));
    }

    static NewParticipant person(String first, String last, Gender gender, LocalDate birth, String... samples) {
        return new NewParticipant(
                first,
                last,
                gender,
                birth,
                null,
                first.toLowerCase() + "@example.org",
                "+48",
                "600100200",
                "1 Main Street, Szczecin",
                "M",
                "pl-PL",
                null,
                null,
                "Met at the clinic on Tuesday",
                List.of(samples),
                List.of(new Diagnosis(ICD11, "5A11", "Type 2 diabetes mellitus")));
    }

    static NewParticipant person(String first, String... samples) {
        return person(first, "Kowalska", Gender.FEMALE, LocalDate.of(1980, 5, 17), samples);
    }

    /** A copy of {@code p} with another birth date, gender and deceased state. */
    static NewParticipant with(NewParticipant p, LocalDate birth, Gender gender, Boolean deceased, Instant deceasedAt) {
        return new NewParticipant(
                p.firstName(),
                p.lastName(),
                gender,
                birth,
                p.active(),
                p.email(),
                p.phonePrefix(),
                p.phoneNumber(),
                p.address(),
                p.maritalStatus(),
                p.language(),
                deceased,
                deceasedAt,
                p.note(),
                p.sampleIds(),
                p.diagnoses());
    }

    static byte[] pdf(String text) {
        return ("%PDF-1.7\n" + text + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Upload upload(String name, byte[] bytes) {
        return new Upload(name, "application/pdf", bytes.length, null, new ByteArrayInputStream(bytes));
    }

    static Kind kind(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.kind();
        }
        throw new AssertionError("no exception");
    }

    static List<String> fields(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            if (e.kind() != Kind.INVALID) {
                throw new AssertionError("expected INVALID, got " + e.kind() + ": " + e.getMessage());
            }
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("no exception");
    }

    static List<FieldError> errors(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.errors();
        }
        throw new AssertionError("no exception");
    }
}
