package org.karyo.content.impl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.aries.jpa.template.JpaTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Caller;
import org.karyo.api.tx.UnitOfWork;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentPatch;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.ContentTypeInfo;
import org.karyo.content.api.NewContent;
import org.karyo.testing.RecordingAuditTrail;
import org.karyo.testing.TestCallers;
import org.karyo.testing.TestDatabase;

/** The content service and its persistence against a real PostgreSQL, migrated by the module's own migrations. */
class ContentServiceTest {

    private static final Caller EDITOR = TestCallers.withEveryRight("editor");

    private static TestDatabase db;
    private static JpaTemplate jpa;
    private static UnitOfWork uow;
    private static DataSource ds;

    private final TickingClock clock = new TickingClock();
    private ContentServiceImpl service;
    private RecordingAuditTrail audit;

    @BeforeAll
    static void database() {
        db = TestDatabase.create();
        db.migrate("content", ContentServiceImpl.class, "db/content");
        ds = db.dataSource();
        uow = db.unitOfWork();
        jpa = db.jpa("karyo-content");
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        sql("TRUNCATE karyo_content.content, karyo_content.content_metadata RESTART IDENTITY");
        audit = new RecordingAuditTrail(uow);
        service = new ContentServiceImpl(jpa, ds, uow, audit, config(1000), clock);
    }

    // ---- CRUD -------------------------------------------------------------------------------------------------

    @Test
    void createThenGetReturnsTheSameContentWithVersionOne() throws SQLException {
        Content created = service.create(
                EDITOR,
                new NewContent(
                        "Maintenance",
                        "Read-only on Sunday",
                        " home ",
                        ContentType.BANNER_WARNING,
                        Map.of("order", "1", "style", "bold")));

        assertThat(created.id()).isPositive();
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.page()).isEqualTo("home");
        assertThat(created.metadata()).isEqualTo(Map.of("order", "1", "style", "bold"));
        assertThat(created.createdAt()).isEqualTo(created.modifiedAt()).isNotNull();
        assertThat(service.get(EDITOR, created.id())).isEqualTo(created);
        assertThat(count("SELECT count(*) FROM karyo_content.content_metadata WHERE content_id = " + created.id()))
                .isEqualTo(2);
    }

    @Test
    void contentWithoutPageOrMetadataRoundTrips() {
        Content created =
                service.create(EDITOR, new NewContent("Release 1.2", "Notes", null, ContentType.RELEASE_NOTE, null));
        Content read = service.get(EDITOR, created.id());
        assertThat(read.page()).isNull();
        assertThat(read.metadata()).isEmpty();
        assertThat(read).isEqualTo(created);
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndBumpsVersionAndModifiedAt() {
        Content c = service.create(
                EDITOR, new NewContent("Old", "Text", "home", ContentType.BANNER_INFO, Map.of("order", "1")));

        Content p = service.update(EDITOR, c.id(), new ContentPatch("New", null, null, null, null), OptionalLong.of(1));

        assertThat(p.title()).isEqualTo("New");
        assertThat(p.content()).isEqualTo("Text");
        assertThat(p.page()).isEqualTo("home");
        assertThat(p.contentType()).isEqualTo(ContentType.BANNER_INFO);
        assertThat(p.metadata()).isEqualTo(Map.of("order", "1"));
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.createdAt()).isEqualTo(c.createdAt());
        assertThat(p.modifiedAt()).isAfter(c.modifiedAt());
        assertThat(service.get(EDITOR, c.id())).isEqualTo(p);
    }

    @Test
    void patchWithABlankPageRemovesThePage() {
        Content c = service.create(EDITOR, new NewContent("t", "c", "home", ContentType.BANNER_INFO, null));
        Content p =
                service.update(EDITOR, c.id(), new ContentPatch(null, null, "  ", null, null), OptionalLong.empty());
        assertThat(p.page()).isNull();
        assertThat(service.get(EDITOR, c.id()).page()).isNull();
    }

    @Test
    void patchMetadataReplacesTheWholeMap() throws SQLException {
        Content c = service.create(
                EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, Map.of("order", "1", "tags", "a,b")));

        Content changed = service.update(
                EDITOR,
                c.id(),
                new ContentPatch(null, null, null, null, Map.of("order", "2", "style", "warning")),
                OptionalLong.empty());
        assertThat(changed.metadata()).isEqualTo(Map.of("order", "2", "style", "warning"));
        assertThat(service.get(EDITOR, c.id()).metadata()).isEqualTo(Map.of("order", "2", "style", "warning"));
        assertThat(count("SELECT count(*) FROM karyo_content.content_metadata WHERE content_id = " + c.id()))
                .isEqualTo(2);

        Content untouched =
                service.update(EDITOR, c.id(), new ContentPatch("t2", null, null, null, null), OptionalLong.empty());
        assertThat(untouched.metadata()).isEqualTo(Map.of("order", "2", "style", "warning"));

        Content cleared = service.update(
                EDITOR, c.id(), new ContentPatch(null, null, null, null, Map.of()), OptionalLong.empty());
        assertThat(cleared.metadata()).isEmpty();
        assertThat(count("SELECT count(*) FROM karyo_content.content_metadata")).isZero();
    }

    @Test
    void putReplacesEverythingAndRemovesWhatItOmits() {
        Content c =
                service.create(EDITOR, new NewContent("t", "c", "home", ContentType.BANNER_INFO, Map.of("order", "1")));
        Content r = service.replace(
                EDITOR, c.id(), new NewContent("T", "C", null, ContentType.BANNER_ERROR, null), OptionalLong.of(1));
        assertThat(r)
                .isEqualTo(new Content(
                        c.id(), "T", "C", null, ContentType.BANNER_ERROR, Map.of(), c.createdAt(), r.modifiedAt(), 2));
        assertThat(service.get(EDITOR, c.id())).isEqualTo(r);
    }

    @Test
    void metadataIsUniquePerContentAndNameInTheDatabase() throws SQLException {
        Content c =
                service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, Map.of("order", "1")));
        assertThatThrownBy(() -> sql("INSERT INTO karyo_content.content_metadata (content_id, name, value) VALUES ("
                        + c.id() + ", 'order', '2')"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }

    @Test
    void theDatabaseRefusesWhatTheValidationRefuses() throws SQLException {
        String insert = "INSERT INTO karyo_content.content (title, content, content_type) VALUES ";
        assertSqlState(insert + "('t', 'c', 'POPUP')", "23514");
        assertSqlState(insert + "(' ', 'c', 'BANNER_INFO')", "23514");
        assertSqlState(insert + "('t', ' ', 'BANNER_INFO')", "23514");
        assertSqlState(insert + "(repeat('x', 256), 'c', 'BANNER_INFO')", "22001");
        assertSqlState(insert + "('t', repeat('x', 100001), 'BANNER_INFO')", "23514");
        Content c = service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, null));
        String meta = "INSERT INTO karyo_content.content_metadata (content_id, name, value) VALUES (" + c.id() + ", ";
        assertSqlState(meta + "'colour', 'red')", "23514");
        assertSqlState(meta + "'order', repeat('x', 1001))", "22001");
        assertSqlState(meta + "'order', NULL)", "23502");
    }

    // ---- validation ----------------------------------------------------------------------------------------------

    @Test
    void missingFieldsAreAllNamedAndNothingIsWritten() throws SQLException {
        assertInvalid(
                () -> service.create(EDITOR, new NewContent(null, " ", null, null, null)),
                "title",
                "content",
                "content_type");
        assertInvalid(() -> service.create(EDITOR, null), "title", "content", "content_type");
        assertThat(count("SELECT count(*) FROM karyo_content.content")).isZero();
    }

    @Test
    void overLongStringsAndUnknownMetadataKeysAreAllNamedAndNothingIsWritten() throws SQLException {
        Map<String, String> metadata = new HashMap<>();
        metadata.put("order", "x".repeat(1001));
        metadata.put("colour", "red");
        metadata.put("style", null);
        assertInvalid(
                () -> service.create(
                        EDITOR,
                        new NewContent(
                                "x".repeat(256),
                                "x".repeat(100_001),
                                "x".repeat(256),
                                ContentType.BANNER_INFO,
                                metadata)),
                "title",
                "content",
                "page",
                "metadata.order",
                "metadata.colour",
                "metadata.style");
        assertThat(count("SELECT count(*) FROM karyo_content.content")).isZero();
        assertThat(count("SELECT count(*) FROM karyo_content.content_metadata")).isZero();
    }

    @Test
    void stringsAtTheirMaximumLengthAreAccepted() {
        Content c = service.create(
                EDITOR,
                new NewContent(
                        "x".repeat(255),
                        "y".repeat(100_000),
                        "z".repeat(255),
                        ContentType.RELEASE_NOTE,
                        Map.of("order", "o".repeat(1000), "style", "s", "tags", "")));
        assertThat(service.get(EDITOR, c.id())).isEqualTo(c);
    }

    @Test
    void theNulCharacterIsABadRequestNotADatabaseError() {
        assertInvalid(
                () -> service.create(
                        EDITOR, new NewContent("a\0b", "c", null, ContentType.BANNER_INFO, Map.of("tags", "\0"))),
                "title",
                "metadata.tags");
        assertInvalid(
                () -> service.list(EDITOR, new ContentQuery(null, Set.of("a\0"), "b\0", null)),
                "page_source",
                "search");
    }

    @Test
    void anInvalidPatchChangesNothing() {
        Content c =
                service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, Map.of("order", "1")));
        assertInvalid(
                () -> service.update(
                        EDITOR,
                        c.id(),
                        new ContentPatch("", "x".repeat(100_001), null, null, Map.of("order", "2", "colour", "red")),
                        OptionalLong.empty()),
                "title",
                "content",
                "metadata.colour");
        assertInvalid(() -> service.update(EDITOR, c.id(), null, OptionalLong.empty()), "body");
        assertThat(service.get(EDITOR, c.id())).isEqualTo(c);
    }

    // ---- optimistic concurrency ----------------------------------------------------------------------------------

    @Test
    void aStaleVersionIsAPreconditionFailureAndWritesNothing() {
        Content c = service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, null));
        Content v2 = service.update(EDITOR, c.id(), new ContentPatch("t2", null, null, null, null), OptionalLong.of(1));

        assertStale(() ->
                service.update(EDITOR, c.id(), new ContentPatch("t3", null, null, null, null), OptionalLong.of(1)));
        assertStale(() -> service.replace(
                EDITOR, c.id(), new NewContent("t4", "c", null, ContentType.BANNER_INFO, null), OptionalLong.of(1)));
        assertStale(() -> service.delete(EDITOR, c.id(), OptionalLong.of(1)));
        assertThat(service.get(EDITOR, c.id())).isEqualTo(v2);

        service.delete(EDITOR, c.id(), OptionalLong.of(2));
        assertNotFound(() -> service.get(EDITOR, c.id()));
    }

    @Test
    void everyCommittedWriteIsAuditedWithTheCallerAndNoRefusedWriteIs() {
        Content c = service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, null));
        service.update(EDITOR, c.id(), new ContentPatch("t2", null, null, null, null), OptionalLong.of(1));
        assertStale(() ->
                service.update(EDITOR, c.id(), new ContentPatch("t3", null, null, null, null), OptionalLong.of(1)));
        service.replace(
                EDITOR, c.id(), new NewContent("t4", "c", null, ContentType.BANNER_INFO, null), OptionalLong.of(2));
        service.delete(EDITOR, c.id(), OptionalLong.of(3));

        assertThat(audit.actions())
                .containsExactly(
                        "content.content.create",
                        "content.content.update",
                        "content.content.replace",
                        "content.content.delete");
        assertThat(audit.entries()).allSatisfy(e -> {
            assertThat(e.actorId()).isEqualTo("editor");
            assertThat(e.event().objectType()).isEqualTo("content");
            assertThat(e.event().objectId()).isEqualTo(Long.toString(c.id()));
        });
    }

    @Test
    void ofTwoConcurrentWritesAtTheSameVersionExactlyOneWins() throws Exception {
        Content c = service.create(EDITOR, new NewContent("t", "c", null, ContentType.BANNER_INFO, null));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Content>> writes = new ArrayList<>();
            for (String title : List.of("a", "b")) {
                Callable<Content> write = () -> {
                    start.await();
                    return service.update(
                            EDITOR, c.id(), new ContentPatch(title, null, null, null, null), OptionalLong.of(1));
                };
                writes.add(pool.submit(write));
            }
            start.countDown();
            int won = 0;
            int stale = 0;
            for (Future<Content> w : writes) {
                try {
                    assertThat(w.get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(KaryoException.class, k -> assertThat(k.kind())
                            .isEqualTo(Kind.PRECONDITION_FAILED));
                    stale++;
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(stale).isEqualTo(1);
            assertThat(service.get(EDITOR, c.id()).version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- not found and soft delete -------------------------------------------------------------------------------

    @Test
    void unknownIdsAreNotFound() {
        assertNotFound(() -> service.get(EDITOR, 424242));
        assertNotFound(() ->
                service.update(EDITOR, 424242, new ContentPatch("t", null, null, null, null), OptionalLong.empty()));
        assertNotFound(() -> service.replace(
                EDITOR, 424242, new NewContent("t", "c", null, ContentType.BANNER_INFO, null), OptionalLong.empty()));
        assertNotFound(() -> service.delete(EDITOR, 424242, OptionalLong.empty()));
    }

    @Test
    void deletedContentIsInvisibleEverywhereButStaysInTheDatabase() throws SQLException {
        Content kept = service.create(EDITOR, new NewContent("kept", "c", "home", ContentType.BANNER_INFO, null));
        Content gone = service.create(
                EDITOR, new NewContent("gone", "c", "home", ContentType.BANNER_INFO, Map.of("order", "1")));

        service.delete(EDITOR, gone.id(), OptionalLong.empty());

        assertNotFound(() -> service.get(EDITOR, gone.id()));
        assertNotFound(() ->
                service.update(EDITOR, gone.id(), new ContentPatch("x", null, null, null, null), OptionalLong.empty()));
        assertNotFound(() -> service.replace(
                EDITOR,
                gone.id(),
                new NewContent("t", "c", null, ContentType.BANNER_INFO, null),
                OptionalLong.empty()));
        assertNotFound(() -> service.delete(EDITOR, gone.id(), OptionalLong.empty()));
        Page<Content> all =
                service.list(EDITOR, new ContentQuery(Set.of(ContentType.BANNER_INFO), Set.of("home"), "c", null));
        assertThat(all.count()).isEqualTo(1);
        assertThat(all.results()).containsExactly(kept);
        assertThat(count("SELECT count(*) FROM karyo_content.content WHERE deleted_at IS NOT NULL AND id = "
                        + gone.id()))
                .isEqualTo(1);
    }

    // ---- lists ---------------------------------------------------------------------------------------------------

    @Test
    void listFiltersByTypesAndPages() {
        Content a = add("a", "x", "home", ContentType.BANNER_INFO);
        Content b = add("b", "x", "cohorts", ContentType.BANNER_WARNING);
        Content c = add("c", "x", null, ContentType.RELEASE_NOTE);
        Content d = add("d", "x", "home", ContentType.BANNER_ERROR);

        assertThat(ids(query(Set.of(ContentType.BANNER_INFO, ContentType.BANNER_WARNING), Set.of(), null)))
                .containsExactly(b.id(), a.id());
        assertThat(ids(query(Set.of(), Set.of("home", "cohorts"), null))).containsExactly(d.id(), b.id(), a.id());
        assertThat(ids(query(Set.of(ContentType.BANNER_ERROR, ContentType.RELEASE_NOTE), Set.of("home"), null)))
                .containsExactly(d.id());
        assertThat(ids(query(Set.of(), Set.of(), null))).containsExactly(d.id(), c.id(), b.id(), a.id());
        assertThat(query(Set.of(ContentType.RELEASE_NOTE), Set.of("home"), null).count())
                .isZero();
    }

    @Test
    void searchIsACaseInsensitiveSubstringOfTitleOrText() {
        Content title = add("Scheduled MAINTENANCE", "nothing", null, ContentType.BANNER_WARNING);
        Content text = add("Notice", "the maintenance window", null, ContentType.BANNER_INFO);
        add("Other", "unrelated", null, ContentType.BANNER_INFO);

        assertThat(ids(query(Set.of(), Set.of(), "Maintenance"))).containsExactly(text.id(), title.id());
        assertThat(ids(query(Set.of(ContentType.BANNER_INFO), Set.of(), "maintenance")))
                .containsExactly(text.id());
        assertThat(ids(query(Set.of(), Set.of(), "no such words"))).isEmpty();
    }

    @Test
    void searchTakesLikeWildcardsLiterally() {
        Content percent = add("Save 50% now", "x", null, ContentType.BANNER_INFO);
        Content fifty = add("Save 500 now", "x", null, ContentType.BANNER_INFO);
        Content underscore = add("a_b", "x", null, ContentType.BANNER_INFO);
        add("axb", "x", null, ContentType.BANNER_INFO);
        Content bang = add("wow!", "x", null, ContentType.BANNER_INFO);
        Content backslash = add("C:\\temp", "x", null, ContentType.BANNER_INFO);

        assertThat(ids(query(Set.of(), Set.of(), "50%"))).containsExactly(percent.id());
        assertThat(ids(query(Set.of(), Set.of(), "50"))).containsExactly(fifty.id(), percent.id());
        assertThat(ids(query(Set.of(), Set.of(), "a_b"))).containsExactly(underscore.id());
        assertThat(ids(query(Set.of(), Set.of(), "%"))).containsExactly(percent.id());
        assertThat(ids(query(Set.of(), Set.of(), "w!"))).containsExactly(bang.id());
        assertThat(ids(query(Set.of(), Set.of(), ":\\t"))).containsExactly(backslash.id());
    }

    @Test
    void listOrdersByTheWhitelistNewestFirstByDefault() {
        Content b = add("b", "x", "p2", ContentType.BANNER_WARNING);
        Content a = add("a", "x", "p3", ContentType.RELEASE_NOTE);
        Content c = add("c", "x", "p1", ContentType.BANNER_INFO);
        service.update(EDITOR, b.id(), new ContentPatch("b", null, null, null, null), OptionalLong.empty());

        assertThat(ids(ordered())).containsExactly(c.id(), a.id(), b.id());
        assertThat(ids(ordered(new Sort("created_at", false)))).containsExactly(b.id(), a.id(), c.id());
        assertThat(ids(ordered(new Sort("title", false)))).containsExactly(a.id(), b.id(), c.id());
        assertThat(ids(ordered(new Sort("title", true)))).containsExactly(c.id(), b.id(), a.id());
        assertThat(ids(ordered(new Sort("page", false)))).containsExactly(c.id(), b.id(), a.id());
        assertThat(ids(ordered(new Sort("content_type", false)))).containsExactly(c.id(), b.id(), a.id());
        assertThat(ids(ordered(new Sort("modified_at", true)))).containsExactly(b.id(), c.id(), a.id());
    }

    @Test
    void pagesNeverOverlapEvenWhenTheOrderingKeyTies() {
        Set<Long> created = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            created.add(add("same", "x", null, ContentType.BANNER_INFO).id());
        }
        for (boolean descending : List.of(false, true)) {
            List<Long> seen = new ArrayList<>();
            for (int offset = 0; offset < 30; offset += 7) {
                Page<Content> page = service.list(
                        EDITOR, ContentQuery.all(new PageRequest(7, offset, List.of(new Sort("title", descending)))));
                assertThat(page.count()).isEqualTo(23);
                seen.addAll(ids(page));
            }
            assertThat(seen).hasSize(23).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(created);
        }
    }

    @Test
    void countIsTheTotalOfMatchesWhateverThePage() {
        for (int i = 0; i < 25; i++) {
            add("t" + i, "x", i % 2 == 0 ? "even" : "odd", ContentType.BANNER_INFO);
        }
        Page<Content> last =
                service.list(EDITOR, ContentQuery.all(new PageRequest(10, 20, ContentQuery.DEFAULT_ORDERING)));
        assertThat(last.count()).isEqualTo(25);
        assertThat(last.limit()).isEqualTo(10);
        assertThat(last.offset()).isEqualTo(20);
        assertThat(last.results()).hasSize(5);

        Page<Content> beyond =
                service.list(EDITOR, ContentQuery.all(new PageRequest(10, 40, ContentQuery.DEFAULT_ORDERING)));
        assertThat(beyond.count()).isEqualTo(25);
        assertThat(beyond.results()).isEmpty();

        Page<Content> evenBeyond = service.list(
                EDITOR,
                new ContentQuery(
                        Set.of(), Set.of("even"), null, new PageRequest(5, 100, ContentQuery.DEFAULT_ORDERING)));
        assertThat(evenBeyond.count()).isEqualTo(13);
        assertThat(service.list(EDITOR, new ContentQuery(Set.of(), Set.of("even"), null, null))
                        .count())
                .isEqualTo(13);
    }

    @Test
    void listsCarryEachRowsMetadata() {
        Content one =
                service.create(EDITOR, new NewContent("1", "x", null, ContentType.BANNER_INFO, Map.of("order", "1")));
        Content all = service.create(
                EDITOR,
                new NewContent(
                        "2", "x", null, ContentType.BANNER_INFO, Map.of("order", "2", "style", "s", "tags", "a,b")));
        Content none = service.create(EDITOR, new NewContent("3", "x", null, ContentType.BANNER_INFO, null));
        assertThat(query().results()).containsExactly(none, all, one);
    }

    @Test
    void badListParametersAreNamed() {
        ContentServiceImpl small = new ContentServiceImpl(jpa, ds, uow, audit, config(50), clock);
        assertInvalid(
                () -> small.list(EDITOR, ContentQuery.all(new PageRequest(51, -1, List.of(new Sort("id", false))))),
                "limit",
                "offset",
                "ordering");
        assertInvalid(
                () -> small.list(EDITOR, new ContentQuery(null, Set.of("p".repeat(256)), "s".repeat(1001), null)),
                "page_source",
                "search");
        assertThat(small.list(EDITOR, ContentQuery.all(new PageRequest(50, 0, ContentQuery.DEFAULT_ORDERING)))
                        .limit())
                .isEqualTo(50);
    }

    @Test
    void contentTypesAreTheFourTypesWithLabels() {
        assertThat(service.contentTypes())
                .extracting(ContentTypeInfo::value)
                .containsExactly(
                        ContentType.BANNER_WARNING,
                        ContentType.BANNER_INFO,
                        ContentType.BANNER_ERROR,
                        ContentType.RELEASE_NOTE);
    }

    @Test
    void aPageSizeBelowTheDefaultLimitIsAConfigurationError() {
        assertThatThrownBy(() -> new ContentServiceImpl(jpa, ds, uow, audit, config(10), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.page.size");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Content add(String title, String text, String page, ContentType type) {
        return service.create(EDITOR, new NewContent(title, text, page, type, null));
    }

    private Page<Content> query(Set<ContentType> types, Set<String> pages, String search) {
        return service.list(EDITOR, new ContentQuery(types, pages, search, null));
    }

    private Page<Content> query() {
        return query(Set.of(), Set.of(), null);
    }

    private Page<Content> ordered(Sort... sorts) {
        return service.list(
                EDITOR,
                ContentQuery.all(
                        new PageRequest(100, 0, sorts.length == 0 ? ContentQuery.DEFAULT_ORDERING : List.of(sorts))));
    }

    private static List<Long> ids(Page<Content> page) {
        return page.results().stream().map(Content::id).toList();
    }

    private static void assertInvalid(Runnable call, String... fields) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KaryoException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID);
            assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(fields);
        });
    }

    private static void assertStale(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.kind())
                .isEqualTo(Kind.PRECONDITION_FAILED));
    }

    private static void assertNotFound(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KaryoException.class, e -> assertThat(e.kind())
                .isEqualTo(Kind.NOT_FOUND));
    }

    private static void assertSqlState(String statement, String state) {
        assertThatThrownBy(() -> sql(statement))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(state));
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    static ContentServiceImpl.Config config(int maxPageSize) {
        return new ContentServiceImpl.Config() {
            @Override
            public int max_page_size() {
                return maxPageSize;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ContentServiceImpl.Config.class;
            }
        };
    }

    /** A clock that moves one second on every reading, so that creation order is visible in the timestamps. */
    static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00.123456789Z");

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
