package org.karyo.fhir.r4.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.karyo.fhir.api.FhirException;
import org.karyo.fhir.api.FhirVersionConverter;
import org.osgi.service.component.annotations.Component;

/**
 * FHIR R4 ({@code 4.0}) to R5 for bulk imports: the R4 JSON is read by HAPI's R4 parser with its strict error handler
 * (an unknown element, a malformed value or a missing resource type refuses the line), converted by HAPI's version
 * converter ({@code VersionConvertorFactory_40_50}), its decimals rounded to R5's 17 digits after the point and the
 * elements R5 made required filled where R4 says what they are ({@link #fillNewRequiredElements}), and written as R5
 * JSON, which the store then checks like any R5 input (required elements, formats, its own limits). Thread-safe: the R4 context is shared, each call builds its own
 * parsers. HAPI's R4 context is this bundle's own (its HAPI base is embedded, not shared), so HAPI finds the R4 model's
 * classes through this bundle's class loader.
 */
@Component(service = FhirVersionConverter.class, property = FhirVersionConverter.VERSION + "=" + R4Converter.VERSION)
public final class R4Converter implements FhirVersionConverter {
    static final String VERSION = "4.0";

    private final FhirContext r4 = FhirContext.forR4();

    @Override
    public String fromVersion() {
        return VERSION;
    }

    @Override
    public String toR5(String json) {
        org.hl7.fhir.r4.model.Resource r4;
        try {
            IParser parser = this.r4.newJsonParser();
            parser.setParserErrorHandler(new StrictErrorHandler());
            r4 = (org.hl7.fhir.r4.model.Resource) parser.parseResource(json);
        } catch (RuntimeException e) {
            throw FhirException.badRequest(null, "Not an FHIR R4 resource this server reads: " + reason(e));
        }
        if (r4 == null) {
            throw FhirException.badRequest(null, "Not an FHIR R4 resource: no resourceType");
        }
        org.hl7.fhir.r5.model.Resource r5;
        try {
            r5 = VersionConvertorFactory_40_50.convertResource(r4);
        } catch (RuntimeException e) {
            throw FhirException.badRequest(
                    r4.fhirType(), "The R4 " + r4.fhirType() + " cannot be converted to R5: " + reason(e));
        }
        if (r5 == null) {
            throw FhirException.badRequest(r4.fhirType(), "R4's " + r4.fhirType() + " has no R5 equivalent");
        }
        // HAPI's R4 parser qualifies ids (Patient/123, #contained): R5 JSON carries the bare id
        bareId(r5);
        roundDecimals(r5, 0);
        fillNewRequiredElements(r5);
        if (r5 instanceof org.hl7.fhir.r5.model.DomainResource d) {
            for (org.hl7.fhir.r5.model.Resource c : d.getContained()) {
                fillNewRequiredElements(c);
            }
        }
        if (r5 instanceof org.hl7.fhir.r5.model.DomainResource d) {
            for (org.hl7.fhir.r5.model.Resource c : d.getContained()) {
                bareId(c);
            }
        }
        try {
            return new org.hl7.fhir.r5.formats.JsonParser().composeString(r5);
        } catch (IOException | RuntimeException e) {
            throw FhirException.badRequest(
                    r4.fhirType(), "The converted " + r5.fhirType() + " cannot be written: " + reason(e));
        }
    }

    /**
     * R4 lets a decimal carry any number of digits after the point; R5 allows 17 ({@code \\.[0-9]{1,17}}). A longer
     * one (Synthea writes doubles such as {@code 0.001130283521684783}) is rounded half-even to 17 digits after the
     * point, which keeps every digit a double holds; the store would otherwise refuse the resource.
     */
    static void roundDecimals(org.hl7.fhir.r5.model.Base b, int depth) {
        if (depth > 64 || b == null) {
            return;
        }
        if (b instanceof org.hl7.fhir.r5.model.DecimalType d) {
            java.math.BigDecimal v = d.getValue();
            if (v != null && v.scale() > MAX_FRACTION_DIGITS) {
                d.setValue(v.setScale(MAX_FRACTION_DIGITS, java.math.RoundingMode.HALF_EVEN));
            }
            return;
        }
        for (org.hl7.fhir.r5.model.Property p : b.children()) {
            for (org.hl7.fhir.r5.model.Base v : p.getValues()) {
                roundDecimals(v, depth + 1);
            }
        }
    }

    private static final int MAX_FRACTION_DIGITS = 17;

    /**
     * Elements R5 made required that R4 data cannot have, filled where R4 already says what they are: a Coverage's
     * {@code kind} (R4's Coverage is insurance, or self-pay when its type is the self-pay code {@code pay}), and a
     * device's UDI {@code issuer} when its human-readable form names the issuing agency by its syntax (GS1's
     * {@code (01)}, HIBCC's {@code +}; ICCBBA's {@code =} does not say whether it is a blood container or another
     * device). Anything else stays missing, and the store refuses the resource naming the element.
     */
    static void fillNewRequiredElements(org.hl7.fhir.r5.model.Resource r) {
        if (r instanceof org.hl7.fhir.r5.model.Coverage c && !c.hasKind()) {
            boolean selfPay = false;
            for (org.hl7.fhir.r5.model.Coding coding : c.getType().getCoding()) {
                selfPay |= "pay".equals(coding.getCode());
            }
            c.setKind(
                    selfPay
                            ? org.hl7.fhir.r5.model.Coverage.Kind.SELFPAY
                            : org.hl7.fhir.r5.model.Coverage.Kind.INSURANCE);
        }
        if (r instanceof org.hl7.fhir.r5.model.Device d) {
            for (org.hl7.fhir.r5.model.Device.DeviceUdiCarrierComponent udi : d.getUdiCarrier()) {
                String hrf = udi.getCarrierHRF();
                if (udi.hasIssuer() || hrf == null) {
                    continue;
                }
                if (hrf.startsWith("(01)")) {
                    udi.setIssuer("http://hl7.org/fhir/NamingSystem/gs1-di");
                } else if (hrf.startsWith("+")) {
                    udi.setIssuer("http://hl7.org/fhir/NamingSystem/hibcc-diI");
                }
            }
        }
    }

    private static void bareId(org.hl7.fhir.r5.model.Resource r) {
        if (r.getIdElement() != null && r.getIdElement().hasIdPart()) {
            String id = r.getIdElement().getIdPart();
            r.setId(id.startsWith("#") ? id.substring(1) : id);
        }
    }

    /** The parser's or converter's message, cut short (it may quote a piece of the input), without HAPI's code. */
    private static String reason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceFirst("^HAPI-\\d+: ", "");
        m = m.replace('\n', ' ').replace('\r', ' ');
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
