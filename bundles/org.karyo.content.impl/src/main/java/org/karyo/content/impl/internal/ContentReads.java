package org.karyo.content.impl.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentType;
import org.karyo.persistence.Select;
import org.karyo.persistence.Sql;

/**
 * The read side: live content with its metadata (two arrays of the {@code content_metadata} rows, built only for the
 * rows of the page), mapped straight to {@link Content}.
 */
final class ContentReads {

    static final String SCHEMA = "karyo_content";

    /** Live content; every list and single read narrows this. */
    static final Select LIVE = Select.of(
                    "c.id, c.title, c.content, c.page, c.content_type, c.created_at, c.modified_at, c.version,"
                            + " ARRAY(SELECT d.name FROM " + SCHEMA + ".content_metadata d WHERE d.content_id = c.id"
                            + " ORDER BY d.name) AS metadata_names,"
                            + " ARRAY(SELECT d.value FROM " + SCHEMA + ".content_metadata d"
                            + " WHERE d.content_id = c.id ORDER BY d.name) AS metadata_values",
                    SCHEMA + ".content c")
            .where("c.deleted_at IS NULL");

    /** Wire names of {@link ContentQuery#ORDERABLE} to columns. */
    static final Map<String, String> ORDERABLE = Map.of(
            "title", "c.title",
            "page", "c.page",
            "content_type", "c.content_type",
            "created_at", "c.created_at",
            "modified_at", "c.modified_at");

    private ContentReads() {}

    /** A page of live content matching {@code query}. */
    static Select list(ContentQuery query, int maxPageSize) {
        return LIVE.in("c.content_type", query.types())
                .in("c.page", query.pages())
                .search(query.search(), "c.title", "c.content")
                .page(query.page(), maxPageSize, ORDERABLE, "c.id");
    }

    static Content content(ResultSet rs) throws SQLException {
        List<String> names = Sql.strings(rs, "metadata_names");
        List<String> values = Sql.strings(rs, "metadata_values");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String key : Content.METADATA_KEYS) {
            int at = names.indexOf(key);
            if (at >= 0) {
                metadata.put(key, values.get(at));
            }
        }
        return new Content(
                rs.getLong("id"),
                rs.getString("title"),
                rs.getString("content"),
                rs.getString("page"),
                ContentType.valueOf(rs.getString("content_type")),
                metadata,
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "modified_at"),
                rs.getLong("version"));
    }
}
