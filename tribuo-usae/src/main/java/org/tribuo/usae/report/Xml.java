package org.tribuo.usae.report;

/** Escaping for text and attribute values in SVG and HTML. */
public final class Xml {
    private Xml() {
    }

    /**
     * @param s any text (null becomes empty).
     * @return the text with {@code & < > " '} replaced by entities and control characters other than
     * tab/newline dropped (XML 1.0 cannot hold them), safe in element content and quoted attributes.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
