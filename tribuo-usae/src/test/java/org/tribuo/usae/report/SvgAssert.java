package org.tribuo.usae.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses SVG/XHTML fragments with javax.xml and finds elements by tag and class. */
final class SvgAssert {
    private SvgAssert() {
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml.substring(0, Math.min(400, xml.length())), e);
        }
    }

    /** @return elements with this tag whose class list holds {@code cls}. */
    static List<Element> byClass(Document d, String tag, String cls) {
        NodeList all = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            for (String c : e.getAttribute("class").split(" ")) {
                if (c.equals(cls)) {
                    out.add(e);
                    break;
                }
            }
        }
        return out;
    }
}
