package org.karyo.accesses.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.accesses.api.AccessRights.EXPORT_CSV_XLSX_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.FULL_ADMIN;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATALABS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_DATALABS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Role;
import org.karyo.accesses.api.RoleService.RoleHolder;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightContributor;
import org.karyo.api.security.RightDefinition;

/** Roles: Cohort360's consistency rules, full-admin-only writes, delete rules, holders. */
class RoleServiceTest {

    private static final PageRequest ALL = new PageRequest(1000, 0, List.of());
    private static TestEnv env;
    private Caller admin;

    @BeforeAll
    static void database() {
        env = new TestEnv();
    }

    @AfterAll
    static void drop() {
        env.close();
    }

    @BeforeEach
    void fixture() {
        env.reset();
        env.tree();
        admin = env.admin();
    }

    private static KaryoException failure(Runnable r) {
        try {
            r.run();
        } catch (KaryoException e) {
            return e;
        }
        throw new AssertionError("expected a KaryoException");
    }

    private List<String> rightsErrors(Set<String> rights) {
        KaryoException e = failure(() -> env.roles.create(admin, "R", rights));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors()).extracting(FieldError::field).containsOnly("rights");
        return e.errors().stream().map(FieldError::message).toList();
    }

    @Test
    void createAndReadARole() {
        Role r = env.roles.create(admin, " Reader ", Set.of(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP));
        assertThat(r.name()).isEqualTo("Reader");
        assertThat(r.rights()).containsExactly(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP);
        assertThat(env.roles.get(env.caller("anyone"), r.id())).isEqualTo(r);
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.role.create");
        assertThat(env.audit.last().event().objectId()).isEqualTo(String.valueOf(r.id()));
        // the role-JSON booleans: one per of the sixteen
        assertThat(AccessRights.ALL.stream().filter(r::has).map(AccessRights::flag))
                .containsExactly("right_read_patient_nominative", "right_search_patients_by_ipp");
    }

    @Test
    void onlyFullAdministratorsWriteRoles() {
        env.role("DATA MGR", Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS));
        env.grant("m", "DATA MGR", "APHP");
        Caller m = env.caller("m");
        long id = env.roles.create(admin, "X", Set.of(READ_PATIENT_NOMINATIVE)).id();
        assertThat(failure(() -> env.roles.create(m, "Y", Set.of())).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(() -> env.roles.update(m, id, Optional.of("Z"), Optional.empty()))
                        .kind())
                .isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(() -> env.roles.delete(m, id)).kind()).isEqualTo(Kind.FORBIDDEN);
        assertThat(failure(() -> env.roles.list(Caller.ANONYMOUS, Optional.empty(), Set.of(), ALL))
                        .kind())
                .isEqualTo(Kind.UNAUTHENTICATED);
        assertThat(env.roles.list(m, Optional.empty(), Set.of(), ALL).count()).isEqualTo(3);
    }

    @Test
    void aFullAdministratorRoleHoldsAllSixteen() {
        assertThat(rightsErrors(Set.of(FULL_ADMIN, MANAGE_USERS)).get(0)).startsWith("a full administrator role");
        assertThat(env.roles
                        .create(admin, "Admins", Set.copyOf(AccessRights.ALL))
                        .rights())
                .hasSize(16);
    }

    @Test
    void pseudonymisedReadWithNominativeExportNeedsNominativeRead() {
        assertThat(rightsErrors(Set.of(READ_PATIENT_PSEUDONYMIZED, EXPORT_CSV_XLSX_NOMINATIVE)))
                .hasSize(1);
        assertThat(rightsErrors(Set.of(READ_PATIENT_PSEUDONYMIZED, EXPORT_JUPYTER_NOMINATIVE)))
                .hasSize(1);
        assertThat(env.roles
                        .create(
                                admin,
                                "ok",
                                Set.of(READ_PATIENT_PSEUDONYMIZED, READ_PATIENT_NOMINATIVE, EXPORT_JUPYTER_NOMINATIVE))
                        .rights())
                .hasSize(3);
    }

    @Test
    void ippSearchNeedsNominativeRead() {
        assertThat(rightsErrors(Set.of(SEARCH_PATIENTS_BY_IPP)).get(0)).contains("IPP");
    }

    @Test
    void accessManagementNeedsManageUsers() {
        assertThat(rightsErrors(Set.of(MANAGE_ADMIN_ACCESSES_SAME_LEVEL)))
                .containsExactly("a role cannot manage accesses without managing users");
    }

    @Test
    void dependenciesAndUnknownKeysAreChecked() {
        assertThat(rightsErrors(Set.of(MANAGE_DATALABS)))
                .containsExactly(MANAGE_DATALABS + " requires " + READ_DATALABS + " in the same role");
        assertThat(rightsErrors(Set.of("nope.nothing", READ_PATIENT_NOMINATIVE)))
                .containsExactly("unknown rights: nope.nothing");
        RightContributor exports = new RightContributor() {
            @Override
            public String module() {
                return "exports";
            }

            @Override
            public List<RightDefinition> rights() {
                return List.of(
                        RightDefinition.global("exports.read", "exports", "Exports", "Read"),
                        RightDefinition.global("exports.run", "exports", "Exports", "Run")
                                .dependingOn("exports.read"));
            }
        };
        env.registry.addContributor(exports);
        assertThat(rightsErrors(Set.of("exports.run")))
                .containsExactly("exports.run requires exports.read in the same role");
        assertThat(env.roles
                        .create(admin, "Exporter", Set.of("exports.run", "exports.read"))
                        .rights())
                .hasSize(2);
        // several rules at once: every message
        assertThat(rightsErrors(Set.of(SEARCH_PATIENTS_BY_IPP, MANAGE_ADMIN_ACCESSES_SAME_LEVEL)))
                .hasSize(2);
    }

    @Test
    void namesAreUniqueAmongLiveRoles() {
        Role first = env.roles.create(admin, "Readers", Set.of(READ_PATIENT_NOMINATIVE));
        KaryoException e = failure(() -> env.roles.create(admin, "Readers", Set.of()));
        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("name");
        env.roles.delete(admin, first.id());
        assertThat(env.roles
                        .create(admin, "Readers", Set.of(READ_PATIENT_NOMINATIVE))
                        .id())
                .isNotEqualTo(first.id());
        assertThat(failure(() -> env.roles.create(admin, " ", Set.of())).errors())
                .extracting(FieldError::field)
                .containsExactly("name");
    }

    @Test
    void updateChecksTheMergedRole() {
        Role r = env.roles.create(admin, "Readers", Set.of(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP));
        env.roles.create(admin, "Others", Set.of());
        // dropping nominative read would leave IPP search without it
        KaryoException e = failure(
                () -> env.roles.update(admin, r.id(), Optional.empty(), Optional.of(Set.of(SEARCH_PATIENTS_BY_IPP))));
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("rights");
        assertThat(failure(() -> env.roles.update(admin, r.id(), Optional.of("Others"), Optional.empty()))
                        .errors())
                .extracting(FieldError::field)
                .containsExactly("name");
        Role renamed = env.roles.update(admin, r.id(), Optional.of("Nominative readers"), Optional.empty());
        assertThat(renamed.name()).isEqualTo("Nominative readers");
        assertThat(renamed.rights()).isEqualTo(r.rights());
        Role narrowed = env.roles.update(admin, r.id(), Optional.empty(), Optional.of(Set.of(READ_PATIENT_NOMINATIVE)));
        assertThat(narrowed.rights()).containsExactly(READ_PATIENT_NOMINATIVE);
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.role.update");
        assertThat(failure(() -> env.roles.update(admin, 999, Optional.of("x"), Optional.empty()))
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void theFullAdminRoleAndRolesInUseCannotBeDeleted() {
        assertThat(failure(() -> env.roles.delete(admin, env.roleId("FULL ADMIN")))
                        .kind())
                .isEqualTo(Kind.FORBIDDEN);
        Role used = env.roles.create(admin, "Used", Set.of(READ_PATIENT_NOMINATIVE));
        env.role.put("Used", used.id());
        long access = env.grant("u", "Used", "P1");
        assertThat(failure(() -> env.roles.delete(admin, used.id())).kind()).isEqualTo(Kind.FORBIDDEN);
        // even an ended access keeps its role
        env.accesses.close(admin, access);
        assertThat(failure(() -> env.roles.delete(admin, used.id())).kind()).isEqualTo(Kind.FORBIDDEN);

        Role unused = env.roles.create(admin, "Unused", Set.of());
        env.roles.delete(admin, unused.id());
        assertThat(env.audit.last().event().action()).isEqualTo("accesses.role.delete");
        assertThat(failure(() -> env.roles.get(admin, unused.id())).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(env.count(
                        "SELECT count(*) FROM karyo_accesses.roles WHERE id = ? AND deleted_at IS NOT NULL",
                        unused.id()))
                .isEqualTo(1);
        assertThat(failure(() -> env.roles.delete(admin, unused.id())).kind()).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void listFiltersByNameAndRights() {
        env.roles.create(admin, "Nominative readers", Set.of(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP));
        env.roles.create(admin, "Pseudo readers", Set.of(READ_PATIENT_PSEUDONYMIZED));
        assertThat(env.roles.list(admin, Optional.of("READERS"), Set.of(), ALL).results())
                .extracting(Role::name)
                .containsExactly("Nominative readers", "Pseudo readers");
        assertThat(env.roles
                        .list(admin, Optional.empty(), Set.of(SEARCH_PATIENTS_BY_IPP, READ_PATIENT_NOMINATIVE), ALL)
                        .results())
                .extracting(Role::name)
                .containsExactly("FULL ADMIN", "Nominative readers");
    }

    @Test
    void holdersAreTheUsersWithAValidAccessOnVisibleNodes() {
        Role readers = env.roles.create(admin, "Readers", Set.of(READ_PATIENT_NOMINATIVE));
        env.role.put("Readers", readers.id());
        env.grant("alice", "Readers", "P4");
        env.grant("bob", "Readers", "P1");
        env.grant(
                "carol",
                "Readers",
                "P4",
                env.clock.instant().minusSeconds(100),
                env.clock.instant().minusSeconds(10)); // ended

        assertThat(env.roles.holders(admin, readers.id(), Optional.empty(), ALL).results())
                .extracting(RoleHolder::username, RoleHolder::displayName)
                .containsExactly(
                        Tuple.tuple("alice", "Firstalice Lastalice (alice)"),
                        Tuple.tuple("bob", "Firstbob Lastbob (bob)"));
        assertThat(env.roles
                        .holders(admin, readers.id(), Optional.of("LASTB"), ALL)
                        .results())
                .extracting(RoleHolder::username)
                .containsExactly("bob");
        // a caller who sees P0's branch only
        env.grant("viewer", "Readers", "P0");
        assertThat(env.roles
                        .holders(env.caller("viewer"), readers.id(), Optional.empty(), ALL)
                        .results())
                .extracting(RoleHolder::username)
                .containsExactly("alice", "viewer");
        assertThat(failure(() -> env.roles.holders(admin, 999, Optional.empty(), ALL))
                        .kind())
                .isEqualTo(Kind.NOT_FOUND);
    }
}
