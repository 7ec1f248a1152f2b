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

    /**
     * @param s text with the entities a browser writes when it serialises a DOM.
     * @return the text with {@code &amp; &lt; &gt; &quot; &#39; &nbsp;} and numeric entities decoded.
     */
    public static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);").matcher(s);
        int last = 0;
        while (m.find()) {
            sb.append(s, last, m.start());
            String e = m.group(1);
            switch (e) {
                case "amp" -> sb.append('&');
                case "lt" -> sb.append('<');
                case "gt" -> sb.append('>');
                case "quot" -> sb.append('"');
                case "apos" -> sb.append('\'');
                case "nbsp" -> sb.append('\u00a0');
                default -> sb.appendCodePoint(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1)));
            }
            last = m.end();
        }
        return sb.append(s, last, s.length()).toString();
    }
}
