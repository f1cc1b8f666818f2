package org.karyo.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Scope;
import org.karyo.testing.TestDatabase;

/** The query helper against a real PostgreSQL: each list feature a module relies on. */
class SelectTest {

    private static final Select THINGS = Select.of("t.id, t.code, t.kind, t.perimeter_id", "karyo_things.things t")
            .where("t.deleted_at IS NULL");
    private static final Map<String, String> ORDERABLE = Map.of("code", "t.code", "kind", "t.kind");

    private static TestDatabase db;
    private static Sql sql;

    record Thing(long id, String code, String kind, long perimeterId) {}

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("things", SelectTest.class, "db/things");
        sql = new Sql(db.dataSource(), "things");
        Writes writes = Writes.statements(db.unitOfWork(), sql, (caller, event) -> {});
        writes.run("thing", tx -> {
            // 30 live things over three kinds and perimeters 1..3, one deleted, codes with LIKE wildcards
            for (int i = 0; i < 30; i++) {
                tx.update(
                        "INSERT INTO karyo_things.things (code, kind, perimeter_id) VALUES (?, ?, ?)",
                        String.format("t%02d", i),
                        List.of("A", "B", "C").get(i % 3),
                        (long) (i % 3 + 1));
            }
            tx.update("INSERT INTO karyo_things.things (code, kind, perimeter_id, deleted_at)"
                    + " VALUES ('gone', 'A', 1, now())");
            tx.update("INSERT INTO karyo_things.things (code, kind, perimeter_id) VALUES ('50%_off', 'A', 1)");
            tx.update("INSERT INTO karyo_things.things (code, kind, perimeter_id) VALUES ('500 off', 'A', 1)");
        });
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static Thing thing(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Thing(rs.getLong("id"), rs.getString("code"), rs.getString("kind"), rs.getLong("perimeter_id"));
    }

    private static PageRequest page(int limit, int offset, Sort... ordering) {
        return new PageRequest(limit, offset, List.of(ordering));
    }

    @Test
    void aPageCarriesTheTotalAndPagesNeverOverlap() {
        List<String> seen = new ArrayList<>();
        long total = -1;
        for (int offset = 0; offset < 40; offset += 7) {
            Page<Thing> p = sql.page(
                    THINGS.orderBy(List.of(new Sort("kind", true)), ORDERABLE, "t.id")
                            .page(page(7, offset), 100),
                    SelectTest::thing);
            total = p.count();
            assertThat(p.limit()).isEqualTo(7);
            assertThat(p.offset()).isEqualTo(offset);
            p.results().forEach(t -> seen.add(t.code()));
        }
        assertThat(total).isEqualTo(32);
        assertThat(seen).hasSize(32).doesNotHaveDuplicates().doesNotContain("gone");
        // kinds descending, ids descending within a kind (the tie-break follows the first key)
        assertThat(seen.subList(0, 10))
                .containsExactly("t29", "t26", "t23", "t20", "t17", "t14", "t11", "t08", "t05", "t02");
    }

    @Test
    void anEmptyPagePastTheEndStillCountsTheMatches() {
        Page<Thing> p = sql.page(THINGS.eq("t.kind", "B").page(page(5, 50), 100), SelectTest::thing);
        assertThat(p.results()).isEmpty();
        assertThat(p.count()).isEqualTo(10);
        Page<Thing> none = sql.page(THINGS.eq("t.kind", "Z").page(page(5, 0), 100), SelectTest::thing);
        assertThat(none.count()).isZero();
    }

    @Test
    void filtersCombine() {
        List<Thing> rows = sql.list(
                THINGS.in("t.kind", Set.of("A", "C"))
                        .scope("t.perimeter_id", Scope.of(List.of(1L, 2L)))
                        .eq("t.code", (Object) null),
                SelectTest::thing);
        assertThat(rows).isNotEmpty().allMatch(t -> t.kind().equals("A") && t.perimeterId() == 1);
        assertThat(sql.count(THINGS.scope("t.perimeter_id", Scope.none()))).isZero();
        assertThat(sql.count(THINGS.scope("t.perimeter_id", Scope.all()))).isEqualTo(32);
        assertThat(sql.exists(THINGS.eq("t.code", "t07"))).isTrue();
        assertThat(sql.exists(THINGS.eq("t.code", "gone"))).isFalse();
    }

    @Test
    void searchTakesLikeWildcardsLiterally() {
        List<String> codes = sql.list(THINGS.search("50%_", "t.code", "t.kind"), rs -> rs.getString("code"));
        assertThat(codes).containsExactly("50%_off");
        assertThat(sql.count(THINGS.search("  T0  ", "t.code"))).isEqualTo(10);
        assertThat(sql.count(THINGS.search(" ", "t.code"))).isEqualTo(32);
    }

    @Test
    void orderingOutsideTheWhitelistIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> THINGS.orderBy(List.of(new Sort("code; drop table x", false)), ORDERABLE, "t.id"))
                .isInstanceOfSatisfying(KaryoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID);
                    assertThat(e.errors()).singleElement().satisfies(f -> {
                        assertThat(f.field()).isEqualTo("ordering");
                        assertThat(f.message()).contains("allowed: code, kind");
                    });
                });
    }

    @Test
    void aPageBeyondTheLargestIsRefusedNamingLimit() {
        assertThatThrownBy(() -> THINGS.page(page(101, 0), 100))
                .isInstanceOfSatisfying(
                        KaryoException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("limit");
                            assertThat(f.message()).isEqualTo("must be an integer from 1 to 100");
                        }));
    }

    @Test
    void pageByIdsReadsFullRowsOfThePageOnlyInThePagesOrder() {
        Select rows = Select.of(
                "t.id, t.code, t.kind, t.perimeter_id, ARRAY(SELECT g.tag FROM karyo_things.tags g"
                        + " WHERE g.thing_id = t.id ORDER BY g.tag) AS tags",
                "karyo_things.things t");
        Page<Thing> p = sql.pageByIds(
                THINGS.eq("t.kind", "C")
                        .orderBy(List.of(new Sort("code", true)), ORDERABLE, "t.id")
                        .page(page(3, 1), 100),
                "t.id",
                rows,
                SelectTest::thing);
        assertThat(p.count()).isEqualTo(10);
        assertThat(p.results()).extracting(Thing::code).containsExactly("t26", "t23", "t20");
    }
}
