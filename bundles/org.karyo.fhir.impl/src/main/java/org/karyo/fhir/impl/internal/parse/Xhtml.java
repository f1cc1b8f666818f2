package org.karyo.fhir.impl.internal.parse;

import java.io.StringReader;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The narrative rules of R5 ({@code Narrative.div}): well-formed XHTML (no DTD, no entities but XML's own) whose root
 * is a {@code div} in the XHTML namespace, made only of the basic formatting elements and attributes the
 * specification allows (txt-1: no scripts, forms, frames, objects or event attributes), with some content (txt-2).
 * It is read with the JDK's streaming XML parser and a depth limit: HAPI's own XHTML parser recurses per element and
 * overflows the stack on a string of 100,000 nested tags.
 */
final class Xhtml {
    static final String NS = "http://www.w3.org/1999/xhtml";

    /** R5 txt-1, as the HL7 validator lists them. */
    private static final Set<String> ELEMENTS = Set.of(
            "p",
            "br",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "a",
            "span",
            "b",
            "em",
            "i",
            "strong",
            "small",
            "big",
            "tt",
            "dfn",
            "q",
            "var",
            "abbr",
            "acronym",
            "cite",
            "blockquote",
            "hr",
            "address",
            "bdo",
            "kbd",
            "sub",
            "sup",
            "ul",
            "ol",
            "li",
            "dl",
            "dt",
            "dd",
            "pre",
            "table",
            "caption",
            "colgroup",
            "col",
            "thead",
            "tr",
            "tfoot",
            "tbody",
            "th",
            "td",
            "code",
            "samp",
            "img",
            "map",
            "area");

    private static final Set<String> ATTRIBUTES = Set.of(
            "title",
            "style",
            "class",
            "id",
            "lang",
            "dir",
            "accesskey",
            "tabindex",
            "span",
            "width",
            "align",
            "valign",
            "char",
            "charoff",
            "abbr",
            "axis",
            "headers",
            "scope",
            "rowspan",
            "colspan");

    private static final Set<String> ELEMENT_ATTRIBUTES = Set.of(
            "a.href",
            "a.name",
            "a.title",
            "a.type",
            "a.rel",
            "a.rev",
            "a.hreflang",
            "a.charset",
            "a.coords",
            "a.shape",
            "img.src",
            "img.border",
            "img.alt",
            "img.height",
            "img.width",
            "img.usemap",
            "blockquote.cite",
            "q.cite",
            "ol.start",
            "ol.type",
            "ul.type",
            "li.value",
            "li.type",
            "table.summary",
            "table.border",
            "table.frame",
            "table.rules",
            "table.cellspacing",
            "table.cellpadding",
            "td.nowrap",
            "th.nowrap",
            "area.href",
            "area.alt",
            "area.shape",
            "area.coords",
            "map.name",
            "pre.space",
            "bdo.dir");

    private Xhtml() {}

    /** Returns {@code null} when {@code div} is a valid R5 narrative, else why not. */
    static Primitives.Problem check(String div, int maxDepth) {
        if (div.isEmpty()) {
            return new Primitives.Problem(Issue.VALUE, "The narrative cannot be empty");
        }
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        XMLStreamReader r = null;
        try {
            r = f.createXMLStreamReader(new StringReader(div));
            int depth = 0;
            boolean content = false;
            boolean root = true;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        depth++;
                        if (depth > maxDepth) {
                            return new Primitives.Problem(
                                    Issue.TOO_COSTLY,
                                    "The narrative nests elements deeper than " + maxDepth + " levels");
                        }
                        String name = r.getLocalName();
                        if (!NS.equals(r.getNamespaceURI())) {
                            return invalid("element <" + name + "> is not in the XHTML namespace " + NS);
                        }
                        if (root && !"div".equals(name)) {
                            return invalid("the root element must be <div>, found <" + name + ">");
                        }
                        root = false;
                        if (!ELEMENTS.contains(name)) {
                            return invalid("element <" + Text.excerpt(name, 32) + "> is not allowed in a narrative");
                        }
                        if ("img".equals(name)) {
                            content = true;
                        }
                        Primitives.Problem a = attributes(r, name);
                        if (a != null) {
                            return a;
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!content && !r.isWhiteSpace() && !r.getText().isBlank()) {
                            content = true;
                        }
                    }
                    case XMLStreamConstants.DTD -> {
                        return invalid("a DTD is not allowed");
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> {
                        return invalid("entity &" + Text.excerpt(r.getLocalName(), 32)
                                + "; is not allowed: use the Unicode character");
                    }
                    case XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                        return invalid("processing instructions are not allowed");
                    }
                    default -> {
                        // comments, the document start and end
                    }
                }
            }
            if (!content) {
                return new Primitives.Problem(Issue.VALUE, "The narrative has no content (txt-2)");
            }
            return null;
        } catch (XMLStreamException e) {
            return invalid("not well-formed XHTML: " + Text.excerpt(streamMessage(e), 160));
        } catch (RuntimeException e) {
            return invalid("not well-formed XHTML");
        } finally {
            close(r);
        }
    }

    private static Primitives.Problem attributes(XMLStreamReader r, String element) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ns = r.getAttributeNamespace(i);
            String name = r.getAttributeLocalName(i);
            boolean ok;
            if (ns == null || ns.isEmpty()) {
                ok = ATTRIBUTES.contains(name) || ELEMENT_ATTRIBUTES.contains(element + "." + name);
            } else {
                ok = XMLConstants.XML_NS_URI.equals(ns) && ("lang".equals(name) || "space".equals(name));
            }
            if (!ok) {
                return invalid("attribute " + Text.excerpt(name, 32) + " is not allowed on <" + element + ">");
            }
            if ("href".equals(name) || "src".equals(name)) {
                String v = r.getAttributeValue(i).strip().toLowerCase(Locale.ROOT);
                if (v.startsWith("javascript:") || v.startsWith("vbscript:")) {
                    return invalid("scripts are not allowed in " + name + " attributes");
                }
            }
        }
        return null;
    }

    private static Primitives.Problem invalid(String why) {
        return new Primitives.Problem(Issue.VALUE, "Invalid narrative: " + why);
    }

    private static String streamMessage(XMLStreamException e) {
        String m = e.getMessage();
        if (m == null) {
            return "syntax error";
        }
        int i = m.indexOf("Message: ");
        return i >= 0 ? m.substring(i + "Message: ".length()).strip() : m.strip();
    }

    private static void close(XMLStreamReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (XMLStreamException e) {
                // nothing held
            }
        }
    }
}
