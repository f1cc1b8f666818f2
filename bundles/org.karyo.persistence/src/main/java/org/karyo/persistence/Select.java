package org.karyo.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.PageRequest;
import org.karyo.api.Sort;
import org.karyo.api.security.Scope;

/**
 * A read query: a select list, a FROM clause, conditions, an ordering taken from a whitelist, and a page. Immutable:
 * every method returns a new query, so a module keeps its base queries as constants and narrows them per request.
 * Only the constants a module writes (columns, tables, whitelisted expressions) go into the SQL text; every value a
 * client sends is a bound parameter.
 *
 * <pre>{@code
 * static final Select CONTENT = Select.of("c.id, c.title, c.version", "karyo_content.content c")
 *         .where("c.deleted_at IS NULL");
 * Page<Content> page = sql.page(
 *         CONTENT.in("c.content_type", query.types())
 *                 .search(query.search(), "c.title", "c.content")
 *                 .page(query.page(), maxPageSize, ORDERABLE, "c.id"),
 *         Reads::content);
 * }</pre>
 */
public final class Select {

    /** The column that carries the total count of matches in a page's rows. */
    static final String TOTAL = "karyo_total";

    /** The alias of the id column of {@link Sql#pageByIds}. */
    static final String ID = "karyo_id";

    /** The LIKE escape character of {@link #search}. */
    private static final char ESCAPE = '\\';

    /** How many rows a page holds and from where. */
    record Paging(int limit, int offset) {}

    private final String columns;
    private final String from;
    private final List<String> conditions;
    private final List<Object> params;
    private final String orderBy;
    private final Paging paging;

    private Select(
            String columns, String from, List<String> conditions, List<Object> params, String orderBy, Paging paging) {
        this.columns = columns;
        this.from = from;
        this.conditions = conditions;
        this.params = params;
        this.orderBy = orderBy;
        this.paging = paging;
    }

    /**
     * A query of {@code columns} (a select list) from {@code from} (tables and joins, with aliases).
     *
     * @param columns the select list, e.g. {@code "c.id, c.title"}
     * @param from the FROM clause without the keyword, e.g. {@code "karyo_content.content c"}
     */
    public static Select of(String columns, String from) {
        return new Select(
                Objects.requireNonNull(columns, "columns"),
                Objects.requireNonNull(from, "from"),
                List.of(),
                List.of(),
                null,
                null);
    }

    /** The same query with another select list (a projection of the same rows). */
    public Select withColumns(String newColumns) {
        return new Select(Objects.requireNonNull(newColumns, "columns"), from, conditions, params, orderBy, paging);
    }

    /** Adds the condition {@code condition} (with its own {@code ?} parameters), joined to the others by AND. */
    public Select where(String condition, Object... values) {
        Objects.requireNonNull(condition, "condition");
        List<String> c = new ArrayList<>(conditions);
        c.add(condition);
        List<Object> p = new ArrayList<>(params);
        Collections.addAll(p, values);
        return new Select(columns, from, List.copyOf(c), Collections.unmodifiableList(p), orderBy, paging);
    }

    /** Adds {@code condition} only when {@code when} holds. */
    public Select whereIf(boolean when, String condition, Object... values) {
        return when ? where(condition, values) : this;
    }

    /** {@code column = value}, unless {@code value} is {@code null}. */
    public Select eq(String column, Object value) {
        return value == null ? this : where(column + " = ?", value);
    }

    /** {@code column = value}, unless {@code value} is empty. */
    public Select eq(String column, Optional<?> value) {
        return value.isPresent() ? eq(column, value.get()) : this;
    }

    /**
     * {@code column = ANY(values)}, unless {@code values} is empty (no filter). Values are {@link Long}s,
     * {@link Integer}s, {@link String}s, {@link UUID}s or enums (compared by name); they are bound as one array.
     */
    public Select in(String column, Collection<?> values) {
        if (values == null || values.isEmpty()) {
            return this;
        }
        return where(column + " = ANY(?)", (Object) array(values));
    }

    /**
     * Restricts to the perimeter nodes of {@code scope}: nothing when it covers every node, no row when it covers none,
     * else {@code column = ANY(nodes)}.
     */
    public Select scope(String column, Scope scope) {
        if (scope.isAll()) {
            return this;
        }
        if (scope.isEmpty()) {
            return where("false");
        }
        return where(column + " = ANY(?)", (Object) scope.boxedPerimeterIds());
    }

    /**
     * Case-insensitive substring search of {@code text} in any of {@code columns}, LIKE's wildcards in {@code text}
     * taken literally; no filter when {@code text} is {@code null} or blank.
     */
    public Select search(String text, String... in) {
        if (text == null || text.isBlank()) {
            return this;
        }
        if (in.length == 0) {
            throw new IllegalArgumentException("search needs at least one column");
        }
        String pattern = containsPattern(text.trim());
        StringBuilder c = new StringBuilder("(");
        Object[] values = new Object[in.length];
        for (int i = 0; i < in.length; i++) {
            c.append(i == 0 ? "" : " OR ").append(in[i]).append(" ILIKE ? ESCAPE '\\'");
            values[i] = pattern;
        }
        return where(c.append(')').toString(), values);
    }

    /**
     * Orders by the client's {@code ordering}, each field mapped through {@code orderable} (wire name to SQL
     * expression), then by {@code tieBreak} (a unique expression, usually the id) in the direction of the first key,
     * so that pages never overlap or skip. PostgreSQL's defaults place NULLs last ascending and first descending (the
     * order an index scan gives in both directions).
     *
     * @throws KaryoException INVALID naming {@code ordering} for a field outside the whitelist
     */
    public Select orderBy(List<Sort> ordering, Map<String, String> orderable, String tieBreak) {
        List<FieldError> errors = new ArrayList<>();
        String clause = orderClause(ordering, orderable, tieBreak, errors);
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return new Select(columns, from, conditions, params, clause, paging);
    }

    /**
     * The page a client asked for: its ordering (as {@link #orderBy(List, Map, String)}) and its limit and offset (as
     * {@link #page(PageRequest, int)}), every wrong parameter named in one error.
     *
     * @throws KaryoException INVALID naming {@code limit}, {@code offset} and/or {@code ordering}
     */
    public Select page(PageRequest page, int maxLimit, Map<String, String> orderable, String tieBreak) {
        List<FieldError> errors = new ArrayList<>();
        checkPage(page, maxLimit, errors);
        String clause = orderClause(page.ordering(), orderable, tieBreak, errors);
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return new Select(columns, from, conditions, params, clause, new Paging(page.limit(), page.offset()));
    }

    private static String orderClause(
            List<Sort> ordering, Map<String, String> orderable, String tieBreak, List<FieldError> errors) {
        Objects.requireNonNull(tieBreak, "tieBreak");
        StringBuilder b = new StringBuilder();
        List<Sort> sorts = ordering == null ? List.of() : ordering;
        for (Sort s : sorts) {
            String expression = orderable.get(s.field());
            if (expression == null) {
                errors.add(new FieldError(
                        "ordering",
                        "cannot order by '" + echo(s.field()) + "'; allowed: "
                                + String.join(", ", new TreeSet<>(orderable.keySet()))));
                continue;
            }
            b.append(b.length() == 0 ? "" : ", ").append(expression).append(s.descending() ? " DESC" : " ASC");
        }
        boolean descending = !sorts.isEmpty() && sorts.get(0).descending();
        return b.append(b.length() == 0 ? "" : ", ")
                .append(tieBreak)
                .append(descending ? " DESC" : " ASC")
                .toString();
    }

    /** Orders by a fixed expression (internal lists that clients do not order). */
    public Select orderBy(String expression) {
        return new Select(columns, from, conditions, params, Objects.requireNonNull(expression, "expression"), paging);
    }

    /**
     * The page {@code page} asks for, at most {@code maxLimit} rows (its ordering is not applied: see
     * {@link #page(PageRequest, int, Map, String)}).
     *
     * @throws KaryoException INVALID naming {@code limit} or {@code offset} when out of range
     */
    public Select page(PageRequest page, int maxLimit) {
        List<FieldError> errors = new ArrayList<>();
        checkPage(page, maxLimit, errors);
        if (!errors.isEmpty()) {
            throw KaryoException.invalid(errors);
        }
        return limit(page.limit(), page.offset());
    }

    private static void checkPage(PageRequest page, int maxLimit, List<FieldError> errors) {
        if (page.limit() < 1 || page.limit() > maxLimit) {
            errors.add(new FieldError("limit", "must be an integer from 1 to " + maxLimit));
        }
        if (page.offset() < 0) {
            errors.add(new FieldError("offset", "must be an integer of at least 0"));
        }
    }

    /** At most {@code limit} rows after skipping {@code offset}. */
    public Select limit(int limit, int offset) {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("limit " + limit + ", offset " + offset);
        }
        return new Select(columns, from, conditions, params, orderBy, new Paging(limit, offset));
    }

    /** The statement: rows of the page (all rows when no page was set). */
    public Statement statement() {
        StringBuilder sql =
                new StringBuilder("SELECT ").append(columns).append(" FROM ").append(from);
        List<Object> p = new ArrayList<>(params);
        appendWhere(sql);
        appendTail(sql);
        return new Statement(sql.toString(), p);
    }

    /** The statement that counts the matches, ignoring order and page. */
    public Statement countStatement() {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(from);
        appendWhere(sql);
        return new Statement(sql.toString(), params);
    }

    /** The page's rows, each carrying the total count of matches in column {@value #TOTAL}. */
    Statement pageStatement() {
        paging();
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns)
                .append(", ")
                .append(totalColumn())
                .append(" FROM ")
                .append(from);
        appendWhere(sql);
        List<Object> p = new ArrayList<>(params.size() * 2 + 2);
        p.addAll(params);
        p.addAll(params);
        appendTail(sql);
        return new Statement(sql.toString(), p);
    }

    /**
     * The statement of {@link Sql#pageByIds}: the ids of this page (ordered, limited), unnested with their position,
     * joined to {@code rowsById}'s rows, each row carrying the total in column {@value #TOTAL} and returned in the page's
     * order. One statement, so one plan and one round trip; the page's subquery reads {@code idColumn} only.
     */
    Statement pageByIdsStatement(String idColumn, Select rowsById) {
        paging();
        StringBuilder ids =
                new StringBuilder("SELECT ").append(idColumn).append(" FROM ").append(from);
        appendWhere(ids);
        appendTail(ids);
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(rowsById.columns)
                .append(", ")
                .append(totalColumn())
                .append(" FROM unnest(ARRAY(")
                .append(ids)
                .append(")) WITH ORDINALITY AS karyo_page(")
                .append(ID)
                .append(", karyo_n), ")
                .append(rowsById.from);
        List<Object> p = new ArrayList<>(params.size() * 2 + rowsById.params.size());
        p.addAll(params);
        p.addAll(params);
        Select joined = rowsById.where(idColumn + " = karyo_page." + ID);
        joined.appendWhere(sql);
        p.addAll(joined.params);
        sql.append(" ORDER BY karyo_page.karyo_n");
        return new Statement(sql.toString(), p);
    }

    Paging paging() {
        if (paging == null) {
            throw new IllegalStateException("a page query needs page() or limit()");
        }
        return paging;
    }

    /**
     * The select-list column {@value #TOTAL}: an uncorrelated count of the matches, which PostgreSQL runs once per
     * statement. Its parameters are this query's, bound before the rest of the statement's.
     */
    private String totalColumn() {
        StringBuilder count = new StringBuilder("(SELECT count(*) FROM ").append(from);
        appendWhere(count);
        return count.append(") AS ").append(TOTAL).toString();
    }

    private void appendWhere(StringBuilder sql) {
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? " WHERE (" : " AND (").append(conditions.get(i)).append(')');
        }
    }

    private void appendTail(StringBuilder sql) {
        if (orderBy != null) {
            sql.append(" ORDER BY ").append(orderBy);
        }
        if (paging != null) {
            // literals, not parameters: with "LIMIT ?" PostgreSQL cannot cost a generic plan and plans the statement
            // again at every execution (measured: 0.4 ms of the access list's 1.1 ms); both are checked ints
            sql.append(" LIMIT ").append(paging.limit()).append(" OFFSET ").append(paging.offset());
        }
    }

    @Override
    public String toString() {
        return statement().sql();
    }

    /** {@code %text%} for {@code ILIKE ... ESCAPE '\'}, with LIKE's wildcards in {@code text} escaped. */
    public static String containsPattern(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8).append('%');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%' || ch == '_' || ch == ESCAPE) {
                b.append(ESCAPE);
            }
            b.append(ch);
        }
        return b.append('%').toString();
    }

    private static Object array(Collection<?> values) {
        Object first = values.iterator().next();
        if (first instanceof Long || first instanceof Integer) {
            return values.stream().map(v -> ((Number) v).longValue()).toArray(Long[]::new);
        }
        if (first instanceof UUID) {
            return values.toArray(UUID[]::new);
        }
        if (first instanceof Enum<?>) {
            return values.stream().map(v -> ((Enum<?>) v).name()).toArray(String[]::new);
        }
        if (first instanceof String) {
            return values.toArray(String[]::new);
        }
        throw new IllegalArgumentException(
                "cannot bind an array of " + first.getClass().getName());
    }

    private static String echo(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
