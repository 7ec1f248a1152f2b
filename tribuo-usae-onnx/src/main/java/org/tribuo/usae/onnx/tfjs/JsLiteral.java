package org.tribuo.usae.onnx.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader of the JavaScript literal subset that minified tfjs packagings (nsfwjs' browserify modules) export:
 * objects (keys: identifiers, quoted strings or decimal integers; a trailing comma allowed), arrays, strings in
 * either quote kind with JavaScript escapes, decimal numbers (leading dot, exponent, sign), {@code true},
 * {@code false}, {@code null} and the minifier's booleans {@code !0} / {@code !1}. Anything else (calls,
 * identifiers as values, template strings, comments, regular expressions, array holes) is refused with the file
 * and the character offset: the code is never evaluated.
 *
 * <p>The result is a Jackson tree, so a {@code model.min.js} is read by the same code as a {@code model.json}.
 */
final class JsLiteral {
    /** Deeper nesting than any model file needs; bounds the recursion on hostile input. */
    static final int MAX_DEPTH = 200;

    /**
     * Where a UMD/browserify module hands its value over: {@code <name>.exports=} followed by a literal. The
     * wrapper's own {@code module.exports=e()} is followed by a call, so it does not match.
     */
    private static final Pattern EXPORT = Pattern.compile("[A-Za-z_$][\\w$]*\\.exports\\s*=\\s*(?=[{\\[\"'])");

    private final String file;
    private final String src;
    private int pos;

    private JsLiteral(String file, String src, int pos) {
        this.file = file;
        this.src = src;
        this.pos = pos;
    }

    /**
     * Parses a whole text as one literal (surrounding whitespace allowed).
     * @param file the file name for error messages.
     * @param text the text.
     * @return the value.
     * @throws TfjsFormatException naming the file and offset on any syntax outside the subset.
     */
    static JsonNode parse(String file, String text) {
        JsLiteral p = new JsLiteral(file, text, 0);
        JsonNode v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return v;
    }

    /**
     * Parses the literal a browserify/UMD module exports: the first {@code x.exports=} followed by an object,
     * array or string literal; the literal must be followed by {@code }}, {@code ;} or {@code ,} (the end of the
     * module function), so that no expression can continue it.
     * @param file the file name for error messages.
     * @param module the module's source text.
     * @return the exported value.
     */
    static JsonNode parseExport(String file, String module) {
        Matcher m = EXPORT.matcher(module);
        if (!m.find()) {
            throw new TfjsFormatException(file + ": no exported literal (expected '<name>.exports=' followed by an "
                    + "object, array or string)");
        }
        JsLiteral p = new JsLiteral(file, module, m.end());
        JsonNode v = p.value(0);
        p.skipSpace();
        if (p.pos >= module.length() || "};,".indexOf(module.charAt(p.pos)) < 0) {
            throw p.error("the exported literal is followed by an expression (expected '}', ';' or ',')");
        }
        return v;
    }

    private TfjsFormatException error(String what) {
        return new TfjsFormatException(file + ": JS literal syntax error at offset " + pos + ": " + what);
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u00a0' || c == '\ufeff') {
                pos++;
            } else {
                return;
            }
        }
    }

    private JsonNode value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (pos >= src.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = src.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
            case '\'':
                return JsonNodeFactory.instance.textNode(string());
            case '!':
                // minifiers write true as !0 and false as !1; nothing else after '!' is accepted
                if (src.startsWith("!0", pos) && !identifierPart(pos + 2)) {
                    pos += 2;
                    return JsonNodeFactory.instance.booleanNode(true);
                }
                if (src.startsWith("!1", pos) && !identifierPart(pos + 2)) {
                    pos += 2;
                    return JsonNodeFactory.instance.booleanNode(false);
                }
                throw error("only !0 and !1 may follow '!'");
            default:
                if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
                    return number();
                }
                if (identifierStart(c)) {
                    String word = identifier();
                    switch (word) {
                        case "true": return JsonNodeFactory.instance.booleanNode(true);
                        case "false": return JsonNodeFactory.instance.booleanNode(false);
                        case "null": return JsonNodeFactory.instance.nullNode();
                        default:
                            pos -= word.length();
                            throw error("identifier '" + abbreviate(word) + "' is not a literal value");
                    }
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private ObjectNode object(int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        pos++; // '{'
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                throw error("unterminated object");
            }
            char c = src.charAt(pos);
            if (c == '}') {
                pos++;
                return o;
            }
            int keyAt = pos;
            String key;
            if (c == '"' || c == '\'') {
                key = string();
            } else if (identifierStart(c)) {
                key = identifier();
            } else if (c >= '0' && c <= '9') {
                key = digits();
            } else {
                throw error("expected a property name");
            }
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != ':') {
                throw error("expected ':' after property name '" + abbreviate(key) + "'");
            }
            pos++;
            if (o.has(key)) {
                pos = keyAt;
                throw error("duplicate property '" + abbreviate(key) + "'");
            }
            o.set(key, value(depth + 1));
            skipSpace();
            if (pos < src.length() && src.charAt(pos) == ',') {
                pos++;
            } else if (pos >= src.length() || src.charAt(pos) != '}') {
                throw error("expected ',' or '}' in object");
            }
        }
    }

    private ArrayNode array(int depth) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        pos++; // '['
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                throw error("unterminated array");
            }
            char c = src.charAt(pos);
            if (c == ']') {
                pos++;
                return a;
            }
            if (c == ',') {
                throw error("array holes are not supported");
            }
            a.add(value(depth + 1));
            skipSpace();
            if (pos < src.length() && src.charAt(pos) == ',') {
                pos++;
            } else if (pos >= src.length() || src.charAt(pos) != ']') {
                throw error("expected ',' or ']' in array");
            }
        }
    }

    private String string() {
        char quote = src.charAt(pos);
        int start = ++pos;
        // fast path: a long base64 shard has no escapes
        int end = src.indexOf(quote, start);
        int backslash = src.indexOf('\\', start);
        if (end >= 0 && (backslash < 0 || backslash > end)) {
            for (int i = start; i < end; i++) {
                char c = src.charAt(i);
                if (c == '\n' || c == '\r') {
                    pos = i;
                    throw error("line break inside a string");
                }
            }
            pos = end + 1;
            return src.substring(start, end);
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                pos = start - 1;
                throw error("unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\n' || c == '\r') {
                pos--;
                throw error("line break inside a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw error("unterminated escape");
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '0' -> {
                    if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                        pos--;
                        throw error("octal escapes are not supported");
                    }
                    sb.append('\0');
                }
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> {
                    if (pos < src.length() && src.charAt(pos) == '{') {
                        pos++;
                        int close = src.indexOf('}', pos);
                        if (close < 0 || close - pos > 6 || close == pos) {
                            throw error("bad \\u{...} escape");
                        }
                        int cp = hex(close - pos);
                        if (cp > Character.MAX_CODE_POINT) {
                            throw error("code point out of range");
                        }
                        pos++; // '}'
                        sb.appendCodePoint(cp);
                    } else {
                        sb.append((char) hex(4));
                    }
                }
                case '\n' -> { } // line continuation
                case '\r' -> {
                    if (pos < src.length() && src.charAt(pos) == '\n') {
                        pos++;
                    }
                }
                default -> {
                    if (e >= '1' && e <= '9') {
                        pos--;
                        throw error("octal escapes are not supported");
                    }
                    sb.append(e); // \" \' \\ \/ and identity escapes
                }
            }
        }
    }

    private int hex(int n) {
        if (pos + n > src.length()) {
            throw error("truncated hex escape");
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = Character.digit(src.charAt(pos), 16);
            if (d < 0) {
                throw error("bad hex digit in escape");
            }
            v = v * 16 + d;
            pos++;
        }
        return v;
    }

    private JsonNode number() {
        int start = pos;
        boolean negative = false;
        char sign = src.charAt(pos);
        if (sign == '-' || sign == '+') {
            negative = sign == '-';
            pos++;
            skipSpace();
        }
        int digitsStart = pos;
        boolean integral = true;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        int intDigits = pos - digitsStart;
        if (intDigits > 1 && src.charAt(digitsStart) == '0') {
            pos = digitsStart;
            throw error("numbers with leading zeros (octal) are not supported");
        }
        int fracDigits = 0;
        if (pos < src.length() && src.charAt(pos) == '.') {
            integral = false;
            pos++;
            int f = pos;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
            fracDigits = pos - f;
        }
        if (intDigits == 0 && fracDigits == 0) {
            pos = start;
            throw error("malformed number");
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            int e = pos;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
            if (pos == e) {
                throw error("malformed exponent");
            }
        }
        if (identifierPart(pos)) {
            throw error("unexpected character '" + printable(src.charAt(pos)) + "' after a number");
        }
        String text = src.substring(digitsStart, pos);
        if (integral && intDigits <= 18) {
            long v = Long.parseLong(text);
            return JsonNodeFactory.instance.numberNode(negative ? -v : v);
        }
        double v = Double.parseDouble(text);
        return JsonNodeFactory.instance.numberNode(negative ? -v : v);
    }

    private String digits() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (identifierPart(pos)) {
            throw error("malformed numeric property name");
        }
        return src.substring(start, pos);
    }

    private String identifier() {
        int start = pos;
        pos++;
        while (identifierPart(pos)) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private static boolean identifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private boolean identifierPart(int at) {
        if (at >= src.length()) {
            return false;
        }
        char c = src.charAt(at);
        return identifierStart(c) || (c >= '0' && c <= '9');
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
