package org.tribuo.usae.report;

import java.util.List;
import java.util.Locale;

/**
 * A table of strings and numbers (e.g. probe or Jaccard results) rendered as HTML. Numbers are
 * right-aligned, printed with 4 significant digits and carry their exact value in
 * {@code data-sort} so the report's script can sort columns numerically.
 *
 * @param header column names.
 * @param rows   rows, each with one cell per column: String, Number or null (empty).
 */
public record HtmlTable(List<String> header, List<List<Object>> rows) {
    /** Checks every row has one cell per column. */
    public HtmlTable {
        header = List.copyOf(header);
        rows = List.copyOf(rows);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new IllegalArgumentException("table row " + i + " has " + rows.get(i).size() + " cells, expected "
                        + header.size() + " (one per column " + header + ")");
            }
        }
    }

    /** @return {@code <table class="data sortable">} HTML. */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"data sortable\"><thead><tr>");
        for (String h : header) {
            sb.append("<th scope=\"col\" title=\"click to sort\">").append(Xml.escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<Object> row : rows) {
            sb.append("<tr>");
            for (Object cell : row) {
                if (cell instanceof Number n) {
                    double v = n.doubleValue();
                    sb.append("<td class=\"num\" data-sort=\"").append(Xml.escape(String.valueOf(v))).append("\">")
                            .append(Xml.escape(format(n))).append("</td>");
                } else {
                    sb.append("<td>").append(Xml.escape(cell == null ? "" : cell.toString())).append("</td>");
                }
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** @param n a number. @return integers as is, other values with 4 significant digits. */
    static String format(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return n.toString();
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
