package org.karyo.accesses.impl.internal;

import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_OPPOSED_PATIENTS;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Generates the benchmark's data set, deterministically (seeded): a perimeter tree of {@code nodes} nodes (one root,
 * then levels of branching 9, 10, 10, 10...: 10,000 nodes = 1 + 9 + 90 + 900 + 9,000), twelve roles mixing global,
 * inherited and local rights, one user holding {@code accesses} valid accesses on random nodes (plus a tenth as many
 * ended and future ones), and {@code otherUsers} users with ten accesses each as background. Reusable from a JMH
 * benchmark: give it a migrated database (for example {@link org.karyo.testing.TestDatabase}) and the module's
 * rights already registered ({@link RightsRegistry}).
 */
public final class BenchmarkFixture {

    /** What was generated. */
    public record Data(String userId, int nodes, int validAccesses, long rootId) {}

    private BenchmarkFixture() {}

    public static Data generate(DataSource ds, int nodes, int accesses, int otherUsers, long seed) {
        Random random = new Random(seed);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long[] ids = insertTree(c, nodes);
            long[] roles = insertRoles(c);
            String user = UUID.nameUUIDFromBytes(("bench-" + seed).getBytes()).toString();
            Instant now = Instant.now();
            try (PreparedStatement profile = c.prepareStatement(
                            "INSERT INTO karyo_accesses.profiles (user_id, username) VALUES (?, ?) RETURNING id");
                    PreparedStatement access = c.prepareStatement(
                            "INSERT INTO karyo_accesses.accesses (profile_id, role_id, perimeter_id, start_datetime,"
                                    + " end_datetime) VALUES (?, ?, ?, ?, ?)")) {
                long profileId = profile(profile, user, "bench");
                for (int i = 0; i < accesses; i++) {
                    add(
                            access,
                            profileId,
                            roles[random.nextInt(roles.length)],
                            ids[random.nextInt(ids.length)],
                            now.minus(Duration.ofDays(1 + random.nextInt(100))),
                            now.plus(Duration.ofDays(1 + random.nextInt(300))));
                }
                for (int i = 0; i < accesses / 10; i++) { // ended and future ones, which the query must skip past
                    add(
                            access,
                            profileId,
                            roles[random.nextInt(roles.length)],
                            ids[random.nextInt(ids.length)],
                            now.minus(Duration.ofDays(200)),
                            now.minus(Duration.ofDays(100)));
                    add(
                            access,
                            profileId,
                            roles[random.nextInt(roles.length)],
                            ids[random.nextInt(ids.length)],
                            now.plus(Duration.ofDays(10 + random.nextInt(100))),
                            now.plus(Duration.ofDays(400)));
                }
                for (int u = 0; u < otherUsers; u++) {
                    long other = profile(profile, UUID.randomUUID().toString(), "other-" + u);
                    for (int i = 0; i < 10; i++) {
                        add(
                                access,
                                other,
                                roles[random.nextInt(roles.length)],
                                ids[random.nextInt(ids.length)],
                                now.minus(Duration.ofDays(1)),
                                now.plus(Duration.ofDays(100)));
                    }
                }
                access.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE karyo_accesses.accesses");
                s.execute("ANALYZE karyo_accesses.profiles");
                s.execute("ANALYZE karyo_accesses.perimeters");
            }
            c.commit();
            return new Data(user, nodes, accesses, ids[0]);
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark fixture", e);
        }
    }

    private static long profile(PreparedStatement ps, String userId, String username) throws SQLException {
        ps.setString(1, userId);
        ps.setString(2, username);
        try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void add(PreparedStatement ps, long profile, long role, long perimeter, Instant start, Instant end)
            throws SQLException {
        ps.setLong(1, profile);
        ps.setLong(2, role);
        ps.setLong(3, perimeter);
        ps.setObject(4, OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
        ps.setObject(5, OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
        ps.addBatch();
    }

    private static long[] insertTree(Connection c, int nodes) throws SQLException {
        long[] ids = new long[nodes];
        List<long[]> above = new ArrayList<>(nodes);
        int[] level = new int[nodes];
        String[] path = new String[nodes];
        int[] parent = new int[nodes];
        parent[0] = -1;
        level[0] = 1;
        path[0] = "N0";
        above.add(new long[0]);
        // breadth first: node i's children follow, 9 under the root, 10 under every other node
        int next = 1;
        for (int i = 0; i < nodes && next < nodes; i++) {
            int children = i == 0 ? 9 : 10;
            for (int k = 0; k < children && next < nodes; k++, next++) {
                parent[next] = i;
                level[next] = level[i] + 1;
                path[next] = path[i] + "/N" + next;
                long[] a = Arrays.copyOf(above.get(i), above.get(i).length + 1);
                a[a.length - 1] = 1_000_000L + i;
                above.add(a);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO karyo_accesses.perimeters (id, local_id, name, type, parent_id, level, above_levels_ids,"
                        + " full_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < nodes; i++) {
                ids[i] = 1_000_000L + i;
                ps.setLong(1, ids[i]);
                ps.setString(2, "bench-" + i);
                ps.setString(3, "N" + i);
                ps.setString(4, "level-" + level[i]);
                if (parent[i] < 0) {
                    ps.setNull(5, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(5, 1_000_000L + parent[i]);
                }
                ps.setInt(6, level[i]);
                Long[] a = Arrays.stream(above.get(i)).boxed().toArray(Long[]::new);
                ps.setArray(7, c.createArrayOf("bigint", a));
                ps.setString(8, path[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return ids;
    }

    private static long[] insertRoles(Connection c) throws SQLException {
        List<Set<String>> sets = List.of(
                Set.of(READ_PATIENT_NOMINATIVE),
                Set.of(READ_PATIENT_PSEUDONYMIZED),
                Set.of(READ_PATIENT_NOMINATIVE, SEARCH_PATIENTS_BY_IPP),
                Set.of(READ_PATIENT_PSEUDONYMIZED, EXPORT_JUPYTER_PSEUDONYMIZED),
                Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_SAME_LEVEL),
                Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS),
                Set.of(MANAGE_USERS, MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS),
                Set.of(READ_PATIENT_NOMINATIVE, READ_PATIENT_PSEUDONYMIZED, SEARCH_OPPOSED_PATIENTS),
                Set.of(MANAGE_USERS, MANAGE_DATA_ACCESSES_SAME_LEVEL, MANAGE_DATA_ACCESSES_INFERIOR_LEVELS),
                Set.of(READ_PATIENT_PSEUDONYMIZED),
                Set.of(READ_PATIENT_NOMINATIVE),
                Set.of(READ_PATIENT_NOMINATIVE, READ_PATIENT_PSEUDONYMIZED));
        long[] ids = new long[sets.size()];
        try (PreparedStatement role =
                        c.prepareStatement("INSERT INTO karyo_accesses.roles (name) VALUES (?) RETURNING id");
                PreparedStatement right = c.prepareStatement(
                        "INSERT INTO karyo_accesses.role_rights (role_id, right_key) VALUES (?, ?)")) {
            for (int i = 0; i < sets.size(); i++) {
                role.setString(1, "bench-role-" + i);
                try (var rs = role.executeQuery()) {
                    rs.next();
                    ids[i] = rs.getLong(1);
                }
                for (String r : sets.get(i)) {
                    right.setLong(1, ids[i]);
                    right.setString(2, r);
                    right.addBatch();
                }
            }
            right.executeBatch();
        }
        return ids;
    }
}
