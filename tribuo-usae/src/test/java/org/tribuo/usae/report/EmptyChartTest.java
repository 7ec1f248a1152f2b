package org.tribuo.usae.report;

import org.junit.jupiter.api.Test;
import org.tribuo.usae.data.InMemoryActivationSet;
import org.tribuo.usae.data.RowIndex;
import org.tribuo.usae.metrics.ConceptAnalysis;
import org.tribuo.usae.metrics.ConceptAnalysisResult;
import org.tribuo.usae.metrics.EvaluationReport;
import org.tribuo.usae.metrics.ModelEvaluation;
import org.tribuo.usae.metrics.R2Kind;
import org.tribuo.usae.metrics.R2Matrix;
import org.tribuo.usae.metrics.labels.LabelAnalysis;
import org.tribuo.usae.metrics.labels.LabelAnalysisOptions;
import org.tribuo.usae.metrics.labels.LabelAnalysisResult;
import org.tribuo.usae.metrics.labels.LabelTable;
import org.tribuo.usae.model.UsaeModel;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every chart on degenerate but valid data: it draws its {@link EmptyChart} form (the chart's root with a
 * "Nothing to plot" note and no marks) instead of throwing, and the page check still counts it; and a whole
 * analysis report of rows where no concept fires is built without failing.
 */
class EmptyChartTest {
    /** @return the note of an empty chart of this kind, after checking its form. */
    private static String note(String svg, String kind) {
        Document d = SvgAssert.parse(svg);
        Element root = d.getDocumentElement();
        assertEquals("chart", root.getAttribute("class"));
        assertEquals(kind, root.getAttribute("data-chart"));
        assertTrue(Double.parseDouble(root.getAttribute("width")) >= 200, "figure-sized: " + svg);
        assertEquals(1, SvgAssert.byClass(d, "g", "nothing-to-plot").size(), svg);
        assertEquals(0, SvgAssert.byClass(d, "circle", "mark").size() + SvgAssert.byClass(d, "rect", "mark").size()
                + SvgAssert.byClass(d, "path", "mark").size(), "no marks: " + svg);
        String label = root.getAttribute("aria-label");
        assertTrue(label.startsWith(EmptyChart.PREFIX), label);
        // the wrapped lines put the whole note on the page, word for word
        StringBuilder text = new StringBuilder();
        for (Element t : SvgAssert.byClass(d, "text", "note")) {
            text.append(text.isEmpty() ? "" : " ").append(t.getTextContent());
        }
        assertEquals(label, text.toString());
        // and the page check counts it as a chart of its kind
        assertEquals(Map.of(kind, 1), HeadlessBrowser.parse("<body>" + svg + "</body>").chartsByKind());
        return label;
    }

    @Test
    void scatterWithNoPositivePointNotesWhy() {
        String svg = ScatterChart.logLog(new double[]{0, 0, 5}, new double[]{1, 2, 0}, null, 1000, "co-fires (tokens)",
                "energy / M");
        String note = note(svg, "scatter");
        assertTrue(note.contains("none of the 3 points has both co-fires (tokens) > 0 and energy / M > 0"), note);
        // mismatched lengths stay a programming error
        assertThrows(IllegalArgumentException.class, () -> ScatterChart.logLog(new double[]{1}, new double[]{1, 2}, null,
                Double.NaN, "x", "y"));
    }

    @Test
    void scatterWithOnePointDrawsItWithoutAFit() {
        Document d = SvgAssert.parse(ScatterChart.logLog(new double[]{0, 3}, new double[]{1, 2}, null, 1000, "x", "y"));
        assertEquals(1, SvgAssert.byClass(d, "circle", "mark").size());
        assertEquals(0, SvgAssert.byClass(d, "path", "fit").size());
        assertTrue(d.getDocumentElement().getTextContent().contains("too few points (n = 1)"));
    }

    @Test
    void lineChartWithNoFinitePointNotesWhy() {
        LineChart.Series a = new LineChart.Series("a", new double[]{1, 2}, new double[]{Double.NaN, Double.NaN});
        LineChart.Series b = new LineChart.Series("b", new double[0], new double[0]);
        String note = note(LineChart.svg(List.of(a, b), false, "cosine threshold t", "fraction matched"), "line");
        assertTrue(note.contains("none of the 2 series has a point"), note);
        // on a log axis, x <= 0 cannot be placed either
        LineChart.Series c = new LineChart.Series("c", new double[]{0, -1}, new double[]{0.5, 0.5});
        assertTrue(note(LineChart.svg(List.of(c), true, "rank", "share"), "line").contains("rank is > 0"));
        assertThrows(IllegalArgumentException.class, () -> LineChart.svg(List.of(), false, "x", "y"));
    }

    @Test
    void lineChartDrawsALonePointAsADot() {
        // one analysed row gives series of single points; between two gaps a point has no segment either
        LineChart.Series one = new LineChart.Series("one", new double[]{1}, new double[]{0.5});
        LineChart.Series gaps = new LineChart.Series("gaps", new double[]{1, 2, 3}, new double[]{Double.NaN, 0.2, Double.NaN});
        Document d = SvgAssert.parse(LineChart.svg(List.of(one, gaps), false, "x", "y"));
        List<Element> lines = SvgAssert.byClass(d, "path", "mark");
        assertEquals(2, lines.size());
        for (Element line : lines) {
            // a zero-length segment, drawn as a dot by the round line caps of the marks group
            assertTrue(line.getAttribute("d").matches("M[-0-9.]+ [-0-9.]+h0"), line.getAttribute("d"));
        }
        Element marks = SvgAssert.byClass(d, "g", "marks").get(0);
        assertEquals("round", marks.getAttribute("stroke-linecap"));
    }

    @Test
    void histogramWithNoValueNotesWhy() {
        assertTrue(note(Histogram.svg(new double[]{Double.NaN, Double.NaN}, 20, 0, 1, "firing entropy", "concepts"),
                "histogram").contains("all 2 values of firing entropy are NaN"));
        assertTrue(note(Histogram.svg(new double[0], 20, 0, 1, "firing entropy", "concepts"), "histogram")
                .contains("no concepts to count"));
        // all values equal (every concept dead: entropy 0) is one full bar, not an empty chart
        Document d = SvgAssert.parse(Histogram.svg(new double[]{0, 0, 0}, 4, 0, 1, "firing entropy", "concepts"));
        assertEquals("3", SvgAssert.byClass(d, "rect", "mark").get(0).getAttribute("data-count"));
        // a bad range stays a programming error
        assertThrows(IllegalArgumentException.class, () -> Histogram.svg(new double[]{0.5}, 4, 1, 1, "x", "y"));
    }

    @Test
    void heatmapWithNoFiniteCellNotesWhy() {
        double[][] nan = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
        R2Matrix m = new R2Matrix(new String[]{"a", "b"}, nan, nan, nan, nan);
        String note = note(Heatmap.r2(m, R2Kind.OFFICIAL), "heatmap");
        assertTrue(note.contains("no cell has a finite R\u00b2 (official)") && note.contains("single row"), note);
        assertTrue(note(Heatmap.r2(m, R2Kind.MSE), "heatmap").contains("no cell has a finite MSE"));
        // some NaN cells: drawn grey with the others coloured
        double[][] some = {{Double.NaN, 0.5}, {0.2, 1}};
        Document d = SvgAssert.parse(Heatmap.r2(new R2Matrix(new String[]{"a", "b"}, some, some, some, some), R2Kind.OFFICIAL));
        List<Element> cells = SvgAssert.byClass(d, "rect", "mark");
        assertEquals(4, cells.size());
        assertEquals("#999999", cells.get(0).getAttribute("fill"));
    }

    @Test
    void barChartOfZerosAndChartsWithLongNamesStillDraw() {
        // every value 0 (no dead concept): a zero axis range is widened, the bars have no height
        Document d = SvgAssert.parse(BarChart.svg(new String[]{"a", "b"}, List.of(new BarChart.Series("dead",
                new double[]{0, 0})), "model", "dead concepts (%)"));
        for (Element bar : SvgAssert.byClass(d, "rect", "mark")) {
            assertEquals(0, Double.parseDouble(bar.getAttribute("height")), 1e-9);
        }
        // model names of 120 characters: the bar labels are shortened, the line chart's legend moves on top
        String longName = "organisation/a-model-name-that-goes-on-and-on-".repeat(3).substring(0, 120);
        String[] names = {longName + "-1", longName + "-2"};
        Document bars = SvgAssert.parse(BarChart.svg(names, List.of(new BarChart.Series("dead", new double[]{1, 2})),
                "model", "dead concepts (%)"));
        assertTrue(bars.getDocumentElement().getTextContent().contains("\u2026"), "shortened label");
        List<LineChart.Series> series = List.of(new LineChart.Series(names[0], new double[]{1, 2}, new double[]{0.1, 0.2}),
                new LineChart.Series(names[1], new double[]{1, 2}, new double[]{0.3, 0.1}));
        Document lines = SvgAssert.parse(LineChart.svg(series, false, "energy rank", "co-fire proportion"));
        assertEquals(2, SvgAssert.byClass(lines, "path", "mark").size());
    }

    @Test
    void reportOfRowsWhereNoConceptFiresHasEverySectionWithNotes() {
        // identity encoders on all-zero rows: no concept ever fires, energy is 0, every concept is dead
        UsaeModel model = IdentityModels.identity(List.of("a", "b"), 4, 2);
        float[][] zeros = {new float[3 * 4], new float[3 * 4]};
        InMemoryActivationSet set = new InMemoryActivationSet(List.of("a", "b"), new int[]{4, 4}, zeros,
                RowIndex.of(new long[]{0, 1, 2}, new long[]{0, 0, 0}));
        EvaluationReport eval = ModelEvaluation.evaluate(model, set, 0, 1, 4);
        ConceptAnalysisResult concepts = ConceptAnalysis.run(model, set, 0, 1, 4, ConceptAnalysis.Options.DEFAULT);
        LabelTable labels = LabelTable.singleLabel(List.of("x", "y"), new long[]{0, 1, 0});
        LabelAnalysisResult labelMetrics = LabelAnalysis.run(model, set, 0, 1, 4, labels, Optional.empty(),
                LabelAnalysisOptions.defaults());
        String html = AnalysisReport.build(new AnalysisReport.Inputs("one row of zeros", Map.of(), eval, concepts,
                labelMetrics, List.of(), null, 1000, "CAM", "how", Map.of())).build();

        PageCheck page = HeadlessBrowser.parse(html);
        assertEquals(Map.of("heatmap", 2, "histogram", 1, "line", 1, "scatter", 1, "bar", 1), page.chartsByKind());
        int scatter = html.indexOf("data-chart=\"scatter\"");
        assertTrue(html.substring(scatter, html.indexOf("</svg>", scatter)).contains(EmptyChart.PREFIX));
        assertTrue(html.contains("No probe task on these rows"), "probe note");
        assertTrue(html.contains("No latent fires on any of the 1 labelled inputs"), "purity note");
    }
}
