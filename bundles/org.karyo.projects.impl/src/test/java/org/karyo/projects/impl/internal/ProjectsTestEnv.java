package org.karyo.projects.impl.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.accesses.api.RightsResolver;
import org.karyo.accesses.api.UserRights;
import org.karyo.accesses.impl.internal.AccessesSettings;
import org.karyo.accesses.impl.internal.PerimeterServiceImpl;
import org.karyo.accesses.impl.internal.RightsRegistry;
import org.karyo.accesses.impl.internal.RightsResolverImpl;
import org.karyo.api.EnvOverrides;
import org.karyo.api.module.SchemaReady;
import org.karyo.api.security.Caller;
import org.karyo.api.security.RightDefinition;
import org.karyo.api.security.Scope;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.storage.api.ObjectInfo;
import org.karyo.storage.api.ObjectStore;
import org.karyo.storage.fs.internal.FsObjectStore;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestClock;
import org.karyo.testing.TestConfigs;
import org.karyo.testing.TestDatabase;

/**
 * The projects module on a real PostgreSQL with the access module's real perimeter tree and rights resolution on the
 * same database (its migrations, {@link PerimeterServiceImpl}, {@link RightsResolverImpl}, {@link RightsRegistry}):
 * a perimeter node attached by the module is a row of {@code karyo_accesses.perimeters} in the same transaction, and
 * callers hold the rights that roles granted on perimeter nodes give them. Objects go to the real filesystem object
 * store ({@code org.karyo.storage.fs}) in a temporary folder.
 */
final class ProjectsTestEnv implements AutoCloseable {

    final TestDatabase db;
    final DataSource ds;
    final UnitOfWork uow;
    final JpaTemplate jpa;
    final RecordingAuditTrail audit;
    final TestClock clock = new TestClock(Instant.parse("2026-03-10T12:00:00Z"));
    final Path storeRoot;
    final ObjectStore store;
    final RightsResolverImpl resolver;
    final PerimeterService perimeters;
    final long root;
    ProjectsSettings settings;
    ProjectsStore projectsStore;
    InstitutionServiceImpl institutions;
    ProjectServiceImpl projects;
    ParticipantServiceImpl participants;
    ConsentServiceImpl consents;
    RelationServiceImpl relations;
    ProjectDirectoryImpl directory;
    private final Map<String, Long> roles = new HashMap<>();
    private int users;

    ProjectsTestEnv() {
        this(Map.of(), Map.of());
    }

    ProjectsTestEnv(Map<String, Object> config, Map<String, String> env) {
        db = TestDatabase.create();
        db.migrate("accesses", RightsResolverImpl.class, "db/accesses");
        db.migrate("projects", ProjectServiceImpl.class, "db/projects");
        ds = db.dataSource();
        uow = db.unitOfWork();
        jpa = db.jpa("karyo-projects");
        audit = new RecordingAuditTrail(uow);
        try {
            storeRoot = Files.createTempDirectory("karyo-projects-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = new FsObjectStore(
                TestConfigs.of(FsObjectStore.Config.class, Map.of("root", storeRoot.toString())),
                TestConfigs.bundleContext(Map.of()));
        SchemaReady accesses = schema("accesses");
        AccessesSettings accessSettings = new AccessesSettings(TestConfigs.defaults(AccessesSettings.Config.class));
        resolver = new RightsResolverImpl(ds, accesses, accessSettings);
        new RightsRegistry(ds, accesses, uow, audit, resolver);
        perimeters = new PerimeterServiceImpl(ds, accesses, uow, audit, resolver, accessSettings);
        for (RightDefinition d : new ProjectRightsContributor().rights()) {
            sql("INSERT INTO karyo_accesses.rights (key, module, category, label, scope, depends_on, active)"
                    + " VALUES ('" + d.key() + "', '" + d.module() + "', 'Projects', 'x', '"
                    + d.scope().name()
                    + "', " + d.dependsOn().map(s -> "'" + s + "'").orElse("NULL") + ", true)");
        }
        root = perimeters
                .attach(
                        "accesses",
                        new NewPerimeter(
                                "root",
                                "Karyo",
                                Optional.empty(),
                                Optional.empty(),
                                "institution",
                                Optional.empty(),
                                Optional.empty()))
                .id();
        resolver.invalidate();
        wire(config, env);
        audit.clear();
    }

    /** (Re)builds the module's components, as a configuration change would. */
    void wire(Map<String, Object> config, Map<String, String> env) {
        settings = new ProjectsSettings(
                TestConfigs.of(ProjectsSettings.Config.class, config), EnvOverrides.of(env), clock);
        projectsStore = new ProjectsStore(jpa, ds, uow, audit, settings);
        institutions = new InstitutionServiceImpl(projectsStore, perimeters);
        projects = new ProjectServiceImpl(projectsStore, perimeters, store);
        participants = new ParticipantServiceImpl(projectsStore, store);
        consents = new ConsentServiceImpl(projectsStore, store);
        relations = new RelationServiceImpl(projectsStore);
        directory = new ProjectDirectoryImpl(projectsStore);
    }

    static SchemaReady schema(String module) {
        return new SchemaReady() {
            @Override
            public String module() {
                return module;
            }

            @Override
            public String schema() {
                return "karyo_" + module;
            }

            @Override
            public String version() {
                return "1";
            }
        };
    }

    // ---- rights ---------------------------------------------------------------------------------------------------

    /** A role holding exactly these rights (created once per name). */
    long role(String name, Set<String> rights) {
        return roles.computeIfAbsent(name, n -> {
            long id = count("INSERT INTO karyo_accesses.roles (name) VALUES ('" + n + "') RETURNING id");
            for (String r : rights) {
                sql("INSERT INTO karyo_accesses.role_rights (role_id, right_key) VALUES (" + id + ", '" + r + "')");
            }
            return id;
        });
    }

    /** A new user holding {@code rights} on {@code perimeterId} (through a role of its own), valid now. */
    Caller user(long perimeterId, String... rights) {
        String userId = "user-" + (++users);
        grant(userId, perimeterId, rights);
        return caller(userId);
    }

    /** Grants {@code rights} on a node to a user. */
    void grant(String userId, long perimeterId, String... rights) {
        long role = role("role-" + userId + "-" + perimeterId + "-" + String.join("+", rights), Set.of(rights));
        long profile =
                count("SELECT coalesce((SELECT id FROM karyo_accesses.profiles WHERE user_id = '" + userId + "'), 0)");
        if (profile == 0) {
            profile = count("INSERT INTO karyo_accesses.profiles (user_id, username) VALUES ('" + userId + "', '"
                    + userId + "') RETURNING id");
        }
        sql("INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime, end_datetime)"
                + " VALUES (" + profile + ", " + role + ", " + perimeterId + ", now() - interval '1 day',"
                + " now() + interval '30 days')");
        resolver.invalidate();
    }

    /** A full administrator (accesses.full_admin on the root). */
    Caller admin() {
        return user(root, AccessRights.FULL_ADMIN);
    }

    /** A user with no access at all. */
    Caller nobody() {
        return caller("nobody-" + (++users));
    }

    /**
     * The caller of a user with the rights it holds now (as the platform builds one per request: after a perimeter
     * change, callers must be made again to see the new nodes).
     */
    Caller caller(String userId) {
        UserRights rights = ((RightsResolver) resolver).compute(userId);
        return new Caller() {
            @Override
            public String id() {
                return userId;
            }

            @Override
            public String getName() {
                return userId;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public boolean hasRight(String right) {
                return rights.has(right);
            }

            @Override
            public boolean hasRightOn(String right, long perimeterId) {
                return rights.hasOn(right, perimeterId);
            }

            @Override
            public Scope scope(String right) {
                return rights.scope(right);
            }

            @Override
            public String toString() {
                return userId;
            }
        };
    }

    /** The same user, with its rights recomputed. */
    Caller again(Caller c) {
        return caller(c.id());
    }

    // ---- SQL ------------------------------------------------------------------------------------------------------

    void sql(String statement) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String query) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the store holds an object under {@code key}. */
    boolean exists(String key) {
        return store.stat(key).isPresent();
    }

    /** The keys of the objects under {@code prefix}. */
    List<String> keys(String prefix) {
        return store.list(prefix, null, 1000).stream().map(ObjectInfo::key).toList();
    }

    List<String> actions() {
        return audit.actions();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public void close() {
        db.close();
        try (Stream<Path> files = Files.walk(storeRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
