package org.tribuo.usae.report;

import java.util.List;
import java.util.Map;

/**
 * What a headless browser saw after loading a report page and letting its script run.
 *
 * @param readyState   the body's {@code data-report-ready} at the end: {@code "ok"}, {@code "pending"}
 *                     (the script never finished) or {@code "error: ..."}; empty when the page has no such attribute.
 * @param scriptErrors the messages listed in the page's {@code #report-errors} box, in order (empty when none).
 * @param chartsByKind how many {@code <svg class="chart">} elements there are per {@code data-chart} kind
 *                     (heatmap, histogram, line, scatter, bar), in order of first appearance.
 */
public record PageCheck(String readyState, List<String> scriptErrors, Map<String, Integer> chartsByKind) {
    /** Copies the collections. */
    public PageCheck {
        scriptErrors = List.copyOf(scriptErrors);
        chartsByKind = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chartsByKind));
    }

    /** @return true when the script finished with "ok" and recorded no error. */
    public boolean ok() {
        return "ok".equals(readyState) && scriptErrors.isEmpty();
    }

    /** @param kind a chart kind. @return how many charts of that kind the page has. */
    public int charts(String kind) {
        return chartsByKind.getOrDefault(kind, 0);
    }

    /** @return all charts on the page. */
    public int totalCharts() {
        return chartsByKind.values().stream().mapToInt(Integer::intValue).sum();
    }
}
