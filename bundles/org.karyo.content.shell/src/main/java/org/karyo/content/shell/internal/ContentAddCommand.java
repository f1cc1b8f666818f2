package org.karyo.content.shell.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.karyo.api.KaryoException;
import org.karyo.api.security.ConsoleIdentity;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.NewContent;
import org.karyo.core.shell.support.ConsoleCaller;

/** {@code karyo:content-add}: creates a banner or a release note. */
@Service
@Command(
        scope = "karyo",
        name = "content-add",
        description = "Adds a web content: a banner or a release note",
        detailedDescription = "Example: karyo:content-add --type BANNER_WARNING --page home -m order=1 -m style=bold "
                + "\"Maintenance\" \"The platform is read-only on Sunday from 8 to 10.\"")
public class ContentAddCommand implements Action {

    @Reference
    ContentService contents;

    @Reference
    ConsoleIdentity identity;

    @Option(
            name = "--type",
            aliases = "-t",
            required = true,
            description = "The content type: BANNER_WARNING, BANNER_INFO, BANNER_ERROR or RELEASE_NOTE")
    @Completion(ContentTypeCompleter.class)
    String type;

    @Option(name = "--page", aliases = "-p", description = "The page of the user interface that shows it (optional)")
    String page;

    @Option(
            name = "--metadata",
            aliases = "-m",
            multiValued = true,
            description = "A display hint key=value, keys: order, style, tags; repeat the option for several")
    List<String> metadata;

    @Argument(index = 0, name = "title", required = true, description = "The title (at most 255 characters)")
    String title;

    @Argument(
            index = 1,
            name = "content",
            required = true,
            description = "The text, quoted (at most 100,000 characters)")
    String content;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        ContentType contentType;
        try {
            contentType = ContentType.valueOf(type.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--type must be one of BANNER_WARNING, BANNER_INFO, BANNER_ERROR, RELEASE_NOTE, not '" + type + "'",
                    e);
        }
        try {
            Content c = contents.create(
                    ConsoleCaller.current(identity),
                    new NewContent(title, content, page, contentType, metadata(metadata)));
            out.printf("Added content %d (%s, version %d)%n", c.id(), c.contentType(), c.version());
        } catch (KaryoException e) {
            throw Errors.explain(e);
        }
    }

    /** {@code [order=1, style=bold]} as a map; the service checks the keys and values. */
    static Map<String, String> metadata(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        if (pairs == null) {
            return map;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--metadata expects key=value, not '" + pair + "'");
            }
            String key = pair.substring(0, eq).strip();
            if (map.put(key, pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--metadata gives '" + key + "' twice");
            }
        }
        return map;
    }
}
