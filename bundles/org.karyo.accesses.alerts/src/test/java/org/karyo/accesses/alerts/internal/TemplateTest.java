package org.karyo.accesses.alerts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.karyo.accesses.api.Access;
import org.karyo.auth.api.User;
import org.karyo.auth.api.UserKind;
import org.karyo.mail.api.Mail;

class TemplateTest {

    private static final Set<String> NAMES = Set.of("name", "days");
    private static final Map<String, Set<String>> SECTIONS = Map.of("items", Set.of("what"));

    @Test
    void replacesValuesAndRepeatsSections() {
        Template t = Template.parse(
                "Hi {{ name }}, in {{days}} days:\n{{#items}}\n- {{what}} ({{days}})\n{{/items}}\nBye\n",
                NAMES,
                SECTIONS);

        String out = t.render(
                Map.of("name", "Ann", "days", "2"),
                Map.of("items", List.of(Map.of("what", "x"), Map.of("what", "y"))),
                UnaryOperator.identity());

        assertThat(out).isEqualTo("Hi Ann, in 2 days:\n- x (2)\n- y (2)\nBye\n");
    }

    @Test
    void anEmptyListRendersNothingAndAMissingValueIsEmpty() {
        Template t = Template.parse("[{{#items}}{{what}}{{/items}}] {{name}}.", NAMES, SECTIONS);
        assertThat(t.render(Map.of(), Map.of(), UnaryOperator.identity())).isEqualTo("[] .");
    }

    @Test
    void valuesAreEscapedButNotTheTemplate() {
        Template t = Template.parse("<p>{{name}}</p>", NAMES, SECTIONS);
        assertThat(t.render(Map.of("name", "<a href=\"x\">O'Neil & co</a>"), Map.of(), Template::html))
                .isEqualTo("<p>&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;</p>");
    }

    @Test
    void mistakesAreFoundWhenParsing() {
        assertThatThrownBy(() -> Template.parse("{{nme}}", NAMES, SECTIONS)).hasMessage("unknown placeholder {{nme}}");
        assertThatThrownBy(() -> Template.parse("{{what}}", NAMES, SECTIONS))
                .hasMessage("unknown placeholder {{what}}");
        assertThatThrownBy(() -> Template.parse("{{#items}}{{wat}}{{/items}}", NAMES, SECTIONS))
                .hasMessage("unknown placeholder {{wat}} in section items");
        assertThatThrownBy(() -> Template.parse("{{#things}}{{/things}}", NAMES, SECTIONS))
                .hasMessage("unknown section {{#things}}");
        assertThatThrownBy(() -> Template.parse("{{#items}}", NAMES, SECTIONS))
                .hasMessage("section items is not closed");
        assertThatThrownBy(() -> Template.parse("{{/items}}", NAMES, SECTIONS))
                .hasMessage("{{/items}} closes no open section");
        assertThatThrownBy(() -> Template.parse("{{#items}}{{#items}}{{/items}}", NAMES, SECTIONS))
                .hasMessage("sections do not nest: {{#items}} inside items");
    }

    @Test
    void theBundleTemplatesParseAndTheSubjectIsOneLine() {
        AlertMails mails = new AlertMails("Ends in {{days}} days\r\nBcc: x@evil.test", ZoneId.of("Europe/Paris"));
        User user = new User(
                "u1",
                "jdoe",
                "",
                "",
                Optional.of("j@karyo.test"),
                UserKind.PERSON,
                true,
                "local",
                false,
                Instant.EPOCH,
                Optional.empty());
        Access access = new Access(
                9,
                1,
                "u1",
                "jdoe",
                2,
                "Reader",
                Optional.of(4L),
                Optional.empty(),
                Instant.EPOCH,
                Instant.parse("2026-07-01T10:00:00Z"),
                "manual",
                true,
                false,
                Optional.empty(),
                Optional.empty(),
                Instant.EPOCH,
                Instant.EPOCH);

        Mail mail = mails.mail("j@karyo.test", user, 2, List.of(access));

        assertThat(mail.to()).containsExactly("j@karyo.test");
        assertThat(mail.subject()).isEqualTo("Ends in 2 days Bcc: x@evil.test");
        assertThat(mail.text()).contains("Hello jdoe,", "  - Reader on #4, until 2026-07-01 12:00 CEST");
        assertThat(mail.html()).contains("<li><strong>Reader</strong> on #4, until 2026-07-01 12:00 CEST</li>");
        assertThatThrownBy(() -> new AlertMails("{{role}}", ZoneId.of("UTC")))
                .hasMessageContaining("Access expiry alert subject: unknown placeholder {{role}}");
    }
}
