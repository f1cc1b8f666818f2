package org.karyo.accesses.alerts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.karyo.accesses.api.Access;
import org.karyo.auth.api.User;
import org.karyo.mail.api.Mail;

/**
 * The alert e-mail: the bundle's {@code templates/expiring.txt} and {@code templates/expiring.html} and the configured
 * subject, filled with the user's name and the accesses that end soon.
 *
 * <p>Placeholders: {@code {{name}}} (first and last name, or the username), {@code {{username}}}, {@code {{days}}}
 * (the threshold), {@code {{count}}} (how many accesses); in {@code {{#accesses}} … {{/accesses}}} also
 * {@code {{role}}}, {@code {{perimeter}}}, {@code {{end}}} (date and time in the configured zone) and
 * {@code {{access_id}}}. Values are HTML-escaped in the HTML part; the subject is one line.
 */
final class AlertMails {

    static final String TEXT = "templates/expiring.txt";
    static final String HTML = "templates/expiring.html";

    private static final Set<String> NAMES = Set.of("name", "username", "days", "count");
    private static final Map<String, Set<String>> SECTIONS =
            Map.of("accesses", Set.of("role", "perimeter", "end", "access_id"));
    private static final DateTimeFormatter END = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private final Template subject;
    private final Template text;
    private final Template html;
    private final ZoneId zone;

    /**
     * Loads the bundle's templates.
     *
     * @throws IllegalArgumentException when the subject or a template uses an unknown placeholder
     */
    AlertMails(String subject, ZoneId zone) {
        this(subject, resource(TEXT), resource(HTML), zone);
    }

    AlertMails(String subject, String text, String html, ZoneId zone) {
        this.subject = parse("subject", subject, Map.of());
        this.text = parse(TEXT, text, SECTIONS);
        this.html = parse(HTML, html, SECTIONS);
        this.zone = zone;
    }

    private static Template parse(String what, String source, Map<String, Set<String>> sections) {
        try {
            return Template.parse(source, NAMES, sections);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Access expiry alert " + what + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = AlertMails.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing bundle resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundle resource " + name, e);
        }
    }

    /** The mail to {@code to} about {@code accesses}, which end within {@code days} days. */
    Mail mail(String to, User user, int days, List<Access> accesses) {
        Map<String, String> values = new HashMap<>();
        String name = ((user.firstname() == null ? "" : user.firstname()) + " "
                        + (user.lastname() == null ? "" : user.lastname()))
                .strip();
        values.put("name", name.isEmpty() ? user.username() : name);
        values.put("username", user.username());
        values.put("days", Integer.toString(days));
        values.put("count", Integer.toString(accesses.size()));
        List<Map<String, String>> items = accesses.stream().map(this::item).toList();
        Map<String, List<Map<String, String>>> lists = Map.of("accesses", items);
        return new Mail(
                List.of(to),
                subject.render(values, Map.of(), UnaryOperator.identity())
                        .replaceAll("[\\r\\n]+", " ")
                        .strip(),
                text.render(values, lists, UnaryOperator.identity()),
                html.render(values, lists, Template::html));
    }

    private Map<String, String> item(Access a) {
        return Map.of(
                "role", a.roleName() == null ? "" : a.roleName(),
                "perimeter",
                        a.perimeterName()
                                .or(() -> a.perimeterId().map(id -> "#" + id))
                                .orElse("-"),
                "end", END.format(a.end().atZone(zone)),
                "access_id", Long.toString(a.id()));
    }
}
