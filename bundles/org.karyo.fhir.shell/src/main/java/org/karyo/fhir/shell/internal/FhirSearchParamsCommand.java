package org.karyo.fhir.shell.internal;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.SearchParameterInfo;
import org.karyo.fhir.api.SearchParameters;

/** {@code karyo:fhir-searchparams}: the search parameters the store answers, custom ones marked. */
@Service
@Command(
        scope = "karyo",
        name = "fhir-searchparams",
        description = "Lists the search parameters the FHIR store answers (of one resource type, or of all):"
                + " code, type, FHIRPath expression; parameters registered at runtime are marked custom, those"
                + " computed at query time computed",
        detailedDescription = "Example: karyo:fhir-searchparams Observation --custom")
public class FhirSearchParamsCommand implements Action {

    @Reference
    SearchParameters parameters;

    @Argument(index = 0, name = "type", description = "A resource type (Observation); all types when left out")
    String type;

    @Option(name = "--custom", description = "Only the parameters registered at runtime or computed")
    boolean customOnly;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<SearchParameterInfo> all;
        try {
            all = parameters.list(type == null || type.isBlank() ? null : type.strip());
        } catch (KaryoException e) {
            throw Console.explain(e);
        }
        ShellTable table = new ShellTable();
        table.column("Type");
        table.column("Code");
        table.column("Kind");
        table.column("Origin");
        table.column("Expression").maxSize(70);
        int shown = 0;
        int custom = 0;
        for (SearchParameterInfo p : all.stream()
                .sorted(Comparator.comparing(SearchParameterInfo::resourceType)
                        .thenComparing(SearchParameterInfo::code))
                .toList()) {
            boolean mine = p.custom() || p.computed();
            if (mine) {
                custom++;
            }
            if (customOnly && !mine) {
                continue;
            }
            table.addRow()
                    .addContent(
                            p.resourceType(),
                            p.code(),
                            p.type().name().toLowerCase(java.util.Locale.ROOT),
                            p.computed() ? "computed" : p.custom() ? "custom" : "R5",
                            p.expression() == null ? "" : p.expression());
            shown++;
        }
        table.print(out);
        out.printf("%d parameters shown (%d custom or computed)%n", shown, custom);
    }
}
