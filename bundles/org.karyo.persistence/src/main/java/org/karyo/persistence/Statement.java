package org.karyo.persistence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An SQL text and its parameters, in the order of the {@code ?} placeholders in the text.
 *
 * @param sql the statement's text; only constants and whitelisted column names are ever spliced into it
 * @param params the bound values (may hold {@code null}s)
 */
public record Statement(String sql, List<Object> params) {
    public Statement {
        Objects.requireNonNull(sql, "sql");
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** A statement with these parameters. */
    public static Statement of(String sql, Object... params) {
        List<Object> p = new ArrayList<>(params.length);
        Collections.addAll(p, params);
        return new Statement(sql, p);
    }

    Object[] paramArray() {
        return params.toArray();
    }
}
