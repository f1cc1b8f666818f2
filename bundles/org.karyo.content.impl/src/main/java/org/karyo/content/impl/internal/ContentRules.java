package org.karyo.content.impl.internal;

import java.util.Map;
import org.karyo.api.Validator;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentPatch;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.NewContent;

/**
 * The validation of every input, reporting all invalid fields at once under their JSON (snake_case) names. The
 * database's CHECK constraints mirror these rules.
 */
final class ContentRules {

    /** The longest {@code ?search=}. */
    static final int SEARCH_MAX = 1_000;

    /** How much of an unknown metadata key is echoed in an error's field name. */
    private static final int KEY_ECHO_MAX = 64;

    private ContentRules() {}

    /** A POST or PUT body. */
    static void checkNew(NewContent c) {
        Validator v = new Validator();
        if (c == null) {
            v.required(null, "title")
                    .required(null, "content")
                    .required(null, "content_type")
                    .throwIfInvalid();
        }
        text(v, c.title(), "title", Content.TITLE_MAX);
        text(v, c.content(), "content", Content.CONTENT_MAX);
        optional(v, c.page(), "page", Content.PAGE_MAX);
        v.required(c.contentType(), "content_type");
        metadata(v, c.metadata());
        v.throwIfInvalid();
    }

    /** A PATCH body: only the fields it gives are checked. */
    static void checkPatch(ContentPatch p) {
        Validator v = new Validator();
        if (p == null) {
            v.check(false, "body", "is required").throwIfInvalid();
        }
        if (p.title() != null) {
            text(v, p.title(), "title", Content.TITLE_MAX);
        }
        if (p.content() != null) {
            text(v, p.content(), "content", Content.CONTENT_MAX);
        }
        optional(v, p.page(), "page", Content.PAGE_MAX);
        metadata(v, p.metadata());
        v.throwIfInvalid();
    }

    /** A list query's filters (its page and ordering are checked by the query, against the largest page). */
    static void checkQuery(ContentQuery q) {
        Validator v = new Validator();
        for (String p : q.pages()) {
            optional(v, p, "page_source", Content.PAGE_MAX);
        }
        if (q.search() != null) {
            v.maxLength(q.search(), "search", SEARCH_MAX);
            noNul(v, q.search(), "search");
        }
        v.throwIfInvalid();
    }

    /** A page as stored: trimmed, blank means none. */
    static String page(String page) {
        return page == null || page.isBlank() ? null : page.strip();
    }

    private static void text(Validator v, String value, String field, int max) {
        v.text(value, field, max);
        noNul(v, value, field);
    }

    private static void optional(Validator v, String value, String field, int max) {
        if (value != null) {
            v.maxLength(value.strip(), field, max);
            noNul(v, value, field);
        }
    }

    private static void metadata(Validator v, Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        metadata.keySet().stream().sorted().forEach(key -> {
            String field = "metadata." + echo(key);
            String value = metadata.get(key);
            if (!Content.METADATA_KEYS.contains(key)) {
                v.check(false, field, "is not a metadata key; allowed: " + String.join(", ", Content.METADATA_KEYS));
            } else if (value == null) {
                v.check(false, field, "must be a string");
            } else {
                v.maxLength(value, field, Content.METADATA_VALUE_MAX);
                noNul(v, value, field);
            }
        });
    }

    /** PostgreSQL text cannot hold U+0000: refuse it as bad input instead of failing in the driver. */
    private static void noNul(Validator v, String value, String field) {
        if (value != null && value.indexOf('\0') >= 0) {
            v.check(false, field, "must not contain the character U+0000");
        }
    }

    private static String echo(String s) {
        return s.length() <= KEY_ECHO_MAX ? s : s.substring(0, KEY_ECHO_MAX) + "...";
    }
}
