package org.karyo.projects.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED;
import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.EnvOverrides;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.projects.api.Institution;
import org.karyo.projects.api.InstitutionUpdate;
import org.karyo.projects.api.Investigator;
import org.karyo.projects.api.InvestigatorUpdate;
import org.karyo.projects.api.NewInstitution;
import org.karyo.projects.api.NewInvestigator;
import org.karyo.projects.api.NewProject;
import org.karyo.projects.api.Project;
import org.karyo.projects.api.ProjectQuery;
import org.karyo.projects.api.ProjectStatus;
import org.karyo.projects.api.ProjectUpdate;
import org.karyo.testing.TestConfigs;

/**
 * Institutions, investigators and projects against a real PostgreSQL with the access module's perimeter tree: nodes,
 * rights down the tree, the same-transaction rule, EBDMS's validation rules, 404 for callers without rights.
 */
class ProjectServiceTest {

    private static ProjectsTestEnv env;
    private static int seq;

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

    private static String code(String prefix) {
        return prefix + (++seq);
    }

    private static PageRequest page() {
        return new PageRequest(100, 0, ProjectQuery.DEFAULT_ORDERING);
    }

    private Institution institution(Caller admin) {
        String c = code("I");
        return env.institutions.create(
                admin, new NewInstitution(c, "Institute " + c, "Genetics", "1 Road " + c, env.root));
    }

    private Investigator investigator(Caller admin, Institution i) {
        return env.institutions.createInvestigator(
                admin, new NewInvestigator(i.id(), "Ada", "Lovelace" + (++seq), "ada@example.org", "+48 123 456"));
    }

    private NewProject newProject(Institution i, Investigator pi, String code) {
        return new NewProject(
                i.id(), pi.id(), code, "Project " + code, "About " + code, null, LocalDate.of(2025, 1, 1), null);
    }

    private static Kind kind(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.kind();
        }
        throw new AssertionError("no exception");
    }

    private static List<String> fields(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("no exception");
    }

    // ---- institutions ---------------------------------------------------------------------------------------------

    @Test
    void anInstitutionIsANodeOfTypeInstitutionUnderTheGivenParentCreatedInTheSameWrite() {
        Caller admin = env.admin();
        Institution i = institution(admin);

        assertThat(i.id()).isPositive();
        assertThat(i.department()).isEqualTo("Genetics");
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE id = " + i.perimeterId()
                        + " AND type = 'institution' AND parent_id = " + env.root + " AND owner = 'projects'"))
                .isEqualTo(1);
        assertThat(env.actions()).contains("projects.institution.create");
        assertThat(env.institutions.get(env.again(admin), i.id())).isEqualTo(i);
    }

    @Test
    void anInstitutionWithoutParentGoesUnderTheSiteRootSoAnAccessOnTheRootCoversIt() {
        Caller rootManager = env.user(env.root, PROJECT_READ, PROJECT_MANAGE);
        // held on the root node (inherited): may add under the root, named or not
        Institution under = env.institutions.create(
                rootManager, new NewInstitution(code("R"), "Under root " + seq, null, null, env.root));
        assertThat(under.id()).isPositive();
        Institution defaulted = env.institutions.create(
                rootManager, new NewInstitution(code("R"), "Defaulted " + seq, null, null, null));
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE id = " + defaulted.perimeterId()
                        + " AND parent_id = " + env.root))
                .as("the site root is the parent")
                .isEqualTo(1);

        // a full administrator's institution without parent is no second root either
        Caller admin = env.admin();
        Institution adminMade =
                env.institutions.create(admin, new NewInstitution(code("R"), "No root " + seq, null, null, null));
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE parent_id IS NULL"
                        + " AND deleted_at IS NULL"))
                .isEqualTo(1);
        // so a reader on the site root sees it, and the projects under it
        Caller rootReader = env.user(env.root, PROJECT_READ);
        assertThat(env.institutions.get(rootReader, adminMade.id())).isEqualTo(adminMade);

        // without projects.project.manage on the root, no parent is refused
        Caller elsewhere = env.user(under.perimeterId(), PROJECT_READ, PROJECT_MANAGE);
        assertThat(kind(() -> env.institutions.create(
                        elsewhere, new NewInstitution(code("R"), "Not at root " + seq, null, null, null))))
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(fields(() -> env.institutions.create(
                        rootReader, new NewInstitution(code("R"), "Not mine " + seq, null, null, env.root))))
                .containsExactly("parent_perimeter_id");
        assertThat(fields(() -> env.institutions.create(
                        admin, new NewInstitution(code("R"), "Nowhere " + seq, null, null, 999_999L))))
                .containsExactly("parent_perimeter_id");
    }

    @Test
    void institutionCodesAreCheckedAndUniqueInAnyCase() {
        Caller admin = env.admin();
        assertThat(fields(() ->
                        env.institutions.create(admin, new NewInstitution("BAD-CODE", " ", null, null, env.root))))
                .containsExactlyInAnyOrder("code", "name");
        assertThat(fields(() -> env.institutions.create(
                        admin, new NewInstitution("ABCDEFGHIJKLM", "Long code", null, null, env.root))))
                .containsExactly("code");
        Institution i = institution(admin);
        long nodes = env.count("SELECT count(*) FROM karyo_accesses.perimeters");
        assertThat(kind(() -> env.institutions.create(
                        admin, new NewInstitution(i.code().toLowerCase(), "Other name", null, null, env.root))))
                .isEqualTo(Kind.CONFLICT);
        assertThat(kind(() -> env.institutions.create(
                        admin, new NewInstitution(code("D"), i.name().toUpperCase(), "genetics", null, env.root))))
                .isEqualTo(Kind.CONFLICT);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(nodes);
    }

    @Test
    void updatingAnInstitutionChecksTheVersionAndKeepsTheCode() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Institution u = env.institutions.update(
                env.again(admin), i.id(), new InstitutionUpdate("Renamed " + i.code(), null, null), OptionalLong.of(1));
        assertThat(u.code()).isEqualTo(i.code());
        assertThat(u.name()).isEqualTo("Renamed " + i.code());
        assertThat(u.department()).isNull();
        assertThat(u.version()).isEqualTo(2);
        assertThat(kind(() -> env.institutions.update(
                        env.again(admin), i.id(), new InstitutionUpdate("Again", null, null), OptionalLong.of(1))))
                .isEqualTo(Kind.PRECONDITION_FAILED);
    }

    // ---- investigators --------------------------------------------------------------------------------------------

    @Test
    void investigatorsBelongToAnInstitutionAndAreUniqueByNameThere() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Caller a = env.again(admin);
        Investigator pi = env.institutions.createInvestigator(
                a, new NewInvestigator(i.id(), "Marie", "Curie", "marie@example.org", null));
        assertThat(pi.institutionId()).isEqualTo(i.id());
        assertThat(kind(() -> env.institutions.createInvestigator(
                        a, new NewInvestigator(i.id(), "marie", "CURIE", null, null))))
                .isEqualTo(Kind.CONFLICT);
        assertThat(fields(() -> env.institutions.createInvestigator(
                        a, new NewInvestigator(i.id(), "", "X", "not-an-email", "12"))))
                .containsExactlyInAnyOrder("first_name", "email", "phone");
        Investigator changed = env.institutions.updateInvestigator(
                a,
                pi.id(),
                new InvestigatorUpdate("Marie", "Skłodowska-Curie", null, "+33 1 23"),
                OptionalLong.empty());
        assertThat(changed.lastName()).isEqualTo("Skłodowska-Curie");
        assertThat(changed.email()).isNull();
        assertThat(env.actions()).contains("projects.investigator.create", "projects.investigator.update");
    }

    @Test
    void anInvestigatorWhoLeadsAProjectCannotBeDeleted() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Investigator free = investigator(env.again(admin), i);
        env.projects.create(env.again(admin), newProject(i, pi, code("P")));

        assertThat(kind(() -> env.institutions.deleteInvestigator(env.again(admin), pi.id(), OptionalLong.empty())))
                .isEqualTo(Kind.CONFLICT);
        env.institutions.deleteInvestigator(env.again(admin), free.id(), OptionalLong.empty());
        assertThat(kind(() -> env.institutions.investigator(env.again(admin), free.id())))
                .isEqualTo(Kind.NOT_FOUND);
    }

    // ---- projects -------------------------------------------------------------------------------------------------

    @Test
    void aProjectIsANodeOfTypeProjectUnderItsInstitutionsNode() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        String c = code("P");
        Project p = env.projects.create(env.again(admin), newProject(i, pi, c));

        assertThat(p.code()).isEqualTo(c);
        assertThat(p.institutionCode()).isEqualTo(i.code());
        assertThat(p.status()).isEqualTo(ProjectStatus.ACTIVE);
        assertThat(p.active()).isTrue();
        assertThat(p.participantCount()).isZero();
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE id = " + p.perimeterId()
                        + " AND type = 'project' AND parent_id = " + i.perimeterId() + " AND owner = 'projects'"))
                .isEqualTo(1);
        assertThat(p.ref().perimeterId()).isEqualTo(p.perimeterId());
        assertThat(env.audit.entries().stream()
                        .filter(e -> e.event().action().equals("projects.project.create"))
                        .filter(e -> e.event().objectId().equals(Long.toString(p.id())))
                        .findFirst()
                        .orElseThrow()
                        .event()
                        .details())
                .containsOnlyKeys("institution_id", "perimeter_id");
    }

    @Test
    void aProjectWhoseRowCannotBeStoredLeavesNoPerimeterNodeBehind() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        long nodes = env.count("SELECT count(*) FROM karyo_accesses.perimeters");
        long projects = env.count("SELECT count(*) FROM karyo_projects.projects");
        List<String> before = env.actions();
        // the node is attached first; then the row's INSERT fails inside the database
        env.sql("CREATE FUNCTION karyo_projects.refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$");
        env.sql("CREATE TRIGGER refuse BEFORE INSERT ON karyo_projects.projects FOR EACH ROW"
                + " EXECUTE FUNCTION karyo_projects.refuse()");
        try {
            assertThatThrownBy(() -> env.projects.create(env.again(admin), newProject(i, pi, code("F"))))
                    .isNotInstanceOf(KaryoException.class);
        } finally {
            env.sql("DROP TRIGGER refuse ON karyo_projects.projects");
            env.sql("DROP FUNCTION karyo_projects.refuse()");
        }
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters")).isEqualTo(nodes);
        assertThat(env.count("SELECT count(*) FROM karyo_accesses.perimeters WHERE type = 'project' AND local_id"
                        + " LIKE 'projects.project.f%'"))
                .isZero();
        assertThat(env.count("SELECT count(*) FROM karyo_projects.projects")).isEqualTo(projects);
        assertThat(env.actions()).isEqualTo(before);
    }

    @Test
    void projectRulesFollowEbdms() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Caller a = env.again(admin);
        LocalDate start = LocalDate.of(2025, 1, 1);
        assertThat(fields(() -> env.projects.create(
                        a,
                        new NewProject(i.id(), pi.id(), "TOOLONGCODE", "", null, ProjectStatus.INACTIVE, start, null))))
                .containsExactlyInAnyOrder("code", "name", "end_date");
        assertThat(fields(() -> env.projects.create(
                        a,
                        new NewProject(i.id(), pi.id(), code("E"), "n" + seq, null, null, start, start.minusDays(1)))))
                .containsExactly("end_date");
        assertThat(fields(() -> env.projects.create(
                        a, new NewProject(i.id(), pi.id(), code("E"), "n" + seq, null, null, null, null))))
                .containsExactly("start_date");
        Institution other = institution(env.again(admin));
        Investigator elsewhere = investigator(env.again(admin), other);
        assertThat(fields(() -> env.projects.create(env.again(admin), newProject(i, elsewhere, code("E")))))
                .containsExactly("investigator_id");
        Project p = env.projects.create(env.again(admin), newProject(i, pi, code("U")));
        assertThat(kind(() -> env.projects.create(
                        env.again(admin), newProject(i, pi, p.code().toLowerCase()))))
                .isEqualTo(Kind.CONFLICT);
    }

    @Test
    void isActiveIsTheStatusAndAnEndDateAfterToday() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Project p = env.projects.create(env.again(admin), newProject(i, pi, code("A")));
        LocalDate today = env.today();

        Project ending = env.projects.update(
                env.again(admin),
                p.id(),
                new ProjectUpdate(pi.id(), p.name(), null, ProjectStatus.ACTIVE, p.startDate(), today),
                OptionalLong.of(p.version()));
        assertThat(ending.active()).as("ends today: not active").isFalse();
        Project later = env.projects.update(
                env.again(admin),
                p.id(),
                new ProjectUpdate(pi.id(), p.name(), null, ProjectStatus.ACTIVE, p.startDate(), today.plusDays(1)),
                OptionalLong.empty());
        assertThat(later.active()).isTrue();
        Project inactive = env.projects.update(
                env.again(admin),
                p.id(),
                new ProjectUpdate(pi.id(), p.name(), null, ProjectStatus.INACTIVE, p.startDate(), today.plusDays(9)),
                OptionalLong.empty());
        assertThat(inactive.active()).isFalse();
        assertThat(env.projects
                        .list(env.again(admin), new ProjectQuery(i.id(), Set.of(), true, null, page()))
                        .results())
                .isEmpty();
        assertThat(env.projects
                        .list(
                                env.again(admin),
                                new ProjectQuery(i.id(), Set.of(ProjectStatus.INACTIVE), false, null, page()))
                        .results())
                .extracting(Project::id)
                .containsExactly(p.id());
        assertThat(kind(() -> env.projects.update(
                        env.again(admin),
                        p.id(),
                        new ProjectUpdate(pi.id(), p.name(), null, null, p.startDate(), null),
                        OptionalLong.of(1))))
                .isEqualTo(Kind.PRECONDITION_FAILED);
    }

    @Test
    void callersWithoutARightOnAProjectGetNotFoundAndSeeNothingInLists() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Project p = env.projects.create(env.again(admin), newProject(i, pi, code("H")));
        Institution j = institution(env.again(admin));
        Investigator pj = investigator(env.again(admin), j);
        Project q = env.projects.create(env.again(admin), newProject(j, pj, code("H")));

        Caller nobody = env.nobody();
        assertThat(kind(() -> env.projects.get(nobody, p.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.institutions.get(nobody, i.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.institutions.investigator(nobody, pi.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.projects.files(nobody, p.id(), page()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.projects.update(
                        nobody,
                        p.id(),
                        new ProjectUpdate(pi.id(), "x", null, null, p.startDate(), null),
                        OptionalLong.empty())))
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(env.projects
                        .list(nobody, new ProjectQuery(null, Set.of(), null, null, page()))
                        .count())
                .isZero();
        assertThat(env.institutions.list(nobody, null, page()).count()).isZero();

        // a right on one project's node shows that project only, not its institution nor the other project
        Caller onP = env.user(p.perimeterId(), PARTICIPANT_READ_PSEUDONYMIZED);
        assertThat(env.projects.get(onP, p.id()).id()).isEqualTo(p.id());
        assertThat(kind(() -> env.projects.get(onP, q.id()))).isEqualTo(Kind.NOT_FOUND);
        assertThat(kind(() -> env.institutions.get(onP, i.id()))).isEqualTo(Kind.NOT_FOUND);
        Page<Project> seen = env.projects.list(onP, new ProjectQuery(null, Set.of(), null, null, page()));
        assertThat(seen.results()).extracting(Project::id).containsExactly(p.id());
        // visible but not manageable: 403
        assertThat(kind(() -> env.projects.update(
                        onP,
                        p.id(),
                        new ProjectUpdate(pi.id(), "x", null, null, p.startDate(), null),
                        OptionalLong.empty())))
                .isEqualTo(Kind.FORBIDDEN);

        // a right on the institution's node holds on each of its projects
        Caller onI = env.user(i.perimeterId(), PROJECT_READ);
        assertThat(env.projects.get(onI, p.id()).id()).isEqualTo(p.id());
        assertThat(env.institutions.get(onI, i.id()).id()).isEqualTo(i.id());
        assertThat(kind(() -> env.projects.get(onI, q.id()))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void aManagerOnAnInstitutionCreatesItsProjectsButNotAnotherInstitutions() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Institution j = institution(env.again(admin));
        Investigator pj = investigator(env.again(admin), j);
        Caller manager = env.user(i.perimeterId(), PROJECT_READ, PROJECT_MANAGE);

        Project p = env.projects.create(manager, newProject(i, pi, code("M")));
        assertThat(p.institutionId()).isEqualTo(i.id());
        assertThat(fields(() -> env.projects.create(env.again(manager), newProject(j, pj, code("M")))))
                .containsExactly("institution_id");
        Caller reader = env.user(i.perimeterId(), PROJECT_READ);
        assertThat(kind(() -> env.projects.create(reader, newProject(i, pi, code("M")))))
                .isEqualTo(Kind.FORBIDDEN);
    }

    @Test
    void listsAreFilteredPagedAndOrdered() {
        Caller admin = env.admin();
        Institution i = institution(admin);
        Investigator pi = investigator(env.again(admin), i);
        Caller a = env.again(admin);
        for (String c : List.of("LZ", "LA", "LM")) {
            env.projects.create(a, newProject(i, pi, c + (++seq)));
        }
        Page<Project> first = env.projects.list(
                a,
                new ProjectQuery(i.id(), Set.of(), null, null, new PageRequest(2, 0, List.of(new Sort("code", true)))));
        assertThat(first.count()).isEqualTo(3);
        assertThat(first.results()).extracting(Project::code).allMatch(c -> c.startsWith("LZ") || c.startsWith("LM"));
        Page<Project> searched = env.projects.list(a, new ProjectQuery(i.id(), Set.of(), null, "la", page()));
        assertThat(searched.results()).extracting(Project::code).allMatch(c -> c.startsWith("LA"));
        assertThat(fields(() -> env.projects.list(
                        a,
                        new ProjectQuery(
                                null,
                                Set.of(),
                                null,
                                null,
                                new PageRequest(5000, 0, List.of(new Sort("secret", false)))))))
                .containsExactlyInAnyOrder("limit", "ordering");
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> new ProjectsSettings(
                        TestConfigs.of(ProjectsSettings.Config.class, Map.of("max_page_size", 5)),
                        EnvOverrides.of(Map.of()),
                        env.clock))
                .hasMessageContaining("max.page.size");
        assertThatThrownBy(() -> new ProjectsSettings(
                        TestConfigs.defaults(ProjectsSettings.Config.class),
                        EnvOverrides.of(Map.of(ProjectsSettings.ENV_PSEUDONYM_KEY, "short")),
                        env.clock))
                .hasMessageContaining(ProjectsSettings.ENV_PSEUDONYM_KEY);
    }
}
