package org.karyo.content.api;

import java.util.Map;
import org.karyo.api.json.Nullable;

/**
 * A new piece of content (POST), or the whole new state of an existing one (PUT). The service validates it and reports
 * every invalid field at once.
 *
 * @param title required, at most {@value Content#TITLE_MAX} characters
 * @param content required, at most {@value Content#CONTENT_MAX} characters
 * @param page optional, at most {@value Content#PAGE_MAX} characters; blank means none
 * @param contentType required
 * @param metadata optional; keys from {@link Content#METADATA_KEYS}
 */
public record NewContent(
        String title,
        String content,
        @Nullable String page,
        ContentType contentType,
        @Nullable Map<String, String> metadata) {}
