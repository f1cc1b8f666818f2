package org.karyo.content.impl.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.karyo.api.Sort;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentType;

/**
 * The read side in native SQL: one statement returns a page of live content, each row's metadata (pivoted from
 * {@code content_metadata} for the page's rows only, by index-only scans) and the total count of matches, so a list
 * costs one round trip and no entity is built. Only whitelisted column names and constants are spliced into the
 * SQL text; every value is a bound parameter.
 */
final class ContentSql {

    static final String SCHEMA = "karyo_content";

    /** The escape character of LIKE patterns built by {@link #containsPattern(String)}. */
    static final char LIKE_ESCAPE = '!';

    private static final String CONTENT = SCHEMA + ".content";
    private static final String METADATA = SCHEMA + ".content_metadata";
    private static final String COLUMNS = "id, title, content, page, content_type, created_at, modified_at, version";
    private static final int METADATA_COLUMN = 8;
    private static final int TOTAL_COLUMN = METADATA_COLUMN + Content.METADATA_KEYS.size();

    /** Wire names of {@link ContentQuery#ORDERABLE} to columns. */
    private static final Map<String, String> ORDER_COLUMNS = Map.of(
            "title", "title",
            "page", "page",
            "content_type", "content_type",
            "created_at", "created_at",
            "modified_at", "modified_at");

    /** {@code max(d.value) FILTER (WHERE d.name = 'order') AS m0, ...}: the page's metadata, one column per key. */
    private static final String METADATA_PIVOT;

    static {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Content.METADATA_KEYS.size(); i++) {
            String key = Content.METADATA_KEYS.get(i);
            if (!key.matches("[a-z_]+")) {
                throw new IllegalStateException("metadata key not safe for SQL: " + key);
            }
            b.append(i == 0 ? "" : ", ")
                    .append("max(d.value) FILTER (WHERE d.name = '")
                    .append(key)
                    .append("') AS m")
                    .append(i);
        }
        METADATA_PIVOT = "CROSS JOIN LATERAL (SELECT " + b + " FROM " + METADATA + " d WHERE d.content_id = p.id) m";
    }

    private static final String OUTER_COLUMNS = outerColumns();

    private static final String BY_ID = "SELECT " + OUTER_COLUMNS + " FROM (SELECT " + COLUMNS + " FROM " + CONTENT
            + " WHERE deleted_at IS NULL AND id = ?) p " + METADATA_PIVOT;

    private ContentSql() {}

    /** A JDBC statement and its parameters, in the order of the {@code ?} placeholders in its text. */
    record Statement(String sql, List<Object> params) {}

    /** Runs a statement with JDBC and returns its rows as arrays of column values. */
    static List<Object[]> rows(java.sql.Connection connection, Statement statement) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            for (int i = 0; i < statement.params().size(); i++) {
                ps.setObject(i + 1, statement.params().get(i));
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rs.getObject(c + 1);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /**
     * One page of matches with their metadata; each row also carries the total count of matches, computed once per
     * statement (an uncorrelated sub-select, which PostgreSQL runs as an init plan over the partial index).
     */
    static Statement page(ContentQuery query) {
        // parameters in the order their placeholders appear: the count's sub-select, the page's filter, LIMIT, OFFSET
        List<Object> params = new ArrayList<>();
        String countWhere = where(query, params);
        String where = where(query, params);
        String order = orderBy(query.page().ordering());
        params.add(query.page().limit());
        params.add(query.page().offset());
        String sql = "SELECT " + OUTER_COLUMNS + ", (SELECT count(*) FROM " + CONTENT + " WHERE " + countWhere + ")"
                + " FROM (SELECT " + COLUMNS + " FROM " + CONTENT + " WHERE " + where + " ORDER BY " + order
                + " LIMIT ? OFFSET ?) p " + METADATA_PIVOT + " ORDER BY " + order;
        return new Statement(sql, params);
    }

    /** The number of matches, for a page that comes back empty and so carries no count. */
    static Statement count(ContentQuery query) {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        return new Statement("SELECT count(*) FROM " + CONTENT + " WHERE " + where, params);
    }

    /** One live content with its metadata. */
    static Statement byId(long id) {
        return new Statement(BY_ID, List.of(id));
    }

    /** The total count carried by a row of {@link #page(ContentQuery)}. */
    static long total(Object[] row) {
        return ((Number) row[TOTAL_COLUMN]).longValue();
    }

    /** Converts a row of {@link #page(ContentQuery)} or {@link #byId(long)}. */
    static Content content(Object[] row) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < Content.METADATA_KEYS.size(); i++) {
            Object value = row[METADATA_COLUMN + i];
            if (value != null) {
                metadata.put(Content.METADATA_KEYS.get(i), (String) value);
            }
        }
        return new Content(
                ((Number) row[0]).longValue(),
                (String) row[1],
                (String) row[2],
                (String) row[3],
                ContentType.valueOf((String) row[4]),
                metadata,
                instant(row[5]),
                instant(row[6]),
                ((Number) row[7]).longValue());
    }

    /** {@code %text%} with LIKE's wildcards in {@code text} escaped by {@link #LIKE_ESCAPE}. */
    static String containsPattern(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8).append('%');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%' || ch == '_' || ch == LIKE_ESCAPE) {
                b.append(LIKE_ESCAPE);
            }
            b.append(ch);
        }
        return b.append('%').toString();
    }

    private static String where(ContentQuery query, List<Object> params) {
        StringBuilder w = new StringBuilder("deleted_at IS NULL");
        if (!query.types().isEmpty()) {
            w.append(" AND content_type IN (")
                    .append(placeholders(
                            query.types().stream()
                                    .map(ContentType::name)
                                    .sorted()
                                    .toList(),
                            params))
                    .append(')');
        }
        if (!query.pages().isEmpty()) {
            w.append(" AND page IN (")
                    .append(placeholders(query.pages().stream().sorted().toList(), params))
                    .append(')');
        }
        if (query.search() != null) {
            String pattern = containsPattern(query.search());
            params.add(pattern);
            w.append(" AND (title ILIKE ?")
                    .append(" ESCAPE '")
                    .append(LIKE_ESCAPE)
                    .append('\'');
            params.add(pattern);
            w.append(" OR content ILIKE ?")
                    .append(" ESCAPE '")
                    .append(LIKE_ESCAPE)
                    .append("')");
        }
        return w.toString();
    }

    private static String placeholders(Collection<String> values, List<Object> params) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            params.add(v);
            b.append(b.length() == 0 ? "?" : ", ?");
        }
        return b.toString();
    }

    /** The ordering, plus the id as a tie-breaker in the first key's direction, so that pages never overlap. */
    private static String orderBy(List<Sort> ordering) {
        StringBuilder b = new StringBuilder();
        for (Sort s : ordering) {
            String column = ORDER_COLUMNS.get(s.field());
            if (column == null) {
                throw new IllegalArgumentException("not orderable: " + s.field());
            }
            b.append(b.length() == 0 ? "" : ", ").append(column).append(s.descending() ? " DESC" : " ASC");
        }
        boolean descending = !ordering.isEmpty() && ordering.get(0).descending();
        return b.append(b.length() == 0 ? "" : ", ")
                .append(descending ? "id DESC" : "id ASC")
                .toString();
    }

    private static String outerColumns() {
        StringBuilder b = new StringBuilder();
        for (String c : COLUMNS.split(", ")) {
            b.append(b.length() == 0 ? "" : ", ").append("p.").append(c);
        }
        for (int i = 0; i < Content.METADATA_KEYS.size(); i++) {
            b.append(", m.m").append(i);
        }
        return b.toString();
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) value;
    }
}
