package org.karyo.content.api;

import java.util.Map;
import org.karyo.api.json.Nullable;

/**
 * A partial change (PATCH): every {@code null} field stays as it is. A given {@code metadata} replaces the whole map
 * (an empty map removes every key); a blank {@code page} removes the page.
 *
 * @param title the new title, or {@code null}
 * @param content the new text, or {@code null}
 * @param page the new page, blank for none, or {@code null}
 * @param contentType the new type, or {@code null}
 * @param metadata the new metadata map, or {@code null}
 */
public record ContentPatch(
        @Nullable String title,
        @Nullable String content,
        @Nullable String page,
        @Nullable ContentType contentType,
        @Nullable Map<String, String> metadata) {}
