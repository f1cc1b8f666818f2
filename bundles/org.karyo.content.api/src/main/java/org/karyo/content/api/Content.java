package org.karyo.content.api;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.karyo.api.json.Nullable;

/**
 * A piece of web content as clients see it.
 *
 * @param id the content's identifier
 * @param title the title, at most {@value #TITLE_MAX} characters
 * @param content the text, at most {@value #CONTENT_MAX} characters
 * @param page the page of the user interface that shows it, or {@code null}; at most {@value #PAGE_MAX} characters
 * @param contentType what it is
 * @param metadata display hints, keys from {@link #METADATA_KEYS}, values at most {@value #METADATA_VALUE_MAX}
 *     characters; never {@code null}, ordered by key
 * @param createdAt when it was created
 * @param modifiedAt when it was last changed
 * @param version its version, the ETag that a write's {@code If-Match} compares
 */
public record Content(
        long id,
        String title,
        String content,
        @Nullable String page,
        ContentType contentType,
        Map<String, String> metadata,
        Instant createdAt,
        Instant modifiedAt,
        long version) {

    /** The longest title. */
    public static final int TITLE_MAX = 255;
    /** The longest text. */
    public static final int CONTENT_MAX = 100_000;
    /** The longest page name. */
    public static final int PAGE_MAX = 255;
    /** The longest metadata value. */
    public static final int METADATA_VALUE_MAX = 1_000;
    /** The metadata keys a content may carry, in order. */
    public static final List<String> METADATA_KEYS = List.of("order", "style", "tags");

    public Content {
        metadata = metadata == null || metadata.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
