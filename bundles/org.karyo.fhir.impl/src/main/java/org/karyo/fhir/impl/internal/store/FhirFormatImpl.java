package org.karyo.fhir.impl.internal.store;

import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r5.model.Resource;
import org.karyo.fhir.api.FhirFormat;
import org.karyo.fhir.impl.internal.parse.FhirInputException;
import org.karyo.fhir.impl.internal.parse.FhirJson;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** FHIR JSON for the REST layer: strict parsing of client input, writing with {@code _summary} and {@code _elements}. */
@Component(service = FhirFormat.class)
public final class FhirFormatImpl implements FhirFormat {
    private final FhirJson json = new FhirJson();
    private final FhirJson.Limits limits;

    @Activate
    public FhirFormatImpl(@Reference FhirStoreLimits store) {
        this.limits = FhirJson.Limits.DEFAULT.withMaxBytes(store.maxBodyBytes());
    }

    FhirFormatImpl(long maxBytes) {
        this.limits = FhirJson.Limits.DEFAULT.withMaxBytes(maxBytes);
    }

    @Override
    public Resource parse(InputStream in, String expectedType) {
        try {
            return json.parse(in, expectedType, limits);
        } catch (FhirInputException e) {
            throw e.toFhirException();
        }
    }

    @Override
    public void write(Resource resource, OutputStream out, String summary, Set<String> elements, boolean pretty)
            throws IOException {
        IParser p = Bodies.CTX.newJsonParser();
        p.setPrettyPrint(pretty);
        if ("true".equals(summary)) {
            p.setSummaryMode(true);
        } else if ("data".equals(summary)) {
            p.setSuppressNarratives(true);
        } else if ("text".equals(summary)) {
            p.setEncodeElements(Set.of("*.text", "*.id", "*.meta"));
        }
        if (elements != null && !elements.isEmpty()) {
            Set<String> e = new HashSet<>();
            for (String el : elements) {
                String t = el.trim();
                if (!t.isEmpty()) {
                    e.add(t.contains(".") ? t : "*." + t);
                }
            }
            e.add("*.id");
            e.add("*.meta");
            p.setEncodeElements(e);
        }
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        p.encodeResourceToWriter(resource, w);
        w.flush();
    }
}
