package org.karyo.accesses.impl.internal;

import static org.karyo.accesses.api.AccessRights.EXPORT_CSV_XLSX_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATALABS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_DATALABS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_OPPOSED_PATIENTS;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_UNLIMITED;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.auth.api.User;
import org.karyo.persistence.Sql;
import org.karyo.persistence.Writes;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestDatabase;

/**
 * One migrated database with the whole module wired on it by hand (no OSGi), fakes for the other modules, and
 * helpers that build Cohort360's test fixture: the perimeter tree, the roles, and users holding accesses.
 *
 * <pre>
 *                                  APHP
 *              ____________________|____________________
 *             |                    |                    |
 *             P0                   P1                   P2
 *      _______|_______          ___|___          _______|_______
 *     |       |       |        |       |        |       |       |
 *     P3      P4      P5       P6      P7       P8      P9      P10
 *          ___|___                                           ___|___
 *         |       |                                         |       |
 *         P11     P12                                       P13     P14
 * </pre>
 */
final class TestEnv implements AutoCloseable {

    final TestDatabase db;
    final DataSource ds;
    final UnitOfWork uow;
    final Sql sql;
    final Writes writes;
    AccessesStore store;
    final Fakes.MutableClock clock = new Fakes.MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    final RecordingAuditTrail audit = new RecordingAuditTrail(null);
    final Fakes.FakeUserService users = new Fakes.FakeUserService();
    final Fakes.FakeAuthenticator authenticator = new Fakes.FakeAuthenticator();
    AccessesSettings settings;
    RightsResolverImpl resolver;
    RightsRegistry registry;
    PerimeterServiceImpl perimeters;
    RoleServiceImpl roles;
    AccessServiceImpl accesses;
    ProfileServiceImpl profiles;
    KaryoAccessControl accessControl;

    /** Perimeter name → id. */
    final Map<String, Long> p = new LinkedHashMap<>();
    /** Role name → id. */
    final Map<String, Long> role = new HashMap<>();

    TestEnv() {
        this(Map.of());
    }

    TestEnv(Map<String, Object> config) {
        db = TestDatabase.create();
        db.migrate("accesses", RightsResolverImpl.class, "db/accesses");
        ds = db.dataSource();
        uow = db.unitOfWork();
        sql = new Sql(ds, "accesses");
        writes = Writes.statements(uow, sql, (caller, event) -> {});
        wire(config);
    }

    /** (Re)builds every component, as a configuration change would. */
    void wire(Map<String, Object> config) {
        settings = Fakes.settings(clock, config);
        store = new AccessesStore(ds, uow, audit);
        resolver = new RightsResolverImpl(store.sql(), settings);
        registry = new RightsRegistry(store, resolver);
        perimeters = new PerimeterServiceImpl(store, resolver, settings);
        roles = new RoleServiceImpl(store, resolver, users, settings);
        accesses = new AccessServiceImpl(store, resolver, users, settings);
        profiles = new ProfileServiceImpl(store, resolver);
        accessControl = new KaryoAccessControl(authenticator, users, resolver, audit);
    }

    /** Empties every table but the rights and drops every cache. */
    void reset() {
        sql("TRUNCATE karyo_accesses.accesses, karyo_accesses.profiles, karyo_accesses.role_rights,"
                + " karyo_accesses.roles, karyo_accesses.perimeters RESTART IDENTITY CASCADE");
        resolver.invalidate();
        p.clear();
        role.clear();
        users.byName.clear();
        audit.clear();
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    void sql(String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql, Object... params) {
        return this.sql.count(sql, params);
    }

    /** A fixture statement (outside the services' rules), in its own transaction; returns the rows changed. */
    int update(String statement, Object... params) {
        return writes.write("fixture", tx -> tx.update(statement, params));
    }

    /** A fixture {@code INSERT ... RETURNING id}, in its own transaction. */
    long insert(String statement, Object... params) {
        return writes.write("fixture", tx -> tx.insert(statement, params));
    }

    @Override
    public void close() {
        db.close();
    }

    // ---- the fixture ----------------------------------------------------------------------------------------------

    Perimeter node(String name, String parent) {
        Perimeter created = perimeters.attach(
                "accesses",
                new NewPerimeter(
                        "Local " + name,
                        name,
                        Optional.of(name),
                        Optional.of(name),
                        parent == null ? "AP-HP" : "hospital",
                        Optional.ofNullable(parent).map(p::get),
                        Optional.of("cohort-" + name)));
        p.put(name, created.id());
        return created;
    }

    /** Cohort360's fixture tree. */
    void tree() {
        node("APHP", null);
        for (String n : List.of("P0", "P1", "P2")) {
            node(n, "APHP");
        }
        node("P3", "P0");
        node("P4", "P0");
        node("P5", "P0");
        node("P6", "P1");
        node("P7", "P1");
        node("P8", "P2");
        node("P9", "P2");
        node("P10", "P2");
        node("P11", "P4");
        node("P12", "P4");
        node("P13", "P10");
        node("P14", "P10");
    }

    long id(String perimeter) {
        return p.get(perimeter);
    }

    /** Creates a role directly (no consistency rules: fixtures may need any set). */
    long role(String name, Set<String> rights) {
        long id = insert("INSERT INTO karyo_accesses.roles (name) VALUES (?) RETURNING id", name);
        for (String r : rights) {
            update("INSERT INTO karyo_accesses.role_rights (role_id, right_key) VALUES (?, ?)", id, r);
        }
        role.put(name, id);
        resolver.catalogChanged();
        return id;
    }

    /** Cohort360's test roles. */
    void roles() {
        role("FULL ADMIN", Set.copyOf(AccessRights.ALL));
        role(
                "ADMIN ACCESSES MANAGER",
                Set.of(MANAGE_USERS, MANAGE_ADMIN_ACCESSES_SAME_LEVEL, MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS));
        role("ADMIN ACCESSES MANAGER ON SAME LEVEL", Set.of(MANAGE_USERS, MANAGE_ADMIN_ACCESSES_SAME_LEVEL));
        role("ADMIN ACCESSES MANAGER ON INFERIOR LEVELS", Set.of(MANAGE_USERS, MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS));
        role(
                "DATA ACCESSES MANAGER",
                Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_SAME_LEVEL, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS));
        role("DATA ACCESSES MANAGER ON SAME LEVEL", Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_SAME_LEVEL));
        role("DATA ACCESSES MANAGER ON INFERIOR LEVELS", Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS));
        role("DATA NOMI READER", Set.of(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP));
        role(
                "DATA NOMI READER FULL ACCESS",
                Set.of(
                        READ_PATIENT_NOMINATIVE,
                        READ_PATIENT_PSEUDONYMIZED,
                        SEARCH_PATIENTS_BY_IPP,
                        SEARCH_OPPOSED_PATIENTS,
                        SEARCH_PATIENTS_UNLIMITED));
        role("DATA PSEUDO READER", Set.of(READ_PATIENT_PSEUDONYMIZED));
        role("DATA NOMI/PSEUDO READER", Set.of(READ_PATIENT_NOMINATIVE, READ_PATIENT_PSEUDONYMIZED));
        role("DATA NOMI READER + CSV EXPORTER", Set.of(READ_PATIENT_NOMINATIVE, EXPORT_CSV_XLSX_NOMINATIVE));
        role("JUPYTER EXPORTER PSEUDO", Set.of(READ_PATIENT_PSEUDONYMIZED, EXPORT_JUPYTER_PSEUDONYMIZED));
        role(
                "SUPPORT CSE - JUPYTER EXPORTS NOMI/PSEUDO",
                Set.of(
                        MANAGE_DATALABS,
                        READ_DATALABS,
                        READ_PATIENT_PSEUDONYMIZED,
                        EXPORT_JUPYTER_NOMINATIVE,
                        EXPORT_JUPYTER_PSEUDONYMIZED));
    }

    long roleId(String name) {
        return role.get(name);
    }

    User user(String username) {
        return users.find(username).orElseGet(() -> users.add(username));
    }

    /** Grants an access directly, valid from now for ten weeks (Cohort360's helper). */
    long grant(String username, String roleName, String perimeter) {
        return grant(
                username, roleName, perimeter, clock.instant(), clock.instant().plus(Duration.ofDays(70)));
    }

    long grant(String username, String roleName, String perimeter, Instant start, Instant end) {
        User u = user(username);
        long profile = writes.write("fixture", tx -> ProfileServiceImpl.manualProfile(tx, u.id(), u.username())
                .id());
        long id = insert(
                """
                INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime, end_datetime)
                VALUES (?, ?, ?, ?, ?) RETURNING id""",
                profile,
                roleId(roleName),
                perimeter == null ? null : id(perimeter),
                start,
                end);
        resolver.accessesChanged();
        return id;
    }

    /** The caller of a user, with its current rights (as the access control builds it per request). */
    KaryoCaller caller(String username) {
        User u = user(username);
        return new KaryoCaller(u.id(), u.username(), resolver.rightsOf(u.id()), Optional.empty(), false, false, false);
    }

    /** A full administrator on the root. */
    KaryoCaller admin() {
        if (!role.containsKey("FULL ADMIN")) {
            role("FULL ADMIN", Set.copyOf(AccessRights.ALL));
        }
        if (users.find("root-admin").isEmpty()) {
            grant(
                    "root-admin",
                    "FULL ADMIN",
                    p.containsKey("APHP") ? "APHP" : p.keySet().iterator().next());
        }
        return caller("root-admin");
    }
}
