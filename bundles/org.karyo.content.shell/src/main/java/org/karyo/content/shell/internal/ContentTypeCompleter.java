package org.karyo.content.shell.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.karyo.content.api.ContentType;

/** Completes content type names. */
@Service
public class ContentTypeCompleter implements Completer {

    private final StringsCompleter names = new StringsCompleter(
            Arrays.stream(ContentType.values()).map(Enum::name).toList());

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return names.complete(session, commandLine, candidates);
    }
}
